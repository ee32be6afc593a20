"""Stripe's webhook: the only way a card order becomes paid, expires or is refunded.

Each delivery is signed by the fake with the app's webhook secret, as Stripe signs it, and posted
raw; the events are the fake's own, about sessions the app created through it.
"""

from __future__ import annotations

import json
import time

import pytest

from app.extensions import db
from app.orders import status
from app.orders.models import NoticeKind, Order, OrderEvent, OrderStatus
from app.payments.models import StripeEvent
from tests.payments.conftest import WEBHOOK_SECRET
from tests.payments.fake_stripe import signed
from tests.payments.helpers import (
    WEBHOOK,
    count,
    deliver,
    history,
    notices,
    orders,
    place_two_producer_checkout,
    session_of,
    stocks,
)

S = OrderStatus


@pytest.fixture
def placed(app):
    return place_two_producer_checkout(app)


@pytest.fixture
def session(client, fake_stripe, placed):
    return session_of(client, fake_stripe, placed)


def outcomes(app) -> dict[str, str]:
    with app.app_context():
        return {row.id: row.outcome for row in db.session.query(StripeEvent)}


def test_a_signed_completed_payment_marks_every_order_of_the_checkout_paid(app, client, fake_stripe, placed, session):
    event = fake_stripe.event_for(session)

    response = deliver(client, event)

    assert response.status_code == 200
    rows = orders(app, placed)
    assert [o.status for o in rows] == [S.PLACED, S.PLACED]
    assert all(o.paid_at is not None for o in rows)
    assert [(to, who) for _order, to, who in history(app, placed)][-2:] == [(S.PLACED, "stripe")] * 2
    assert notices(app, placed) == {
        (order_id, NoticeKind.PLACED, recipient) for order_id in placed.order_ids for recipient in ("buyer", "seller")
    }
    assert outcomes(app) == {event["id"]: "paid"}
    assert "Đã thanh toán" in client.get(f"{placed.pay_url}/xong").get_data(as_text=True)
    assert client.get(placed.pay_url).headers["Location"].endswith("/xong")


def test_the_same_delivery_again_changes_nothing(app, client, fake_stripe, placed, session):
    event = fake_stripe.event_for(session)
    assert deliver(client, event).status_code == 200
    before = (history(app, placed), notices(app, placed), [o.paid_at for o in orders(app, placed)])

    again = deliver(client, event)

    assert again.status_code == 200
    assert count(app, StripeEvent) == 1
    assert (history(app, placed), notices(app, placed), [o.paid_at for o in orders(app, placed)]) == before


def test_a_delivery_losing_the_race_for_its_event_id_does_nothing(app, client, fake_stripe, placed, session,
                                                                   monkeypatch):
    event = fake_stripe.event_for(session)
    assert deliver(client, event).status_code == 200
    events_before = count(app, OrderEvent)
    # The other delivery's row is not yet visible when this one looks, so it inserts and fails.
    real_get = db.session.get
    monkeypatch.setattr(db.session, "get", lambda model, *a, **k: None if model is StripeEvent else real_get(model, *a, **k))

    assert deliver(client, event).status_code == 200
    assert count(app, StripeEvent) == 1
    assert count(app, OrderEvent) == events_before


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda event: deliver_raw(event, secret="whsec_other"), id="forged signature"),
        pytest.param(lambda event: deliver_raw(event, timestamp=int(time.time()) - 301), id="older than 300 s"),
        pytest.param(lambda event: deliver_raw(b"{not json"), id="not JSON"),
        pytest.param(lambda event: deliver_raw({"hello": "world"}), id="JSON but not an event"),
        pytest.param(lambda event: deliver_raw(event, header=False), id="no signature header"),
        pytest.param(lambda event: deliver_raw(event, body_change=True), id="body changed after signing"),
    ],
)
def test_a_delivery_that_is_not_a_genuine_recent_event_is_refused_and_changes_nothing(
    app, client, fake_stripe, placed, session, tamper
):
    event = fake_stripe.event_for(session)
    body, headers = tamper(event)

    response = client.post(WEBHOOK, data=body, headers=headers, content_type="application/json")

    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert len(response.get_data()) < 100
    assert count(app, StripeEvent) == 0
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2


def deliver_raw(payload, *, secret=WEBHOOK_SECRET, timestamp=None, header=True, body_change=False):
    body, signature = signed(payload, secret, timestamp)
    if body_change:
        body = body.replace(b'"paid"', b'"paid" ')
    return body, ({"Stripe-Signature": signature} if header else {})


@pytest.mark.parametrize(("field", "value"), [("amount_total", 1_000), ("currency", "usd")])
def test_a_payment_of_another_amount_or_currency_is_not_taken_as_paid(
    app, client, fake_stripe, placed, session, field, value, caplog
):
    event = fake_stripe.event_for(session)
    event["data"]["object"][field] = value

    assert deliver(client, event).status_code == 200

    assert [(o.status, o.paid_at) for o in orders(app, placed)] == [(S.AWAITING_PAYMENT, None)] * 2
    assert outcomes(app) == {event["id"]: "mismatch"}
    warning = next(r for r in caplog.records if "not marked paid" in r.getMessage())
    assert placed.reference in warning.getMessage() and "hoa@example.vn" not in warning.getMessage()


def test_a_delayed_payment_waits_then_is_paid(app, client, fake_stripe, placed, session):
    pending = fake_stripe.event_for(session, payment_status="unpaid")
    assert deliver(client, pending).status_code == 200
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2

    succeeded = fake_stripe.event_for(session, type="checkout.session.async_payment_succeeded")
    assert deliver(client, succeeded).status_code == 200

    assert [o.status for o in orders(app, placed)] == [S.PLACED] * 2
    assert outcomes(app) == {pending["id"]: "awaiting_payment", succeeded["id"]: "paid"}


def test_a_delayed_payment_that_fails_cancels_the_orders_and_gives_the_stock_back(
    app, client, fake_stripe, placed, session
):
    deliver(client, fake_stripe.event_for(session, payment_status="unpaid"))
    failed = fake_stripe.event_for(session, type="checkout.session.async_payment_failed")

    assert deliver(client, failed).status_code == 200

    assert [o.status for o in orders(app, placed)] == [S.CANCELLED] * 2
    assert stocks(app, placed) == [10, 30]


def test_an_expired_session_gives_the_stock_back_exactly_once(app, client, fake_stripe, placed, session):
    assert stocks(app, placed) == [8, 27]
    expired = fake_stripe.event_for(session, type="checkout.session.expired")

    assert deliver(client, expired).status_code == 200
    assert deliver(client, expired).status_code == 200  # delivered twice
    another = fake_stripe.event_for(session, type="checkout.session.expired")  # or sent again under a new id
    assert deliver(client, another).status_code == 200

    assert [o.status for o in orders(app, placed)] == [S.CANCELLED] * 2
    assert [who for _order, to, who in history(app, placed) if to == S.CANCELLED] == ["stripe", "stripe"]
    assert stocks(app, placed) == [10, 30]
    assert outcomes(app) == {expired["id"]: "expired", another["id"]: "already_closed"}


def test_an_expiry_arriving_after_the_fallback_job_gives_nothing_back_again(app, client, fake_stripe, placed,
                                                                             session, clock):
    clock.advance(hours=2)
    assert app.test_cli_runner().invoke(args=["expire-card-payments"]).exit_code == 0
    assert stocks(app, placed) == [10, 30]

    expired = fake_stripe.event_for(session, type="checkout.session.expired")
    assert deliver(client, expired).status_code == 200

    assert stocks(app, placed) == [10, 30]
    assert outcomes(app) == {expired["id"]: "already_closed"}


def test_money_for_orders_that_closed_meanwhile_is_noted_never_a_500(app, client, fake_stripe, placed, session,
                                                                      caplog):
    with app.app_context():
        # The fallback job gave up on the payment just before Stripe's news arrived.
        order = db.session.get(Order, placed.order_ids[0])
        status.apply(order, status.Move.EXPIRE, status.Actor(status.Party.SYSTEM))
        db.session.commit()
    event = fake_stripe.event_for(session)

    assert deliver(client, event).status_code == 200

    assert [o.status for o in orders(app, placed)] == [S.CANCELLED, S.PLACED]
    assert outcomes(app) == {event["id"]: "paid_orders_closed"}
    assert any("refund" in r.getMessage() for r in caplog.records)


def test_an_event_about_a_session_the_site_never_made_is_answered_200(app, client, placed, session):
    event = {
        "id": "evt_test_elsewhere", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_test_elsewhere", "object": "checkout.session", "client_reference_id": "CPNONE",
                            "metadata": {}, "amount_total": 975_000, "currency": "vnd", "payment_status": "paid"}},
    }
    assert deliver(client, event).status_code == 200
    assert outcomes(app) == {"evt_test_elsewhere": "unknown_session"}
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2


def test_the_expiry_of_a_session_the_checkout_no_longer_uses_closes_nothing(app, client, fake_stripe, placed,
                                                                           session):
    orphan = json.loads(json.dumps(fake_stripe.event_for(session, type="checkout.session.expired")))
    orphan["data"]["object"]["id"] = "cs_test_lostanswer"  # same reference, another session
    assert deliver(client, orphan).status_code == 200
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2
    assert outcomes(app) == {orphan["id"]: "unknown_session"}


def test_other_event_types_are_acknowledged_and_ignored(app, client, placed):
    event = {"id": "evt_test_customer", "object": "event", "type": "customer.created", "data": {"object": {}}}
    assert deliver(client, event).status_code == 200
    assert outcomes(app) == {"evt_test_customer": "ignored"}


def test_a_full_refund_refunds_the_paid_orders_and_gives_the_stock_back(app, client, fake_stripe, placed, session):
    deliver(client, fake_stripe.event_for(session))
    refund = fake_stripe.event_for(session, type="charge.refunded")

    assert deliver(client, refund).status_code == 200

    assert [o.status for o in orders(app, placed)] == [S.REFUNDED] * 2
    assert stocks(app, placed) == [10, 30]
    assert outcomes(app)[refund["id"]] == "refunded"
    assert deliver(client, fake_stripe.event_for(session, type="charge.refunded")).status_code == 200
    assert stocks(app, placed) == [10, 30]


def test_a_partial_refund_leaves_the_orders_for_a_person_to_decide(app, client, fake_stripe, placed, session):
    deliver(client, fake_stripe.event_for(session))
    refund = fake_stripe.event_for(session, type="charge.refunded", amount_refunded=20_000)

    assert deliver(client, refund).status_code == 200

    assert [o.status for o in orders(app, placed)] == [S.PLACED] * 2
    assert outcomes(app)[refund["id"]] == "partial_refund"


def test_without_stripe_keys_the_webhook_asks_stripe_to_come_back_later(app, client, fake_stripe, placed, session):
    app.config["STRIPE_WEBHOOK_SECRET"] = ""
    assert deliver(client, fake_stripe.event_for(session)).status_code == 503
    assert count(app, StripeEvent) == 0


def test_a_delayed_payment_for_a_session_the_site_lost_the_answer_of_is_followed(app, client, fake_stripe, placed,
                                                                                   session):
    """The session was made but its answer never stored (a retry made another): the events still
    find the checkout by its reference, and the pay link then waits for the payment's news."""
    with app.app_context():
        from app.orders.models import Checkout

        row = db.session.get(Checkout, placed.checkout_id)
        row.stripe_session_id = row.stripe_session_url = None
        db.session.commit()
    pending = fake_stripe.event_for(session, payment_status="unpaid")

    assert deliver(client, pending).status_code == 200

    assert outcomes(app) == {pending["id"]: "awaiting_payment"}
    again = client.get(placed.pay_url)
    assert (again.status_code, again.headers["Location"]) == (303, f"{placed.pay_url}/xong")
    deliver(client, fake_stripe.event_for(session, type="checkout.session.async_payment_succeeded"))
    assert [o.status for o in orders(app, placed)] == [S.PLACED] * 2
