"""What people read for an order's ways of paying and of delivery, and for who moved an order.

The states and moves have theirs beside the transition table (status.STATUS_LABELS, MOVE_LABELS).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.orders.models import DeliveryMethod, PaymentMethod

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
