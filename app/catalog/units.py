"""Selling units as farmers write them: "thùng 10 kg", "kg", "túi 500 g"."""

from __future__ import annotations

import re

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.catalog.models import SellingUnit

UNIT_LABELS = {
    SellingUnit.KG: _l("kg"),
    SellingUnit.BOX: _l("thùng"),
    SellingUnit.BAG: _l("túi"),
    SellingUnit.PACK: _l("hộp"),
    SellingUnit.PIECE: _l("quả"),
    SellingUnit.BUNCH: _l("nải/bó"),
}

_WEIGHT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(kg|g|gr|gram|gam|ký|kí)$")


class InvalidWeight(ValueError):
    pass


_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_weight_grams(text: str | None, bare_number_unit: str | None = None) -> int | None:
    """'10 kg' → 10000, '500 g' → 500, '1,5 kg' → 1500; empty → None. A bare number is refused:
    '10' could be grams or kilograms, and guessing wrong misleads the buyer; unless the box's
    label names the unit (bare_number_unit="kg"), so the number pad is enough to fill it."""
    cleaned = (text or "").strip().lower()
    if not cleaned:
        return None
    if bare_number_unit and _BARE_NUMBER.match(cleaned):
        cleaned = f"{cleaned} {bare_number_unit}"
    match = _WEIGHT.match(cleaned)
    if not match:
        raise InvalidWeight(text)
    number = float(match.group(1).replace(",", "."))
    grams = number * 1000 if match.group(2) in {"kg", "ký", "kí"} else number
    if grams < 1 or grams != int(grams):
        raise InvalidWeight(text)
    return int(grams)


def format_weight(grams: int) -> str:
    if grams >= 1000 and grams % 100 == 0:
        return f"{format_decimal(grams / 1000)} kg"
    return f"{format_decimal(grams)} g"


def unit_label(unit: SellingUnit, net_weight_grams: int | None = None) -> str:
    """How one selling unit reads on a price tag: 'thùng 10 kg', 'kg', 'túi 500 g'."""
    label = str(UNIT_LABELS[unit])
    if net_weight_grams and not (unit == SellingUnit.KG and net_weight_grams == 1000):
        # Vietnamese puts the weight after the unit ("thùng 10 kg"), English before ("10 kg box").
        return _("%(unit)s %(weight)s", unit=label, weight=format_weight(net_weight_grams))
    return label


def _counted_unit(unit: SellingUnit, count: int, number: str) -> str:
    """ "30 thùng" / "30 boxes": the plural is chosen per unit, so each has its own message."""
    if unit == SellingUnit.KG:
        return ngettext("%(amount)s kg", "%(amount)s kg", count, amount=number)
    if unit == SellingUnit.BOX:
        return ngettext("%(amount)s thùng", "%(amount)s thùng", count, amount=number)
    if unit == SellingUnit.BAG:
        return ngettext("%(amount)s túi", "%(amount)s túi", count, amount=number)
    if unit == SellingUnit.PACK:
        return ngettext("%(amount)s hộp", "%(amount)s hộp", count, amount=number)
    if unit == SellingUnit.PIECE:
        return ngettext("%(amount)s quả", "%(amount)s quả", count, amount=number)
    return ngettext("%(amount)s nải/bó", "%(amount)s nải/bó", count, amount=number)


def quantity_text(count: int, unit: SellingUnit, net_weight_grams: int | None = None) -> str:
    """A number of selling units as a person says it: "200 kg", "30 thùng 10 kg" in Vietnamese,
    "200 kg", "30 boxes of 10 kg", "1 box of 10 kg" in English."""
    counted = _counted_unit(unit, count, format_decimal(count))
    if unit == SellingUnit.KG or not net_weight_grams:
        return counted
    return _("%(count)s %(weight)s", count=counted, weight=format_weight(net_weight_grams))
