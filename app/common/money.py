"""Vietnamese đồng: whole numbers only, shown the way each language writes money."""

from __future__ import annotations

import re

from babel.numbers import format_currency

_LOCALES = {"vi": "vi_VN", "en": "en_US"}
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
# 12.5, 1,5, 150.000,50: a whole amount followed by one or two decimals.
_FRACTION = re.compile(r"^[\d.,]*\d[.,]\d{1,2}$")


class InvalidAmount(ValueError):
    """The text is not a whole number of đồng. args[0] says why: "negative", "fraction" or the text."""

    @property
    def reason(self) -> str:
        return self.args[0] if self.args and self.args[0] in ("negative", "fraction") else "format"


def format_vnd(amount: int, language: str = "vi") -> str:
    """1500000 → '1.500.000 ₫' in Vietnamese, '₫1,500,000' in English."""
    return format_currency(amount, "VND", locale=_LOCALES.get(language, "vi_VN"))


def group_vnd(amount: int) -> str:
    """1500000 → '1.500.000': how a money box shows an amount again, as money.js groups it
    while typing (dots, as Vietnamese write it; parse_vnd reads it back)."""
    return f"{amount:,}".replace(",", ".")


def parse_vnd(text: str | None) -> int:
    """Read an amount as people type it: 150000, 150.000, 150 000, 150,000 or 150.000 ₫ / đ.

    The đồng has no minor unit, so anything with a fractional part is refused rather than
    rounded: '12.5' is a mistake, not twelve and a half đồng.
    """
    cleaned = re.sub(r"\s+|₫|đ|vnđ|vnd", "", (text or "").strip().lower())
    if cleaned.startswith("-"):
        raise InvalidAmount("negative")
    if _PLAIN.match(cleaned):
        return int(cleaned)
    if _GROUPED.match(cleaned) and len(set(re.findall(r"[.,]", cleaned))) == 1:
        return int(re.sub(r"[.,]", "", cleaned))
    if _FRACTION.match(cleaned):
        raise InvalidAmount("fraction")
    raise InvalidAmount(text)
