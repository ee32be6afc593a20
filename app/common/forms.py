"""Form helpers shared by every domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, StringField
from wtforms.validators import Length, ValidationError

from app.common.money import InvalidAmount, group_vnd, parse_vnd

# WTForms ships no Vietnamese. Its own messages (a choice that is not offered, a value that is
# not a number, a required field, dates) are given here in Vietnamese msgids, so they reach the
# visitor through this site's catalogue like every other sentence.
WTFORMS_MESSAGES = {
    "Not a valid choice.": _l("Lựa chọn không hợp lệ. Hãy chọn một mục trong danh sách."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ. Hãy chọn một mục trong danh sách."),
    "This field is required.": _l("Ô này cần được điền."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid email address.": _l("Địa chỉ email không đúng dạng."),
    "Not a valid integer value.": _l("Hãy nhập một số nguyên."),
    "Not a valid datetime value.": _l("Ngày giờ không đúng dạng."),
    "Not a valid date value.": _l("Ngày không đúng dạng."),
    "Not a valid time value.": _l("Giờ không đúng dạng."),
    "Field must be equal to %(other_name)s.": _l("Hai ô phải giống nhau."),
}


class _Messages:
    def gettext(self, string):
        return str(WTFORMS_MESSAGES.get(string, string))

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    """Every form of the site: CSRF-protected, with WTForms' messages in the visitor's language."""

    class Meta:
        def get_translations(self, form):
            return _Messages()

    def error_links(self) -> list[tuple[str, str]]:
        """Every message under a field, as (the field's id, message), in the order the fields are
        shown: the error summary at the top of a form links each one to its box."""
        return list(_field_errors(self))

    def error_count(self) -> int:
        return len(self.form_errors) + len(self.error_links())


def _field_errors(form):
    for field in form:
        if isinstance(field, FieldList | FormField):
            entries = field.entries if isinstance(field, FieldList) else [field]
            for entry in entries:
                yield from _field_errors(entry.form) if isinstance(entry, FormField) else _own_errors(entry)
        else:
            yield from _own_errors(field)


def _own_errors(field):
    for message in field.errors if isinstance(field.errors, list | tuple) else ():
        yield field.id, str(message)


# On a phone, number boxes open the number pad. type="number" is not used: it refuses grouped
# text (150.000), shows spinners, and changes the value when the thumb scrolls over it.
NUMBER_PAD = {"inputmode": "numeric", "autocomplete": "off"}
DECIMAL_PAD = {"inputmode": "decimal", "autocomplete": "off"}


class WholeNumberField(StringField):
    """A count (stock, minimum order, a score, a year) typed on the number pad. The text is kept
    as typed; the form or the service reads the number, so its message stays theirs."""

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        super().__init__(label, validators, render_kw={**NUMBER_PAD, **(render_kw or {})}, **kwargs)


class MoneyField(StringField):
    """An amount of đồng on the number pad: typed as 150000, 150.000, 150 000 or 150.000 đ, read
    by app.common.money.parse_vnd into `amount` (None when empty), shown again as 150.000.
    static/js/money.js groups the digits when the box is left (the data-money attribute).

    read=False leaves the reading to a service that takes the text (households' values, read the
    same way from a phone's offline copy); the box still opens the number pad and groups.
    """

    def __init__(self, label=None, validators=None, render_kw=None, read: bool = True, **kwargs):
        attributes = {**NUMBER_PAD, "data-money": "", **(render_kw or {})}
        super().__init__(label, validators, render_kw=attributes, **kwargs)
        self.read = read
        self.amount: int | None = None

    def pre_validate(self, form):
        self.amount = None
        if not self.read:
            return
        text = self.data if isinstance(self.data, str) else ("" if self.data is None else str(self.data))
        if not text.strip():
            return
        try:
            self.amount = parse_vnd(text)
        except InvalidAmount as error:
            raise ValidationError(str(MONEY_MESSAGES[error.reason])) from None

    def _value(self):
        if self.data is None:
            return ""
        if isinstance(self.data, int):
            return group_vnd(self.data)
        try:
            return group_vnd(parse_vnd(self.data))
        except InvalidAmount:
            return self.data  # shown as typed, for the person to correct


MONEY_MESSAGES = {
    "negative": _l("Số tiền không thể âm."),
    "fraction": _l("Tiền đồng không có số lẻ: hãy ghi số đồng nguyên, ví dụ 150.000."),
    "format": _l("Hãy nhập số đồng nguyên, ví dụ 1.500.000."),
}


def optional_id(value) -> int:
    """A select's value as an id, 0 for the "— Chọn … —" choice (its value is empty)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else 0


def max_length(limit: int) -> Length:
    """A length check whose message is in the visitor's language."""
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự.", max=limit))


def show_error(form, error, field_names: dict[str, str] | None = None) -> None:
    """Put a broken rule on the form: under the field it names, when the form has that field,
    otherwise at the top of the form, so no message is ever lost.

    field_names maps a service's name for a value to the form's, where they differ
    ({"category": "category_id"}).
    """
    name = error.field and (field_names or {}).get(error.field, error.field)
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))
