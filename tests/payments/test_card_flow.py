"""Paying a checkout by card: the buyer's way to Stripe's page and back, giving up, and the
fallback that closes checkouts whose news never came. Against the local fake of Stripe's API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.catalog.models import StockMovement, StockReason
from app.extensions import db
from app.orders import checkout
from app.orders.models import OrderStatus, PaymentMethod
from app.payments import card
from app.payments.cli import expire_card_payments
from tests.payments.helpers import (
    TOTAL,
    checkout_row,
    history,
    orders,
    place_two_producer_checkout,
    session_of,
    stocks,
)

S = OrderStatus


@pytest.fixture
def placed(app):
    return place_two_producer_checkout(app)


def test_the_buyer_is_sent_to_one_session_for_the_whole_checkout_in_whole_dong(app, client, fake_stripe, placed):
    session = session_of(client, fake_stripe, placed)

    [sent] = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    form = sent.form
    lines = [(item["price_data"]["product_data"]["name"], item["price_data"]["unit_amount"], item["quantity"])
             for item in form["line_items"]]
    assert [(amount, quantity) for _name, amount, quantity in lines] == [
        ("350000", "2"), ("85000", "3"), ("20000", "1")  # VND is zero-decimal: never ×100
    ]
    assert lines[1][0].startswith("Cốm An Thuận hộp ") and " — Vườn nhà bác Lộc " in lines[1][0]
    assert lines[2][0].startswith("Phí giao hàng — Vườn nhà bác Lộc")
    assert sum(int(amount) * int(quantity) for _name, amount, quantity in lines) == TOTAL == placed.total_vnd
    assert session["amount_total"] == TOTAL
    assert form["currency"] == "vnd"
    assert form["client_reference_id"] == placed.reference
    assert form["metadata"] == {"checkout_reference": placed.reference}
    assert form["payment_intent_data"] == {"metadata": {"checkout_reference": placed.reference}}
    assert form["customer_email"] == "hoa@example.vn"
    assert form["locale"] == "vi"
    assert form["success_url"] == f"http://localhost/thanh-toan/the/{placed.token}/xong"
    assert form["cancel_url"] == f"http://localhost/thanh-toan/the/{placed.token}/huy"

    stored = checkout_row(app, placed)
    expires_at = int(form["expires_at"])
    # Stripe's shortest session is 30 minutes: the 30-minute hold placed a moment ago is moved
    # to 31 minutes from now, and the session expires exactly when the hold ends.
    assert expires_at - int(card.utcnow().timestamp()) >= 31 * 60 - 5
    assert int(stored.payment_due_at.timestamp()) == expires_at
    assert sent.headers["idempotency-key"] == f"checkout-{placed.reference}-{expires_at}"
    assert (stored.stripe_session_id, stored.stripe_session_url) == (session["id"], session["url"])
    assert [(o.status, o.paid_at) for o in orders(app, placed)] == [(S.AWAITING_PAYMENT, None)] * 2


def test_coming_back_to_pay_goes_to_the_same_session_without_asking_stripe_again(client, fake_stripe, placed):
    session = session_of(client, fake_stripe, placed)
    again = client.get(placed.pay_url)
    assert (again.status_code, again.headers["Location"]) == (303, session["url"])
    assert len(fake_stripe.requests) == 1


def test_the_return_page_marks_nothing_paid(app, client, fake_stripe, placed):
    fake_stripe.event_for(session_of(client, fake_stripe, placed))  # paid at Stripe; no webhook yet

    page = client.get(f"{placed.pay_url}/xong")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đang chờ xác nhận thanh toán" in html and "Đã thanh toán" not in html
    assert '<meta http-equiv="refresh" content="10">' in html  # looks again without JavaScript
    assert placed.reference in html
    assert [(o.status, o.paid_at) for o in orders(app, placed)] == [(S.AWAITING_PAYMENT, None)] * 2
    assert [to for _order, to, _who in history(app, placed)] == [S.AWAITING_PAYMENT] * 2


def test_when_stripe_is_down_the_buyer_can_try_again_or_choose_another_way(app, client, fake_stripe, placed):
    fake_stripe.fail_next(500)

    page = client.get(placed.pay_url)

    html = page.get_data(as_text=True)
    assert page.status_code == 503
    assert "Chưa kết nối được cổng thanh toán thẻ" in html and "Chưa có khoản tiền nào bị trừ" in html
    assert f'href="{placed.pay_url}"' in html  # try again: the same address
    assert f'action="{placed.pay_url}/huy"' in html and 'method="post"' in html
    assert checkout_row(app, placed).stripe_session_id is None

    # Straight away the retry sends the very same request: were the first answer lost on the
    # way back, Stripe would hand back the session it made rather than a second one.
    session = session_of(client, fake_stripe, placed)
    first, second = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    assert first.form == second.form
    assert checkout_row(app, placed).stripe_session_id == session["id"]


def test_a_retry_minutes_later_gets_a_session_with_a_later_expiry_under_another_key(client, fake_stripe, placed, clock):
    fake_stripe.fail_next(500)
    assert client.get(placed.pay_url).status_code == 503
    clock.advance(minutes=5)

    session_of(client, fake_stripe, placed)

    first, second = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert int(second.form["expires_at"]) >= int(first.form["expires_at"]) + 4 * 60
    # One key with other parameters is refused by Stripe (idempotency_error): the key names the expiry.
    assert first.headers["idempotency-key"] != second.headers["idempotency-key"]


def test_the_cancel_page_says_nothing_was_charged_and_offers_both_ways(client, fake_stripe, placed):
    session_of(client, fake_stripe, placed)
    page = client.get(f"{placed.pay_url}/huy")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Chưa có khoản tiền nào bị trừ" in html
    assert f'href="{placed.pay_url}"' in html
    assert f'action="{placed.pay_url}/huy"' in html


def test_giving_up_closes_the_session_cancels_the_orders_and_gives_the_stock_back_once(
    app, client, fake_stripe, placed
):
    session = session_of(client, fake_stripe, placed)
    assert stocks(app, placed) == [8, 27]

    response = client.post(f"{placed.pay_url}/huy")

    assert response.status_code == 303
    assert response.headers["Location"] == "/gio-hang"
    assert "Cam" in client.get("/gio-hang").get_data(as_text=True)  # the products are back in the cart
    assert fake_stripe.sessions[session["id"]]["status"] == "expired"  # it can no longer be paid
    assert [o.status for o in orders(app, placed)] == [S.CANCELLED] * 2
    assert stocks(app, placed) == [10, 30]
    assert [who for _order, to, who in history(app, placed) if to == S.CANCELLED] == ["system", "system"]

    assert client.post(f"{placed.pay_url}/huy").status_code == 303  # a second tap
    assert stocks(app, placed) == [10, 30]
    with app.app_context():
        returned = db.session.query(StockMovement).filter_by(reason=StockReason.EXPIRY).count()
    assert returned == 2
    assert client.get(placed.pay_url).status_code == 410


def test_giving_up_after_paying_at_stripe_keeps_the_orders(app, client, fake_stripe, placed):
    session = session_of(client, fake_stripe, placed)
    fake_stripe.event_for(session)  # the buyer paid in another tab; the webhook is on its way

    response = client.post(f"{placed.pay_url}/huy")

    assert (response.status_code, response.headers["Location"]) == (303, f"{placed.pay_url}/xong")
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2


def test_giving_up_while_stripe_is_down_changes_nothing(app, client, fake_stripe, placed):
    session_of(client, fake_stripe, placed)
    fake_stripe.fail_next(500)
    response = client.post(f"{placed.pay_url}/huy")
    assert response.status_code == 503
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2
    assert stocks(app, placed) == [8, 27]


def test_giving_up_before_any_session_needs_no_stripe(app, client, fake_stripe, placed):
    assert client.post(f"{placed.pay_url}/huy").status_code == 303
    assert [o.status for o in orders(app, placed)] == [S.CANCELLED] * 2
    assert fake_stripe.requests == []


def test_once_the_time_to_pay_is_over_no_session_is_made(client, fake_stripe, placed, clock):
    clock.advance(minutes=31)
    page = client.get(placed.pay_url)
    assert page.status_code == 410
    assert "Đã hết thời gian thanh toán" in page.get_data(as_text=True)
    assert fake_stripe.requests == []


def test_a_link_that_names_no_card_checkout_is_not_found(app, client):
    cash = place_two_producer_checkout(app, method=PaymentMethod.CASH_ON_DELIVERY)
    for path in ("/thanh-toan/the/khong-co", cash.pay_url, f"{cash.pay_url}/xong", f"{cash.pay_url}/huy"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{cash.pay_url}/huy").status_code == 404


# --- the fallback for lost webhooks ---------------------------------------------------------


def test_the_fallback_cancels_card_orders_an_hour_past_due_and_closes_their_session(app, client, fake_stripe, clock):
    with_session = place_two_producer_checkout(app)
    session = session_of(client, fake_stripe, with_session)
    never_started = place_two_producer_checkout(app)
    # One is due when its 30-minute hold ends, the other when the hold moved on reaching Stripe
    # ends: a minute short of an hour past the first, neither is overdue yet.
    clock.advance(minutes=30 + 59)
    with app.app_context():
        assert card.overdue_checkouts() == []  # not yet an hour past due
    clock.advance(seconds=(card.SESSION_HOLD - timedelta(minutes=30) + timedelta(minutes=3)).total_seconds())

    result = app.test_cli_runner().invoke(args=["expire-card-payments"])

    assert result.exit_code == 0, result.output
    assert "Đã huỷ 2 lượt thanh toán thẻ quá hạn" in result.output
    assert fake_stripe.sessions[session["id"]]["status"] == "expired"
    for placed in (with_session, never_started):
        assert [o.status for o in orders(app, placed)] == [S.CANCELLED] * 2
        assert stocks(app, placed) == [10, 30]
    with app.app_context():
        assert card.overdue_checkouts() == []


def test_the_fallback_leaves_a_paid_session_for_its_webhook(app, client, fake_stripe, clock):
    placed = place_two_producer_checkout(app)
    fake_stripe.event_for(session_of(client, fake_stripe, placed))  # paid; the webhook got lost so far
    clock.advance(hours=2)
    with app.app_context():
        report = expire_card_payments()
    assert (report.expired, report.paid, report.unreachable) == (0, 1, 0)
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2


def test_the_fallback_leaves_everything_when_stripe_cannot_be_asked(app, client, fake_stripe, clock):
    placed = place_two_producer_checkout(app)
    session_of(client, fake_stripe, placed)
    clock.advance(hours=2)
    fake_stripe.fail_next(503)
    result = app.test_cli_runner().invoke(args=["expire-card-payments"])
    assert result.exit_code == 1  # cron tells the operator; the next run tries again
    assert [o.status for o in orders(app, placed)] == [S.AWAITING_PAYMENT] * 2
    assert stocks(app, placed) == [8, 27]


def test_the_hold_is_never_moved_earlier(app, client, fake_stripe, placed):
    """A checkout still held for longer than Stripe's minimum keeps its own time."""
    with app.app_context():
        row = db.session.get(checkout.Checkout, placed.checkout_id)
        row.payment_due_at = card.utcnow() + timedelta(hours=2)
        due = row.payment_due_at.replace(microsecond=0)
        db.session.commit()
    session_of(client, fake_stripe, placed)
    [sent] = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert int(sent.form["expires_at"]) == int(due.timestamp())
