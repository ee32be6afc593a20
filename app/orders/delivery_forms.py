"""The form for a delivery plan: a few rows of each kind, blank ones to fill, no JavaScript.

The form parses what people type (money as 20000 or 20.000, weights as 5 kg, 500 g or a bare
number of kilograms); what a plan may hold is app.orders.delivery_plans' to say, and its errors
come back here on the row and box they name.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.catalog.units import InvalidWeight, parse_weight_grams
from app.common.forms import DECIMAL_PAD, Form, MoneyField
from app.common.money import InvalidAmount, parse_vnd
from app.common.text import vietnamese_sort_key
from app.extensions import db
from app.orders.delivery_plans import DeliveryPlanValues, PickupPointValues, WeightBandValues, ZoneValues
from app.orders.models import DeliveryPlan
from app.places.models import Commune

# Blank rows offered below the saved ones: enough for a farm, and a second save adds more.
BLANK_PICKUP_ROWS = 3
BLANK_ZONE_ROWS = 5
BLANK_BAND_ROWS = 5

# The service's names for a row's values, where the form's boxes are named otherwise.
ROW_FIELD_NAMES = {"commune": "commune_id"}

_BARE_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def _text(field) -> str:
    return (field.data or "").strip()


def parse_fee(text: str) -> int | None:
    """An amount of đồng, or None when nothing was typed."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("-"):
        raise ValidationError(_l("Phí không được âm."))
    try:
        return parse_vnd(text)
    except InvalidAmount:
        raise ValidationError(_l("Hãy ghi số đồng nguyên, ví dụ 20000 hoặc 20.000.")) from None


def parse_band_weight(text: str) -> int | None:
    """Grams: '5 kg', '500 g', or a bare number, which the row's label says is kilograms."""
    text = text.strip()
    if not text:
        return None
    if _BARE_NUMBER.match(text):
        text += " kg"
    try:
        return parse_weight_grams(text)
    except InvalidWeight:
        raise ValidationError(_l("Hãy ghi khối lượng như 5 kg, 500 g hoặc chỉ số kg.")) from None


def money_text(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def weight_text(grams: int) -> str:
    return f"{grams // 1000} kg" if grams % 1000 == 0 else f"{grams} g"


class _Row(Form):
    class Meta:
        csrf = False  # the plan's form carries the token once


class PickupPointRow(_Row):
    point_id = HiddenField()
    name = StringField(_l("Tên điểm nhận"))
    address = StringField(_l("Địa chỉ điểm nhận"))
    hours = StringField(_l("Giờ nhận hàng"))
    remove = BooleanField(
        _l("Ngừng dùng điểm này"),
        description=_l("Đơn đã đặt vẫn giữ điểm này; người mua mới không chọn được nữa."),
    )

    def is_blank(self) -> bool:
        return not (_text(self.point_id) or _text(self.name) or _text(self.address) or _text(self.hours))

    def values(self) -> PickupPointValues:
        point_id = _text(self.point_id)
        return PickupPointValues(
            name=self.name.data or "",
            address=self.address.data or "",
            hours=self.hours.data or "",
            point_id=int(point_id) if point_id.isdigit() else None,
            remove=bool(self.remove.data),
        )


class ZoneRow(_Row):
    commune_id = SelectField(_l("Xã/phường"), coerce=int, validate_choice=True)
    fee = MoneyField(_l("Phí tự giao (đồng)"), read=False)

    fee_vnd: int | None = None

    def validate_fee(self, field):
        self.fee_vnd = parse_fee(field.data or "")

    def is_blank(self) -> bool:
        return not self.commune_id.data and not _text(self.fee)

    def values(self) -> ZoneValues:
        return ZoneValues(commune_id=self.commune_id.data or None, fee_vnd=self.fee_vnd)


class WeightBandRow(_Row):
    up_to = StringField(_l("Đơn nặng đến (kg)"), render_kw=DECIMAL_PAD)
    fee = MoneyField(_l("Phí gửi (đồng)"), read=False)

    up_to_grams: int | None = None
    fee_vnd: int | None = None

    def validate_up_to(self, field):
        self.up_to_grams = parse_band_weight(field.data or "")

    def validate_fee(self, field):
        self.fee_vnd = parse_fee(field.data or "")

    def is_blank(self) -> bool:
        return not _text(self.up_to) and not _text(self.fee)

    def values(self) -> WeightBandValues:
        return WeightBandValues(up_to_grams=self.up_to_grams, fee_vnd=self.fee_vnd)


class DeliveryPlanForm(Form):
    pickup_points = FieldList(FormField(PickupPointRow), max_entries=60)
    zones = FieldList(FormField(ZoneRow), max_entries=200)
    ships_nationwide = BooleanField(_l("Gửi xa qua đơn vị vận chuyển (GHN, GHTK, Viettel Post…)"))
    weight_bands = FieldList(FormField(WeightBandRow), max_entries=40)
    free_over = MoneyField(
        _l("Miễn phí giao cho đơn từ (đồng)"),
        description=_l("Để trống nếu không miễn phí. Áp dụng cho tự giao và gửi xa; nhận tại điểm hẹn luôn miễn phí."),
        read=False,
    )

    free_over_vnd: int | None = None

    def validate_free_over(self, field):
        try:
            self.free_over_vnd = parse_fee(field.data or "")
        except ValidationError:
            raise ValidationError(_l("Hãy ghi số đồng nguyên, ví dụ 500000 hoặc 500.000.")) from None

    def load(self, plan: DeliveryPlan | None) -> None:
        """Show the saved plan, then blank rows to add more."""
        if plan is not None:
            for point in plan.pickup_points:
                if point.active:
                    self.pickup_points.append_entry(
                        {"point_id": str(point.id), "name": point.name, "address": point.address, "hours": point.hours}
                    )
            for zone in plan.zones:
                self.zones.append_entry({"commune_id": zone.commune_id, "fee": money_text(zone.fee_vnd)})
            for band in plan.weight_bands:
                self.weight_bands.append_entry(
                    {"up_to": weight_text(band.up_to_grams), "fee": money_text(band.fee_vnd)}
                )
            self.ships_nationwide.data = plan.ships_nationwide
            self.free_over.data = money_text(plan.free_over_vnd)
        for rows, blanks in ((self.pickup_points, BLANK_PICKUP_ROWS), (self.zones, BLANK_ZONE_ROWS),
                             (self.weight_bands, BLANK_BAND_ROWS)):
            for _blank in range(blanks):
                rows.append_entry()

    def offer_communes(self, choices: list[SelectChoice]) -> None:
        for row in self.zones:
            row.form.commune_id.choices = choices

    def filled_rows(self) -> dict[str, list]:
        """The rows something was typed in, by list: the service counts rows among these."""
        return {
            name: [entry.form for entry in getattr(self, name) if not entry.form.is_blank()]
            for name in ("pickup_points", "zones", "weight_bands")
        }

    def values(self, rows: dict[str, list]) -> DeliveryPlanValues:
        return DeliveryPlanValues(
            pickup_points=[row.values() for row in rows["pickup_points"]],
            zones=[row.values() for row in rows["zones"]],
            ships_nationwide=bool(self.ships_nationwide.data),
            weight_bands=[row.values() for row in rows["weight_bands"]],
            free_over_vnd=self.free_over_vnd,
        )

    def show_error(self, error, rows: dict[str, list]) -> None:
        """Put the service's broken rule on the box it names, or at the top when none fits."""
        target = self._box(error.field or "", rows)
        if target is not None:
            target.errors = list(target.errors) + [str(error.message)]
        else:
            self.form_errors.append(str(error.message))

    def _box(self, name: str, rows: dict[str, list]):
        parts = name.split(".")
        if len(parts) == 3 and parts[0] in rows and parts[1].isdigit() and int(parts[1]) < len(rows[parts[0]]):
            return getattr(rows[parts[0]][int(parts[1])], ROW_FIELD_NAMES.get(parts[2], parts[2]), None)
        if name == "weight_bands" and self.weight_bands.entries:
            return self.weight_bands.entries[0].form.up_to
        if name == "ways" and self.pickup_points.entries:
            return self.pickup_points.entries[0].form.name
        if name == "free_over":
            return self.free_over
        return None


def commune_choices(province_id: int | None, keep: set[int]) -> list[SelectChoice]:
    """The communes and wards of the owner's province (Huế when none is set), and any the plan
    already serves elsewhere, in Vietnamese alphabetical order."""
    condition = Commune.province.has(slug="hue") if province_id is None else Commune.province_id == province_id
    if keep:
        condition = sa.or_(condition, Commune.id.in_(keep))
    communes = sorted(db.session.execute(sa.select(Commune).where(condition)).scalars(),
                      key=lambda c: vietnamese_sort_key(c.name))
    return [SelectChoice(0, _("— Chọn xã/phường —"))] + [SelectChoice(c.id, c.name) for c in communes]
