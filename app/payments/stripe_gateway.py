"""Stripe Checkout for card payments: create and expire a session, verify a webhook delivery.

Nothing here touches the database: the payment services store what these functions return. The
buyer's redirect back from Stripe proves nothing; an order is paid when a signed webhook says so
(verify_event), and Stripe sends each event at least once, in any order.

VND has no minor unit and Stripe treats it as zero-decimal: 150.000 ₫ is sent as 150000.

Errors from Stripe reach the buyer as PaymentProviderUnavailable and the log as the error's kind,
HTTP status, code and Stripe request id, never its text: a Stripe message can quote the parameters
sent (the buyer's email) or part of the API key.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

import stripe
from flask_babel import lazy_gettext as _l

from app.common.errors import RuleBroken
from app.common.timezone import utcnow

log = logging.getLogger(__name__)

CURRENCY = "vnd"
LOCALES = ("vi", "en")
# Stripe refuses a Checkout Session that expires sooner than 30 minutes or later than 24 hours
# after it is created.
MIN_EXPIRY_SECONDS = 30 * 60
MAX_EXPIRY_SECONDS = 24 * 60 * 60
WEBHOOK_TOLERANCE_SECONDS = 300
# The buyer waits on the page while the session is created: give up long before requests' 80 s.
REQUEST_TIMEOUT_SECONDS = 20


class PaymentProviderUnavailable(RuleBroken):
    """Stripe could not be reached or refused the request; nothing was charged."""

    def __init__(self):
        super().__init__(
            _l(
                "Chưa kết nối được cổng thanh toán thẻ, chưa có khoản nào bị trừ; "
                "hãy thử lại hoặc chọn cách trả khác."
            )
        )


class InvalidWebhook(Exception):
    """A delivery that is not a genuine, recent Stripe event; `reason` says which check failed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckoutLine:
    name: str
    unit_amount_vnd: int
    quantity: int


@dataclass(frozen=True)
class StripeSettings:
    secret_key: str
    webhook_secret: str
    api_base: str | None

    def __repr__(self) -> str:
        # Settings end up in tracebacks and debug output: keep the keys out of them.
        return f"StripeSettings(secret_key='***', webhook_secret='***', api_base={self.api_base!r})"


@dataclass(frozen=True)
class CreatedSession:
    id: str
    url: str
    amount_total: int | None


def settings_from(config: Mapping) -> StripeSettings | None:
    """Stripe's settings from the app config, or None when cards are not offered.

    Both keys are needed: without the webhook secret no payment could ever be confirmed, so a
    buyer would pay for an order that is never fulfilled.
    """
    secret_key = (config.get("STRIPE_SECRET_KEY") or "").strip()
    webhook_secret = (config.get("STRIPE_WEBHOOK_SECRET") or "").strip()
    if not secret_key:
        return None
    if not webhook_secret:
        log.warning("STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET: card payments are off")
        return None
    api_base = (config.get("STRIPE_API_BASE") or "").strip().rstrip("/") or None
    return StripeSettings(secret_key=secret_key, webhook_secret=webhook_secret, api_base=api_base)


def _client(settings: StripeSettings) -> stripe.StripeClient:
    # No automatic retries (StripeClient's default): the buyer is waiting, and a second
    # attempt from the form is safe because it carries the same idempotency key.
    return stripe.StripeClient(
        settings.secret_key,
        base_addresses={"api": settings.api_base} if settings.api_base else None,
        http_client=stripe.RequestsClient(timeout=REQUEST_TIMEOUT_SECONDS),
    )


def _unavailable(operation: str, error: stripe.StripeError) -> PaymentProviderUnavailable:
    log.warning(
        "Stripe %s failed: %s (HTTP %s, code %s, request %s)",
        operation,
        type(error).__name__,
        error.http_status,
        error.code,
        error.request_id,
    )
    return PaymentProviderUnavailable()


def _positive_int(value, what: str) -> int:
    # bool is an int to Python, never an amount or a quantity.
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{what} must be a whole number above zero, got {value!r}")
    return value


def _line_item(line: CheckoutLine) -> dict:
    if not line.name.strip():
        raise ValueError("a checkout line needs a name")
    return {
        "price_data": {
            "currency": CURRENCY,
            # Whole đồng: VND is zero-decimal, so never ×100.
            "unit_amount": _positive_int(line.unit_amount_vnd, "unit_amount_vnd"),
            "product_data": {"name": line.name},
        },
        "quantity": _positive_int(line.quantity, "quantity"),
    }


def checkout_session_params(
    *,
    reference: str,
    lines: list[CheckoutLine],
    customer_email: str | None,
    success_url: str,
    cancel_url: str,
    expires_at: int,
    locale: str,
) -> dict:
    """The parameters of a Checkout Session for these lines; ValueError for a caller's mistake."""
    if not reference:
        raise ValueError("a checkout needs its reference")
    if not lines:
        raise ValueError("a checkout needs at least one line")
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {LOCALES}, got {locale!r}")
    seconds_left = _positive_int(expires_at, "expires_at") - int(utcnow().timestamp())
    if not MIN_EXPIRY_SECONDS <= seconds_left <= MAX_EXPIRY_SECONDS:
        raise ValueError(f"expires_at must be 30 minutes to 24 hours from now, it is {seconds_left} s away")
    metadata = {"checkout_reference": reference}
    params = {
        "mode": "payment",
        "currency": CURRENCY,
        "line_items": [_line_item(line) for line in lines],
        "client_reference_id": reference,
        "metadata": metadata,
        "payment_intent_data": {"metadata": dict(metadata)},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": expires_at,
        "locale": locale,
    }
    if customer_email:
        params["customer_email"] = customer_email
    return params


def create_checkout_session(
    settings: StripeSettings,
    *,
    reference: str,
    lines: list[CheckoutLine],
    customer_email: str | None,
    success_url: str,
    cancel_url: str,
    expires_at: int,
    idempotency_key: str,
    locale: str,
) -> CreatedSession:
    """A Stripe Checkout Session for the buyer to pay by card; send them to `url`.

    The same idempotency key with the same parameters returns the same session, so a buyer who
    submits twice pays once. Raises PaymentProviderUnavailable when Stripe fails or refuses.
    """
    if not idempotency_key:
        raise ValueError("a checkout session is created with an idempotency key")
    params = checkout_session_params(
        reference=reference,
        lines=lines,
        customer_email=customer_email,
        success_url=success_url,
        cancel_url=cancel_url,
        expires_at=expires_at,
        locale=locale,
    )
    try:
        session = _client(settings).v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as error:
        raise _unavailable("checkout session create", error) from None
    return CreatedSession(id=session.id, url=session.url, amount_total=session.amount_total)


def expire_checkout_session(settings: StripeSettings, session_id: str) -> str:
    """Close a session the buyer gave up on, so it can no longer be paid; returns its status.

    "expired" when it is closed (now or before); "complete" when the buyer paid first, and
    then the order must wait for the payment's webhook, not be cancelled. Raises
    PaymentProviderUnavailable when Stripe cannot be reached.
    """
    client = _client(settings)
    try:
        return client.v1.checkout.sessions.expire(session_id).status
    except stripe.InvalidRequestError as error:
        refusal = error  # Stripe refuses to expire a session that is no longer open
    except stripe.StripeError as error:
        raise _unavailable("checkout session expire", error) from None
    try:
        status = client.v1.checkout.sessions.retrieve(session_id).status
    except stripe.StripeError as error:
        raise _unavailable("checkout session retrieve", error) from None
    if status == "open":
        raise _unavailable("checkout session expire", refusal)
    return status


def verify_event(settings: StripeSettings, raw_body: bytes, signature_header: str | None) -> dict:
    """The Stripe event in a webhook delivery, as a plain dict, once its signature is checked.

    raw_body is the request body exactly as received (Flask: request.get_data()). Raises
    InvalidWebhook when the header is missing, the signature does not match this body and
    secret, the signature is older than 300 s (a replay), or the body is not a JSON object.
    """
    if not signature_header:
        raise InvalidWebhook("missing Stripe-Signature header")
    try:
        payload = raw_body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidWebhook("body is not UTF-8") from None
    verify = stripe.WebhookSignature.verify_header
    try:
        verify(payload, signature_header, settings.webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError:
        # Stripe raises one error type for every failure: without the time check, a header
        # that passes is a genuine signature that came too late.
        try:
            verify(payload, signature_header, settings.webhook_secret, tolerance=None)
        except stripe.SignatureVerificationError:
            raise InvalidWebhook("signature does not match") from None
        raise InvalidWebhook(f"signature older than {WEBHOOK_TOLERANCE_SECONDS} s") from None
    try:
        event = json.loads(payload)
    except ValueError:
        raise InvalidWebhook("body is not JSON") from None
    if not isinstance(event, dict) or event.get("object") != "event":
        raise InvalidWebhook("body is not a Stripe event")
    return event
