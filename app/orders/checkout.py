"""Placing a checkout: one order per producer, priced from the database, stock taken in the same
transaction with the database's guard.

Nothing the browser sends about money is used: prices come from the products, fees from the
sellers' delivery plans, totals are added up here (and the table's CHECK constraints hold the
sums). A second submission of the same form finds the first checkout instead of making another.

Functions here flush but never commit; the route commits once, or rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.accounts.phone import InvalidPhoneNumber, normalize_phone
from app.catalog import stock
from app.common.errors import RuleBroken
from app.common.extension_points import ExtensionPoint
from app.common.timezone import utcnow
from app.extensions import db
from app.orders import codes, delivery, notices, status
from app.orders.cart import Review, review
from app.orders.models import (
    Cart,
    Checkout,
    NoticeKind,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from app.places.models import Commune, Province

# How long a card checkout holds its stock while the buyer pays (Stripe's shortest session).
CARD_HOLD = timedelta(minutes=30)

# Which ways of paying a checkout may use beyond cash on delivery: app.payments registers a
# function (producers) -> set[PaymentMethod]; without it only cash on delivery is offered.
payment_methods = ExtensionPoint("orders.payment_methods", "Ways to pay offered for a set of producers.")


class CheckoutRefused(RuleBroken):
    pass


@dataclass
class BuyerDetails:
    name: str
    phone: str
    email: str | None = None
    province_id: int | None = None
    commune_id: int | None = None
    commune_name: str = ""
    village: str = ""
    street: str = ""
    note: str = ""


@dataclass
class CheckoutValues:
    buyer: BuyerDetails
    # producer id → delivery.ADDRESS or a pickup point id, as the form posted it
    delivery: dict[int, str]
    payment_method: PaymentMethod
    submission_key: str
    language: str = "vi"
    user: User | None = None
    extra: dict = field(default_factory=dict)


def offered_methods(producers) -> set[PaymentMethod]:
    methods = {PaymentMethod.CASH_ON_DELIVERY}
    for offer in payment_methods.values():
        methods |= offer(list(producers))
    return methods


def existing(submission_key: str) -> Checkout | None:
    return db.session.execute(
        sa.select(Checkout).where(Checkout.submission_key == submission_key)
    ).scalar_one_or_none()


def needs_address(delivery_choices: dict[int, str], producer_ids) -> bool:
    """Whether any producer of the cart delivers to the buyer's address (not a pickup point)."""
    return any(delivery_choices.get(pid, delivery.ADDRESS) == delivery.ADDRESS for pid in producer_ids)


def buyer_problems(buyer: BuyerDetails, needs_address: bool) -> tuple[BuyerDetails | None, list[CheckoutRefused]]:
    """The buyer's details tidied, and every problem with them: the checkout form shows them all
    on one submit, and placing refuses the first (one rule for both)."""
    problems: list[CheckoutRefused] = []
    name = " ".join((buyer.name or "").split())
    if not name:
        problems.append(CheckoutRefused(_l("Hãy nhập tên người nhận."), "name"))
    elif len(name) > 120:
        problems.append(CheckoutRefused(_l("Tên tối đa 120 ký tự."), "name"))
    phone = ""
    try:
        phone = normalize_phone(buyer.phone)
    except InvalidPhoneNumber as error:
        message = (_l("Số này không phải số di động Việt Nam (đầu số không đúng).") if error.reason == "network"
                   else _l("Hãy nhập số di động 10 chữ số, ví dụ 0912 345 678."))
        problems.append(CheckoutRefused(message, "phone"))
    email = (buyer.email or "").strip().lower() or None
    note = (buyer.note or "").strip()[:1000]
    if not needs_address:
        return (None if problems else BuyerDetails(name, phone, email, note=note)), problems

    village, street = " ".join(buyer.village.split())[:120], " ".join(buyer.street.split())[:200]
    commune_name = " ".join((buyer.commune_name or "").split())[:120]
    province = db.session.get(Province, buyer.province_id) if buyer.province_id else None
    if province is None:
        problems.append(CheckoutRefused(_l("Hãy chọn tỉnh/thành phố nhận hàng."), "province"))
    else:
        listed = db.session.execute(sa.select(Commune.id).where(Commune.province_id == province.id).limit(1)).first()
        if listed:
            commune = db.session.get(Commune, buyer.commune_id) if buyer.commune_id else None
            if commune is None or commune.province_id != province.id:
                problems.append(CheckoutRefused(_l("Hãy chọn xã/phường thuộc tỉnh/thành phố đã chọn."), "commune"))
            commune_name = ""
        elif not commune_name:
            problems.append(CheckoutRefused(_l("Hãy nhập tên xã/phường nhận hàng."), "commune_name"))
    if not street:
        problems.append(CheckoutRefused(_l("Hãy nhập số nhà, đường hoặc chỉ dẫn đường đi."), "street"))
    if problems:
        return None, problems
    return BuyerDetails(name, phone, email, buyer.province_id, buyer.commune_id if not commune_name else None,
                        commune_name, village, street, note), []


def _clean_buyer(buyer: BuyerDetails, needs_address: bool) -> BuyerDetails:
    cleaned, problems = buyer_problems(buyer, needs_address)
    if problems:
        raise problems[0]
    return cleaned


def _parcel(rl) -> delivery.ParcelLine:
    p = rl.product
    return delivery.ParcelLine(p.name, rl.line.quantity, p.net_weight_grams, p.price_vnd * rl.line.quantity)


@dataclass
class Plan:
    """What a checkout would be now: each producer's quote, and the total. Shown before paying."""

    review: Review
    quotes: dict[int, delivery.Quote]
    errors: dict[int, RuleBroken]
    delivery_plans: dict  # producer id → the DeliveryPlan quoted from (None: they have none)

    @property
    def total_vnd(self) -> int:
        return self.review.total_vnd + sum(q.fee_vnd for q in self.quotes.values())


def plan(cart: Cart, choices: dict[int, str], commune_id: int | None, has_address: bool = False,
         plans: dict | None = None) -> Plan:
    """Quote every producer's part for the choices so far; errors are kept, not raised.

    plans: the producers' delivery plans when the caller has loaded them already.
    """
    reviewed = review(cart)
    if plans is None:
        plans = delivery.plans_for(group.producer for group in reviewed.groups)
    quotes, errors = {}, {}
    for group in reviewed.groups:
        lines = [_parcel(rl) for rl in group.lines if rl.orderable]
        choice = choices.get(group.producer.id, delivery.ADDRESS)
        try:
            quotes[group.producer.id] = delivery.quote(
                plans[group.producer.id], choice, lines, commune_id, field=f"delivery_{group.producer.id}",
                has_address=has_address,
            )
        except delivery.CannotDeliver as error:
            errors[group.producer.id] = error
    return Plan(reviewed, quotes, errors, plans)


def _new_code(model, column, make: Callable[[], str]) -> str:
    for _attempt in range(10):
        code = make()
        if db.session.execute(sa.select(column).where(column == code)).first() is None:
            return code
    raise RuntimeError(f"no free {model.__name__} code after 10 tries")


def place(cart: Cart, values: CheckoutValues, now: datetime | None = None) -> Checkout:
    """Turn the cart into a checkout with one order per producer, or raise and change nothing.

    Raises CheckoutRefused / CannotDeliver for the buyer's input, stock.OutOfStock when a product
    ran out (the database's guard), and returns the earlier checkout for a repeated submission.
    """
    now = now or utcnow()
    earlier = existing(values.submission_key)
    if earlier is not None:
        return earlier
    reviewed = review(cart)
    if reviewed.empty:
        raise CheckoutRefused(_l("Giỏ hàng của bạn đang trống."), "cart")
    if reviewed.blocked:
        raise CheckoutRefused(_l("Giỏ hàng có sản phẩm đã hết hoặc thay đổi. Hãy xem lại giỏ trước khi đặt."), "cart")

    buyer = _clean_buyer(values.buyer, needs_address(values.delivery, (g.producer.id for g in reviewed.groups)))
    producers = [group.producer for group in reviewed.groups]
    if values.payment_method not in offered_methods(producers):
        raise CheckoutRefused(_l("Cách thanh toán này không dùng được cho đơn hàng này."), "payment_method")

    quoted = plan(cart, values.delivery, buyer.commune_id, has_address=bool(buyer.commune_name))
    if quoted.errors:
        raise next(iter(quoted.errors.values()))

    checkout = Checkout(
        reference=_new_code(Checkout, Checkout.reference, codes.checkout_reference),
        submission_key=values.submission_key,
        access_token=codes.token(),
        user_id=values.user.id if values.user is not None and values.user.is_authenticated else None,
        buyer_name=buyer.name, buyer_phone=buyer.phone, buyer_email=buyer.email,
        province_id=buyer.province_id, commune_id=buyer.commune_id, commune_name=buyer.commune_name,
        village=buyer.village,
        street=buyer.street, note=buyer.note, payment_method=values.payment_method,
        total_vnd=quoted.total_vnd, language=values.language, created_at=now,
        payment_due_at=now + CARD_HOLD if values.payment_method == PaymentMethod.CARD else None,
    )
    db.session.add(checkout)
    # The checkout row first: a second submission with the same key waits here on the unique
    # index and then fails, before it has taken any stock.
    db.session.flush()

    first_status = (OrderStatus.PLACED if values.payment_method == PaymentMethod.CASH_ON_DELIVERY
                    else OrderStatus.AWAITING_PAYMENT)
    for group in reviewed.groups:
        quote = quoted.quotes[group.producer.id]
        order = Order(
            code=_new_code(Order, Order.code, codes.order_code), checkout=checkout,
            producer_id=group.producer.id, status=first_status, delivery_method=quote.method,
            pickup_point_id=quote.pickup_point.id if quote.pickup_point else None,
            pickup_text=quote.pickup_point.describe() if quote.pickup_point else "",
            goods_vnd=group.goods_vnd, delivery_fee_vnd=quote.fee_vnd,
            total_vnd=group.goods_vnd + quote.fee_vnd, weight_grams=quote.weight_grams,
            created_at=now, status_changed_at=now,
        )
        order.producer = group.producer
        for rl in group.lines:
            product = rl.product
            order.lines.append(OrderLine(
                product_id=product.id, livestream_id=rl.line.livestream_id, product_name=product.name,
                unit=product.unit, net_weight_grams=product.net_weight_grams,
                unit_price_vnd=product.price_vnd, quantity=rl.line.quantity,
                line_total_vnd=product.price_vnd * rl.line.quantity,
            ))
        db.session.add(order)
        db.session.flush()
        for line in order.lines:
            stock.take_for_order(line.product_id, line.quantity, order.code,
                                 checkout.user_id)
        status.record(order, None, first_status, status.Actor(status.Party.BUYER, values.user
                      if checkout.user_id else None), now=now)
        if values.payment_method != PaymentMethod.CARD:
            # A card order is news once Stripe says it is paid (status._notify on PAY).
            notices.queue(order, NoticeKind.PLACED, "buyer")
            notices.queue(order, NoticeKind.PLACED, "seller")
    cart.lines.clear()
    db.session.flush()
    return checkout


def last_address(user: User | None) -> Checkout | None:
    """A signed-in buyer's latest checkout with an address, to offer it again."""
    if user is None or not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(Checkout)
        .where(Checkout.user_id == user.id, Checkout.province_id.is_not(None))
        .order_by(Checkout.created_at.desc(), Checkout.id.desc())
        .limit(1)
    ).scalar_one_or_none()
