"""The Stripe layer against a local fake of Stripe's API: sessions in whole đồng, errors a buyer
can read, and webhook deliveries that are checked before anything believes them."""

from __future__ import annotations

import logging
import time

import pytest
from flask_babel import force_locale

from app.payments.stripe_gateway import (
    CheckoutLine,
    CreatedSession,
    InvalidWebhook,
    PaymentProviderUnavailable,
    StripeSettings,
    create_checkout_session,
    expire_checkout_session,
    settings_from,
    verify_event,
)
from tests.payments.fake_stripe import FakeStripe, parse_form, signed

SECRET_KEY = "sk_test_chophien0123456789"
WEBHOOK_SECRET = "whsec_chophien0123456789"
ORANGES = CheckoutLine(name="Cam Xã Đoài (thùng 10 kg)", unit_amount_vnd=150000, quantity=2)
COM = CheckoutLine(name="Cốm An Thuận – Hương Toàn (hộp quà)", unit_amount_vnd=85000, quantity=1)


@pytest.fixture
def settings(fake_stripe):
    return StripeSettings(secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET, api_base=fake_stripe.url)


def create(settings, **overrides) -> CreatedSession:
    arguments = {
        "reference": "CP-260610-0042",
        "lines": [ORANGES, COM],
        "customer_email": "lan.nguyen@example.com",
        "success_url": "http://chophien.test/thanh-toan/xong",
        "cancel_url": "http://chophien.test/thanh-toan/huy",
        "expires_at": int(time.time()) + 60 * 60,
        "idempotency_key": "checkout-CP-260610-0042-1",
        "locale": "vi",
    }
    arguments.update(overrides)
    return create_checkout_session(settings, **arguments)


# --- creating a session


def test_a_session_is_sent_in_whole_dong_with_the_reference(settings, fake_stripe):
    expires_at = int(time.time()) + 45 * 60

    session = create(settings, expires_at=expires_at)

    [sent] = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    form = sent.form
    assert form["mode"] == "payment"
    assert form["currency"] == "vnd"
    assert form["line_items"] == [
        {
            "price_data": {
                "currency": "vnd",
                "unit_amount": "150000",  # 150.000 ₫, not ×100
                "product_data": {"name": "Cam Xã Đoài (thùng 10 kg)"},
            },
            "quantity": "2",
        },
        {
            "price_data": {
                "currency": "vnd",
                "unit_amount": "85000",
                "product_data": {"name": "Cốm An Thuận – Hương Toàn (hộp quà)"},
            },
            "quantity": "1",
        },
    ]
    assert form["client_reference_id"] == "CP-260610-0042"
    assert form["metadata"] == {"checkout_reference": "CP-260610-0042"}
    assert form["payment_intent_data"] == {"metadata": {"checkout_reference": "CP-260610-0042"}}
    assert form["customer_email"] == "lan.nguyen@example.com"
    assert form["locale"] == "vi"
    assert form["expires_at"] == str(expires_at)
    assert form["success_url"] == "http://chophien.test/thanh-toan/xong"
    assert form["cancel_url"] == "http://chophien.test/thanh-toan/huy"
    assert "payment_method_types" not in form  # Stripe's default: cards
    assert sent.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert sent.headers["idempotency-key"] == "checkout-CP-260610-0042-1"

    stored = fake_stripe.sessions[session.id]
    assert session == CreatedSession(id=stored["id"], url=stored["url"], amount_total=385000)
    assert session.id.startswith("cs_test_")
    assert session.url == f"{fake_stripe.url}/pay/{session.id}"


def test_a_buyer_without_email_and_in_english(settings, fake_stripe):
    create(settings, customer_email=None, locale="en")

    [sent] = fake_stripe.requests
    assert "customer_email" not in sent.form
    assert sent.form["locale"] == "en"


def test_creating_twice_with_one_key_makes_one_session(settings, fake_stripe):
    first = create(settings)
    second = create(settings)

    assert second == first
    assert len(fake_stripe.requests_to("POST", "/v1/checkout/sessions")) == 2
    assert list(fake_stripe.sessions) == [first.id]


def test_a_new_key_makes_a_new_session(settings, fake_stripe):
    first = create(settings, idempotency_key="checkout-CP-260610-0042-1")
    second = create(settings, idempotency_key="checkout-CP-260610-0042-2")

    assert second.id != first.id
    assert len(fake_stripe.sessions) == 2


def test_one_key_for_other_lines_is_refused_by_stripe(settings, fake_stripe):
    create(settings, lines=[ORANGES])

    with pytest.raises(PaymentProviderUnavailable):
        create(settings, lines=[ORANGES, COM])
    assert len(fake_stripe.sessions) == 1


@pytest.mark.parametrize(
    "caller_mistake",
    [
        {"lines": []},
        {"lines": [CheckoutLine("Cam V2", 0, 1)]},
        {"lines": [CheckoutLine("Cam V2", 1500.0, 1)]},
        {"lines": [CheckoutLine("Cam V2", True, 1)]},
        {"lines": [CheckoutLine("Cam V2", 150000, 0)]},
        {"lines": [CheckoutLine("  ", 150000, 1)]},
        {"reference": ""},
        {"idempotency_key": ""},
        {"locale": "fr"},
        {"expires_at": "soon"},
        {"expires_at_in": 29 * 60},
        {"expires_at_in": 24 * 60 * 60 + 60},
    ],
    ids=lambda mistake: next(iter(mistake)),
)
def test_a_callers_mistake_never_reaches_stripe(settings, fake_stripe, caller_mistake):
    if "expires_at_in" in caller_mistake:
        caller_mistake = {"expires_at": int(time.time()) + caller_mistake["expires_at_in"]}

    with pytest.raises(ValueError):
        create(settings, **caller_mistake)
    assert fake_stripe.requests == []


# --- when Stripe fails


@pytest.mark.parametrize("status", [500, 503, 402, 401, 429])
def test_a_stripe_error_is_a_message_for_the_buyer(settings, fake_stripe, caplog, status):
    fake_stripe.fail_next(status)

    with caplog.at_level(logging.INFO), pytest.raises(PaymentProviderUnavailable) as raised:
        create(settings)

    assert "cổng thanh toán thẻ" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert fake_stripe.sessions == {}
    for text in (str(raised.value), caplog.text):
        assert SECRET_KEY not in text
        assert SECRET_KEY[-4:] not in text
        assert "lan.nguyen@example.com" not in text
    assert f"HTTP {status}" in caplog.text


def test_a_wrong_api_key_is_a_message_for_the_buyer(fake_stripe, caplog):
    settings = StripeSettings(secret_key="rk_live_wrong0123", webhook_secret=WEBHOOK_SECRET, api_base=fake_stripe.url)

    with caplog.at_level(logging.INFO), pytest.raises(PaymentProviderUnavailable):
        create(settings)
    assert "rk_live_wrong0123" not in caplog.text
    assert "AuthenticationError" in caplog.text


def test_stripe_out_of_reach_is_a_message_for_the_buyer():
    with FakeStripe() as gone:
        url = gone.url
    settings = StripeSettings(secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET, api_base=url)

    with pytest.raises(PaymentProviderUnavailable):
        create(settings)


def test_a_retry_after_a_failure_creates_the_session(settings, fake_stripe):
    fake_stripe.fail_next(500)
    with pytest.raises(PaymentProviderUnavailable):
        create(settings)

    session = create(settings)

    assert list(fake_stripe.sessions) == [session.id]


def test_the_message_reads_english_for_an_english_visitor(app):
    with app.app_context(), force_locale("en"):
        message = str(PaymentProviderUnavailable().message)
    assert message.startswith("We could not reach the card payment service, and nothing has been charged")


# --- expiring a session the buyer gave up on


def test_an_open_session_is_expired(settings, fake_stripe):
    session = create(settings)

    assert expire_checkout_session(settings, session.id) == "expired"
    assert fake_stripe.sessions[session.id]["status"] == "expired"


def test_expiring_twice_is_harmless(settings, fake_stripe):
    session = create(settings)
    expire_checkout_session(settings, session.id)

    assert expire_checkout_session(settings, session.id) == "expired"


def test_a_session_paid_before_the_cancel_says_so(settings, fake_stripe):
    session = create(settings)
    fake_stripe.event_for(session.id)  # the buyer paid in another tab

    assert expire_checkout_session(settings, session.id) == "complete"
    assert fake_stripe.sessions[session.id]["status"] == "complete"


@pytest.mark.parametrize("trouble", ["unknown session", "stripe down"])
def test_expiring_when_stripe_fails(settings, fake_stripe, trouble):
    session = create(settings)
    session_id = session.id
    if trouble == "unknown session":
        session_id = "cs_test_nosuchsession"
    else:
        fake_stripe.fail_next(500)

    with pytest.raises(PaymentProviderUnavailable):
        expire_checkout_session(settings, session_id)
    assert fake_stripe.sessions[session.id]["status"] == "open"


# --- webhook deliveries


def test_a_signed_delivery_is_the_event_as_a_dict(settings, fake_stripe):
    session = create(settings)
    event = fake_stripe.event_for(session.id, event_id="evt_test_0001")
    body, header = signed(event, WEBHOOK_SECRET)

    verified = verify_event(settings, body, header)

    assert type(verified) is dict
    assert verified == event
    assert verified["type"] == "checkout.session.completed"
    paid = verified["data"]["object"]
    assert paid["id"] == session.id
    assert paid["payment_status"] == "paid"
    assert paid["client_reference_id"] == "CP-260610-0042"
    assert paid["metadata"] == {"checkout_reference": "CP-260610-0042"}
    assert paid["amount_total"] == 385000
    assert paid["payment_intent"].startswith("pi_test_")


def test_a_refund_delivery_names_the_payment_intent(settings, fake_stripe):
    session = create(settings)
    completed = fake_stripe.event_for(session.id)
    refund = fake_stripe.event_for(session.id, type="charge.refunded", amount_refunded=150000)

    charge = verify_event(settings, *signed(refund, WEBHOOK_SECRET))["data"]["object"]

    assert charge["object"] == "charge"
    assert charge["payment_intent"] == completed["data"]["object"]["payment_intent"]
    assert (charge["amount"], charge["amount_refunded"], charge["currency"]) == (385000, 150000, "vnd")
    assert charge["refunded"] is False


def test_a_delivery_four_minutes_late_is_still_accepted(settings, fake_stripe, clock):
    event = fake_stripe.event_for(create(settings).id)
    body, header = signed(event, WEBHOOK_SECRET)
    clock.advance(minutes=4)

    assert verify_event(settings, body, header)["id"] == event["id"]


def test_a_delivery_replayed_ten_minutes_later_is_refused(settings, fake_stripe, clock):
    body, header = signed(fake_stripe.event_for(create(settings).id), WEBHOOK_SECRET)
    clock.advance(minutes=10)

    with pytest.raises(InvalidWebhook, match="older than 300 s"):
        verify_event(settings, body, header)


def _tampered(body: bytes) -> bytes:
    return body.replace(b'"payment_status": "paid"', b'"payment_status": "unpaid"', 1)


@pytest.mark.parametrize(
    "delivery, reason",
    [
        (lambda body, header: (body, None), "missing Stripe-Signature header"),
        (lambda body, header: (body, ""), "missing Stripe-Signature header"),
        (lambda body, header: signed(body, "whsec_someone_else"), "signature does not match"),
        (lambda body, header: (_tampered(body), header), "signature does not match"),
        (lambda body, header: (body, "t=garbage"), "signature does not match"),
        (lambda body, header: (body, header.replace("v1=", "v0=")), "signature does not match"),
        (lambda body, header: signed(body, WEBHOOK_SECRET, timestamp=int(time.time()) - 600), "older than 300 s"),
        (lambda body, header: signed(b"<html>not json</html>", WEBHOOK_SECRET), "body is not JSON"),
        (lambda body, header: signed(b'["evt_test_1"]', WEBHOOK_SECRET), "not a Stripe event"),
        (lambda body, header: (b"\xff\xfe" + body, header), "not UTF-8"),
    ],
    ids=[
        "no header",
        "empty header",
        "wrong secret",
        "tampered body",
        "malformed header",
        "other scheme",
        "ten minutes old",
        "not json",
        "not an event",
        "not utf-8",
    ],
)
def test_a_delivery_that_fails_a_check_is_refused(settings, fake_stripe, delivery, reason):
    event = fake_stripe.event_for(create(settings).id)
    body, header = signed(event, WEBHOOK_SECRET)
    assert b'"payment_status": "paid"' in body

    with pytest.raises(InvalidWebhook, match=reason):
        verify_event(settings, *delivery(body, header))


# --- settings


def test_cards_are_offered_only_with_both_keys():
    assert settings_from({}) is None
    assert settings_from({"STRIPE_SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}) is None
    assert settings_from({"STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}) is None
    assert settings_from({"STRIPE_SECRET_KEY": SECRET_KEY}) is None
    assert settings_from({"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_WEBHOOK_SECRET": " "}) is None


def test_settings_read_from_the_config():
    config = {
        "STRIPE_SECRET_KEY": f"{SECRET_KEY}\n",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": "http://127.0.0.1:12111/",
    }

    assert settings_from(config) == StripeSettings(SECRET_KEY, WEBHOOK_SECRET, "http://127.0.0.1:12111")
    assert settings_from({**config, "STRIPE_API_BASE": ""}).api_base is None
    assert settings_from({**config, "STRIPE_API_BASE": None}).api_base is None


def test_settings_keep_their_keys_out_of_repr():
    text = repr(StripeSettings(SECRET_KEY, WEBHOOK_SECRET, None))
    assert SECRET_KEY not in text and WEBHOOK_SECRET not in text


# --- the fake itself


def test_the_fake_reads_stripes_bracket_notation():
    body = (
        "mode=payment&line_items[0][price_data][unit_amount]=150000&line_items[0][quantity]=2"
        "&line_items[1][quantity]=1&metadata[checkout_reference]=CP-1&line_items[10][quantity]=3"
    )
    assert parse_form(body) == {
        "mode": "payment",
        "line_items": [
            {"price_data": {"unit_amount": "150000"}, "quantity": "2"},
            {"quantity": "1"},
            {"quantity": "3"},
        ],
        "metadata": {"checkout_reference": "CP-1"},
    }
