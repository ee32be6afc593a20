"""Paying a checkout by card through Stripe Checkout: the session, giving up, and the fallback
that closes card checkouts whose payment news never came.

A card checkout's orders wait in AWAITING_PAYMENT, holding their stock, until Stripe's signed
webhook says the money arrived (webhooks.py) or the payment expired. Nothing here marks an
order paid. Functions here flush but never commit; the route or the command commits.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.common.errors import RuleBroken
from app.common.timezone import utcnow
from app.extensions import db
from app.orders import status
from app.orders.models import Checkout, Order, OrderStatus, PaymentMethod
from app.payments.stripe_gateway import (
    LOCALES,
    CheckoutLine,
    CreatedSession,
    StripeSettings,
    create_checkout_session,
    expire_checkout_session,
)

log = logging.getLogger(__name__)

# Stripe refuses a session that expires sooner than 30 minutes after it is created; the extra
# minute covers the request's own time and any difference between our clock and Stripe's.
SESSION_MIN_LIFETIME = timedelta(minutes=31)
# When the hold is moved, it is moved this far, so a retry in the next few minutes finds enough
# time left, keeps the same expiry and so the same idempotency key (moving it to exactly the
# minimum would give every retry a second later a new expiry, and Stripe a new session).
SESSION_HOLD = timedelta(minutes=35)
# The fallback waits this long after a payment was due for Stripe's own expiry event.
OVERDUE_GRACE = timedelta(hours=1)

# Stored with the order's cancellation, for the seller's and the buyer's history.
BUYER_GAVE_UP = "Người mua huỷ thanh toán thẻ để chọn cách trả khác"
STRIPE_EXPIRED = "Hết hạn thanh toán thẻ"
STRIPE_FAILED = "Thanh toán thẻ không thành công"
NEVER_CONFIRMED = "Quá hạn thanh toán thẻ, không nhận được xác nhận"


class CardState(enum.Enum):
    AWAITING = "awaiting"  # every order waits for the money, and there is still time to pay
    OVERDUE = "overdue"  # waiting, but the time to pay is over
    PAID = "paid"  # Stripe confirmed the payment
    CLOSED = "closed"  # expired, cancelled, or changed since: it can no longer be paid


def checkout_by_token(token: str, *, lock: bool = False) -> Checkout | None:
    """The card checkout whose secret link this is, with its orders, lines and producers.

    With lock, the row stays locked until the transaction ends (PostgreSQL), so two taps on
    "pay" create one session between them.
    """
    query = (
        sa.select(Checkout)
        .where(Checkout.access_token == token, Checkout.payment_method == PaymentMethod.CARD)
        .options(selectinload(Checkout.orders).options(selectinload(Order.lines), joinedload(Order.producer)))
    )
    if lock:
        query = query.with_for_update(of=Checkout)
    return db.session.execute(query).scalar_one_or_none()


def state(checkout: Checkout, now: datetime | None = None) -> CardState:
    orders = checkout.orders
    if any(order.paid_at is not None for order in orders):
        return CardState.PAID
    if orders and all(order.status == OrderStatus.AWAITING_PAYMENT for order in orders):
        due = checkout.payment_due_at
        return CardState.OVERDUE if due is not None and due <= (now or utcnow()) else CardState.AWAITING
    return CardState.CLOSED


def session_lines(checkout: Checkout) -> list[CheckoutLine]:
    """One line per order line, and one per delivery fee, adding up to the checkout's total."""
    lines = []
    with force_locale(checkout.language if checkout.language in LOCALES else "vi"):
        for order in checkout.orders:
            producer = order.producer.display_name
            for line in order.lines:
                lines.append(CheckoutLine(f"{line.product_name} — {producer}", line.unit_price_vnd, line.quantity))
            if order.delivery_fee_vnd > 0:
                name = _("Phí giao hàng — %(producer)s", producer=producer)
                lines.append(CheckoutLine(name, order.delivery_fee_vnd, 1))
    charged = sum(line.unit_amount_vnd * line.quantity for line in lines)
    if charged != checkout.total_vnd:
        # The tables' CHECK constraints hold each sum; this would be a bug, never a buyer's mistake.
        raise ValueError(f"checkout {checkout.reference}: lines add up to {charged}, total is {checkout.total_vnd}")
    return lines


def start_payment(
    settings: StripeSettings, checkout: Checkout, *, success_url: str, cancel_url: str, now: datetime | None = None
) -> CreatedSession:
    """Create the checkout's Stripe session and store it; PaymentProviderUnavailable when Stripe fails.

    The session expires when the checkout's stock hold ends (payment_due_at). A checkout is held
    for 30 minutes from placing it, so by the time the buyer gets here less is left than Stripe's
    30-minute minimum: the hold is then moved to 35 minutes from now (SESSION_HOLD), so stock is
    never given back while the buyer can still pay. The moved hold stays even when Stripe fails,
    so a retry within the next few minutes sends the same parameters under the same idempotency
    key and gets the session
    Stripe may have made for a request whose answer was lost. The key names the expiry because
    Stripe refuses one key with other parameters, and a later retry needs a later expiry.
    """
    now = now or utcnow()
    if checkout.payment_due_at is None or checkout.payment_due_at < now + SESSION_MIN_LIFETIME:
        checkout.payment_due_at = (now + SESSION_HOLD).replace(microsecond=0)
    expires_at = int(checkout.payment_due_at.timestamp())
    db.session.flush()
    session = create_checkout_session(
        settings,
        reference=checkout.reference,
        lines=session_lines(checkout),
        customer_email=checkout.buyer_email,
        success_url=success_url,
        cancel_url=cancel_url,
        expires_at=expires_at,
        idempotency_key=f"checkout-{checkout.reference}-{expires_at}",
        locale=checkout.language if checkout.language in LOCALES else "vi",
    )
    checkout.stripe_session_id = session.id
    checkout.stripe_session_url = session.url
    db.session.flush()
    return session


def expire_orders(checkout: Checkout, party: status.Party, reason: str) -> list[Order]:
    """EXPIRE every order of the checkout still awaiting payment (their stock goes back, once)."""
    moved = []
    for order in checkout.orders:
        if order.status != OrderStatus.AWAITING_PAYMENT:
            continue
        try:
            status.apply(order, status.Move.EXPIRE, status.Actor(party), reason=reason)
        except RuleBroken:
            continue  # moved meanwhile (paid, or expired by another delivery): nothing to give back
        moved.append(order)
    return moved


def give_up(settings: StripeSettings | None, checkout: Checkout) -> bool:
    """The buyer cancels the card payment to choose another way: close Stripe's session first,
    so it cannot be paid afterwards, then expire the orders. False when the buyer paid first.

    Raises PaymentProviderUnavailable when the session cannot be closed: the orders stay, since
    cancelling them while the session is open could take money for cancelled orders.
    """
    session_id = checkout.stripe_session_id
    if session_id and settings is not None and expire_checkout_session(settings, session_id) == "complete":
        return False
    expire_orders(checkout, status.Party.SYSTEM, BUYER_GAVE_UP)
    return True


def overdue_checkouts(now: datetime | None = None) -> list[Checkout]:
    """Card checkouts still awaiting payment an hour after it was due: their news was lost."""
    cutoff = (now or utcnow()) - OVERDUE_GRACE
    waiting = sa.select(Order.checkout_id).where(Order.status == OrderStatus.AWAITING_PAYMENT)
    return list(
        db.session.execute(
            sa.select(Checkout)
            .where(
                Checkout.payment_method == PaymentMethod.CARD,
                Checkout.payment_due_at < cutoff,
                Checkout.id.in_(waiting),
            )
            .options(selectinload(Checkout.orders).selectinload(Order.lines))
            .order_by(Checkout.payment_due_at)
        ).scalars()
    )


def expire_overdue(settings: StripeSettings | None, checkout: Checkout) -> bool:
    """Close one overdue card checkout; False when Stripe says its session was paid (the
    webhook is still to come, and Stripe retries it for days). Raises PaymentProviderUnavailable
    when Stripe cannot say: the checkout is left for the next run."""
    session_id = checkout.stripe_session_id
    if session_id and settings is not None and expire_checkout_session(settings, session_id) == "complete":
        log.warning("card checkout %s overdue but its Stripe session is complete: waiting for the webhook",
                    checkout.reference)
        return False
    expire_orders(checkout, status.Party.SYSTEM, NEVER_CONFIRMED)
    return True
