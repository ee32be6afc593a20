"""What people read for an order's ways of paying and of delivery, for who moved an order, and
for the unit of each of its lines.

The states and moves have theirs beside the transition table (status.STATUS_LABELS, MOVE_LABELS).
"""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from app.catalog import units
from app.orders.models import DeliveryMethod, OrderLine, PaymentMethod

PAYMENT_LABELS = {
    PaymentMethod.CASH_ON_DELIVERY: _l("Trả tiền khi nhận hàng"),
    PaymentMethod.BANK_TRANSFER: _l("Chuyển khoản ngân hàng"),
    PaymentMethod.CARD: _l("Thẻ ngân hàng"),
}

DELIVERY_LABELS = {
    DeliveryMethod.PICKUP: _l("Nhận tại điểm hẹn"),
    DeliveryMethod.LOCAL: _l("Người bán giao tận nơi"),
    DeliveryMethod.COURIER: _l("Gửi qua đơn vị vận chuyển"),
}

# OrderEvent.actor_kind when no account is named (a guest buyer, Stripe, the system's jobs).
ACTOR_LABELS = {
    "seller": _l("Người bán"),
    "buyer": _l("Người mua"),
    "stripe": _l("Cổng thanh toán thẻ"),
    "system": _l("Hệ thống"),
}


# --- An order line's unit, worded for whoever reads it ---------------------------------------
# A line keeps the unit's code, so the seller reads "thùng" on the order an English buyer reads
# as "box"; the words come from catalog.units, like the product's own price tag.


def line_unit(line: OrderLine) -> str:
    """ "thùng 10 kg" / "10 kg box": what one unit of the line was, for "giá / đơn vị"."""
    if line.unit is None:
        # An old line whose word matched no unit: shown as written, with its weight if any.
        weight = units.format_weight(line.net_weight_grams) if line.net_weight_grams else ""
        return " ".join(part for part in (line.unit_text or "", weight) if part)
    return units.unit_label(line.unit, line.net_weight_grams)


def line_quantity(line: OrderLine) -> str:
    """ "3 thùng 10 kg" / "3 boxes of 10 kg": how much the line is of."""
    if line.unit is None:
        return f"{format_decimal(line.quantity)} {line_unit(line)}".strip()
    return units.quantity_text(line.quantity, line.unit, line.net_weight_grams)
