"""What the site does with each verified Stripe event: the only place a card order becomes paid.

Stripe sends an event at least once and in any order. Each is stored under its id first
(StripeEvent's primary key): a delivery whose id is already there, or that loses the race to
insert it, does nothing. Every order moves through orders.status, whose compare-and-set UPDATE
keeps two events (or the fallback job) from moving one order twice, and whose move to cancelled
gives the stock back once. An event the site cannot use is recorded with its outcome and
answered 200, so Stripe stops sending it; only a bug answers 500 (and Stripe tries again).

The log names events, checkouts and order codes, never a buyer's details.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.common.errors import RuleBroken
from app.common.timezone import utcnow
from app.extensions import db
from app.orders import status
from app.orders.models import Checkout, Order, OrderStatus, PaymentMethod
from app.payments import card
from app.payments.models import StripeEvent
from app.payments.stripe_gateway import CURRENCY

log = logging.getLogger(__name__)

STRIPE = status.Actor(status.Party.STRIPE)
PAID_STATES = {OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED,
               OrderStatus.COMPLETED}


def receive(event: dict) -> str | None:
    """Handle one verified event once: its outcome, or None for a delivery already handled.

    The caller commits. After None the session has been rolled back (a lost insert race).
    """
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
        raise ValueError("a Stripe event has an id and a type")
    if db.session.get(StripeEvent, event_id) is not None:
        return None
    row = StripeEvent(id=event_id[:255], type=event_type[:80], received_at=utcnow(), outcome="")
    db.session.add(row)
    try:
        # The row first: a second delivery running at the same moment waits here on the primary
        # key, and fails once this one commits, before it has moved anything.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    handler = HANDLERS.get(event_type)
    data = (event.get("data") or {}).get("object") or {}
    row.outcome = handler(event_id, data) if handler else "ignored"
    db.session.flush()
    return row.outcome


def _checkout_query():
    return sa.select(Checkout).options(
        selectinload(Checkout.orders).options(selectinload(Order.lines), joinedload(Order.producer))
    )


def _by_reference(reference) -> Checkout | None:
    if not isinstance(reference, str) or not reference:
        return None
    return db.session.execute(_checkout_query().where(Checkout.reference == reference)).scalar_one_or_none()


def _reference_of(data: dict):
    metadata = data.get("metadata") or {}
    return metadata.get("checkout_reference") or data.get("client_reference_id")


def _checkout_for_session(event_id: str, session: dict, *, paying: bool) -> Checkout | None:
    """The card checkout a Checkout Session event is about.

    By the session id stored when it was created, else by the reference the session carries.
    A session other than the one stored (made by a retry whose answer was lost) counts when it
    brings money; its expiry does not close a checkout that another session may still pay.
    """
    session_id = session.get("id")
    checkout = None
    if isinstance(session_id, str) and session_id:
        checkout = db.session.execute(
            _checkout_query().where(Checkout.stripe_session_id == session_id)
        ).scalar_one_or_none()
    if checkout is None:
        checkout = _by_reference(_reference_of(session))
        if checkout is not None and checkout.stripe_session_id not in (None, session_id) and not paying:
            log.info("Stripe event %s: session of checkout %s is not its current one; ignored",
                     event_id, checkout.reference)
            return None
    if checkout is None or checkout.payment_method != PaymentMethod.CARD:
        log.warning("Stripe event %s names no card checkout of this site", event_id)
        return None
    if checkout.stripe_session_id is None and isinstance(session_id, str):
        checkout.stripe_session_id = session_id
    return checkout


def _move_each(move: status.Move, orders: list[Order]) -> tuple[list, list]:
    moved, refused = [], []
    for order in orders:
        try:
            status.apply(order, move, STRIPE)
        except RuleBroken:
            refused.append(order)
        else:
            moved.append(order)
    return moved, refused


def _pay(event_id: str, session: dict) -> str:
    checkout = _checkout_for_session(event_id, session, paying=True)
    if checkout is None:
        return "unknown_session"
    amount, currency = session.get("amount_total"), session.get("currency")
    if amount != checkout.total_vnd or currency != CURRENCY:
        log.warning(
            "Stripe event %s for checkout %s: paid %s %s, expected %s %s; not marked paid",
            event_id, checkout.reference, amount, currency, checkout.total_vnd, CURRENCY,
        )
        return "mismatch"
    unpaid = [order for order in checkout.orders if order.paid_at is None]
    if not unpaid:
        return "already_paid"
    _moved, refused = _move_each(status.Move.PAY, unpaid)
    if refused:
        # The money came for orders that closed meanwhile (a seller cancelled, the fallback
        # expired them): someone must refund it from Stripe's dashboard.
        log.warning(
            "Stripe event %s: checkout %s paid, but orders %s no longer await payment; refund them",
            event_id, checkout.reference, ", ".join(order.code for order in refused),
        )
        return "paid_orders_closed"
    return "paid"


def _completed(event_id: str, session: dict) -> str:
    if session.get("payment_status") == "paid":
        return _pay(event_id, session)
    # A delayed method (a bank debit): the money is not there yet; async_payment_* will say.
    if _checkout_for_session(event_id, session, paying=True) is None:
        return "unknown_session"
    return "awaiting_payment"


def _close(event_id: str, session: dict, reason: str, outcome: str) -> str:
    checkout = _checkout_for_session(event_id, session, paying=False)
    if checkout is None:
        return "unknown_session"
    if card.expire_orders(checkout, status.Party.STRIPE, reason):
        return outcome
    return "already_closed"


def _expired(event_id: str, session: dict) -> str:
    return _close(event_id, session, card.STRIPE_EXPIRED, "expired")


def _failed(event_id: str, session: dict) -> str:
    return _close(event_id, session, card.STRIPE_FAILED, "payment_failed")


def _refunded(event_id: str, charge: dict) -> str:
    # The charge carries the checkout's reference: the session put it in payment_intent_data's
    # metadata, which Stripe copies onto the payment's charge.
    checkout = _by_reference((charge.get("metadata") or {}).get("checkout_reference"))
    if checkout is None or checkout.payment_method != PaymentMethod.CARD:
        log.warning("Stripe event %s: a refund for no card checkout of this site", event_id)
        return "unknown_session"
    refunded, currency = charge.get("amount_refunded"), charge.get("currency")
    if refunded != checkout.total_vnd or currency != CURRENCY:
        log.warning(
            "Stripe event %s: checkout %s refunded %s %s of %s: partly; its orders are left as they are",
            event_id, checkout.reference, refunded, currency, checkout.total_vnd,
        )
        return "partial_refund"
    paid = [order for order in checkout.orders if order.paid_at is not None and order.status in PAID_STATES]
    if not paid:
        return "already_refunded"
    _moved, refused = _move_each(status.Move.REFUND, paid)
    return "refunded" if not refused else "refund_refused"


HANDLERS = {
    "checkout.session.completed": _completed,
    "checkout.session.async_payment_succeeded": _pay,
    "checkout.session.async_payment_failed": _failed,
    "checkout.session.expired": _expired,
    "charge.refunded": _refunded,
}
