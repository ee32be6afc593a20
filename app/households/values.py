"""Reading the values officers enter (amounts, small numbers, text), the same way in every service."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from app.common.errors import RuleBroken
from app.common.money import InvalidAmount, parse_vnd
from app.common.timezone import to_local, utcnow


class InvalidValue(RuleBroken):
    pass


def today() -> date:
    """Today in Vietnam, where the officers work."""
    return to_local(utcnow()).date()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def amount(value, field: str) -> int | None:
    """A whole number of đồng from a form (text as people type it) or a phone (a number); blank: None."""
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidValue(_l("Hãy nhập số đồng nguyên, ví dụ 1.500.000."), field)
    if isinstance(value, str):
        try:
            value = parse_vnd(value)
        except InvalidAmount as error:
            if error.args and error.args[0] == "negative":
                raise InvalidValue(_l("Số tiền không thể âm."), field) from None
            raise InvalidValue(_l("Hãy nhập số đồng nguyên, ví dụ 1.500.000."), field) from None
    if value < 0:
        raise InvalidValue(_l("Số tiền không thể âm."), field)
    return value


def whole_number(value, field: str) -> int | None:
    """A whole number (a score, a year) from text or a number; blank: None."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(_l("Hãy nhập một số nguyên."), field)
    if isinstance(value, int):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.lstrip("-").isdigit():
        return int(text)
    raise InvalidValue(_l("Hãy nhập một số nguyên."), field)


def text(value, limit: int, field: str, *, required: bool = False, label=None) -> str:
    """Text with its spaces tidied; refused when longer than limit, or empty when required."""
    cleaned = " ".join((value or "").split()) if isinstance(value, str) or value is None else None
    if cleaned is None:
        raise InvalidValue(_l("Giá trị không hợp lệ."), field)
    if required and not cleaned:
        raise InvalidValue(_l("Hãy nhập %(what)s.", what=label or field), field)
    if len(cleaned) > limit:
        raise InvalidValue(_l("Tối đa %(limit)d ký tự.", limit=limit), field)
    return cleaned


def day(value, field: str, *, not_after_today: bool = True) -> date:
    """A date that is not in the future (an event that has happened)."""
    if not isinstance(value, date):
        raise InvalidValue(_l("Hãy chọn ngày."), field)
    if not_after_today and value > today():
        raise InvalidValue(_l("Ngày này chưa tới."), field)
    return value
