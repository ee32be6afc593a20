"""Building carts and placing checkouts in tests, through the same services as the site."""

from __future__ import annotations

import itertools

from app.orders import cart as carts
from app.orders import checkout
from app.orders.delivery import ADDRESS
from app.orders.models import PaymentMethod
from tests.factories import commune, hue

_keys = itertools.count()


def cart_with(*items, user=None):
    """A cart holding (product, quantity) pairs, or products at their minimum order."""
    cart = carts.find_or_create(user, None)
    for item in items:
        product, quantity = item if isinstance(item, tuple) else (item, None)
        carts.add(cart, product, quantity)
    return cart


def buyer(**changes) -> checkout.BuyerDetails:
    values = dict(name="Nguyễn Thị Hoa", phone="0912 345 678", email="hoa@example.vn",
                  province_id=hue().id, commune_id=commune().id, village="Thôn Quang Lộc",
                  street="12 Lý Thái Tổ", note="")
    values.update(changes)
    return checkout.BuyerDetails(**values)


def values(delivery=None, method=PaymentMethod.CASH_ON_DELIVERY, key=None, user=None, **buyer_changes):
    return checkout.CheckoutValues(
        buyer=buyer(**buyer_changes), delivery=delivery or {}, payment_method=method,
        submission_key=key or f"test-{next(_keys)}", user=user,
    )


def pickup(plan) -> str:
    return str(plan.pickup_points[0].id)


__all__ = ["ADDRESS", "buyer", "cart_with", "pickup", "values"]
