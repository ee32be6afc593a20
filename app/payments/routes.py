"""Card payment pages for a buyer, found only by their checkout's secret link, and Stripe's webhook.

The buyer is sent to Stripe's own page to pay and comes back to /xong or /huy; coming back proves
nothing, so those pages only read what the database says. An order becomes paid when Stripe's
signed webhook says so (webhooks.py).
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from app.common.access import Audience, declare
from app.common.urls import absolute_url
from app.extensions import csrf, db
from app.orders import cart as carts
from app.orders.routes import current_cart
from app.payments import card, offers, webhooks
from app.payments.stripe_gateway import InvalidWebhook, PaymentProviderUnavailable, settings_from, verify_event

log = logging.getLogger(__name__)

bp = Blueprint("payments", __name__)
declare(bp, Audience.ANYONE)
# Orders ask payments, through extension points, how else a checkout may be paid.
bp.record_once(lambda state: offers.register(state.app))

_PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def _settings():
    return settings_from(current_app.config)


def _checkout(token: str, *, lock: bool = False):
    checkout = card.checkout_by_token(token, lock=lock)
    if checkout is None:
        abort(404)
    return checkout


def _orders_link(token: str) -> str:
    return url_for("orders.checkout_status", token=token)


def _page(template: str, checkout, token: str, code: int = 200, **context):
    return render_template(
        template, checkout=checkout, token=token, orders_url=_orders_link(token), **context
    ), code


@bp.get("/thanh-toan/the/<token>")
def card_checkout(token: str):
    """Send the buyer to Stripe's page for this checkout, creating the session the first time."""
    checkout = _checkout(token, lock=True)
    state = card.state(checkout)
    if state == card.CardState.PAID:
        return redirect(url_for("payments.card_return", token=token), 303)
    if state != card.CardState.AWAITING:
        return _page("payments/card_closed.html", checkout, token, 410, state=state.value)
    if checkout.stripe_session_id:
        # The session expires with the hold (payment_due_at), so while the hold lasts it is open.
        # A session known only from its webhook (a delayed payment under way) has no address here.
        if checkout.stripe_session_url:
            return redirect(checkout.stripe_session_url, 303)
        return redirect(url_for("payments.card_return", token=token), 303)
    settings = _settings()
    if settings is None:
        log.warning("card checkout %s but Stripe is not configured", checkout.reference)
        return _page("payments/card_unavailable.html", checkout, token, 503)
    try:
        session = card.start_payment(
            settings,
            checkout,
            success_url=absolute_url("payments.card_return", token=token),
            cancel_url=absolute_url("payments.card_cancelled", token=token),
        )
    except PaymentProviderUnavailable:
        db.session.commit()  # keeps the moved hold, so a retry sends the same request (card.start_payment)
        return _page("payments/card_unavailable.html", checkout, token, 503)
    db.session.commit()
    return redirect(session.url, 303)


@bp.get("/thanh-toan/the/<token>/xong")
def card_return(token: str):
    """Where Stripe sends the buyer after paying: says what the database knows, changes nothing."""
    checkout = _checkout(token)
    state = card.state(checkout)
    return _page("payments/card_return.html", checkout, token, state=state.value,
                 waiting=state in (card.CardState.AWAITING, card.CardState.OVERDUE))


@bp.get("/thanh-toan/the/<token>/huy")
def card_cancelled(token: str):
    """Where Stripe sends a buyer who left its page: nothing was charged; try again or give up."""
    checkout = _checkout(token)
    state = card.state(checkout)
    if state == card.CardState.PAID:
        return redirect(url_for("payments.card_return", token=token), 303)
    return _page("payments/card_cancelled.html", checkout, token, state=state.value)


@bp.post("/thanh-toan/the/<token>/huy")
def give_up_card(token: str):
    """Cancel the card payment and its orders (stock back), to choose another way to pay."""
    checkout = _checkout(token, lock=True)
    if card.state(checkout) == card.CardState.PAID:
        return redirect(url_for("payments.card_return", token=token), 303)
    try:
        cancelled = card.give_up(_settings(), checkout)
    except PaymentProviderUnavailable:
        db.session.rollback()
        return _page("payments/card_unavailable.html", checkout, token, 503)
    if cancelled:
        # Back in the cart, to choose another way to pay without choosing the products again.
        carts.put_back_in_cart(current_cart(create=True), checkout.orders)
    db.session.commit()
    if not cancelled:
        return redirect(url_for("payments.card_return", token=token), 303)
    return redirect(url_for("orders.cart"), 303)


@bp.post("/payments/stripe/webhook")
def stripe_webhook():
    """Stripe's deliveries: checked, stored once by event id, handled, committed once."""
    settings = _settings()
    if settings is None:
        # Stripe keeps retrying for days: events are handled once the keys are back.
        return "card payments are not configured\n", 503, _PLAIN
    try:
        event = verify_event(settings, request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidWebhook as error:
        log.info("Stripe webhook refused: %s", error.reason)
        return f"{error.reason}\n", 400, _PLAIN
    try:
        outcome = webhooks.receive(event)
    except ValueError:
        return "not a Stripe event\n", 400, _PLAIN
    db.session.commit()
    log.info("Stripe event %s (%s): %s", event.get("id"), event.get("type"), outcome or "seen before")
    return f"{outcome or 'seen before'}\n", 200, _PLAIN


# Stripe signs its deliveries instead: it has no form token to send.
csrf.exempt(stripe_webhook)
