"""A local stand-in for the parts of Stripe's API that Chợ Phiên uses, and its webhook deliveries.

FakeStripe runs a real HTTP server on 127.0.0.1 (a free port) in a daemon thread, so the code
under test talks to it through stripe-python exactly as it would to api.stripe.com: point
STRIPE_API_BASE (StripeSettings.api_base) at `fake.url`.

    with FakeStripe() as fake:
        ...create a session against fake.url...
        assert fake.requests[-1].form["currency"] == "vnd"
        body, header = signed(fake.event_for(session_id), WEBHOOK_SECRET)

What it does like Stripe: the bracket-encoded form (`line_items[0][price_data][unit_amount]`),
`Authorization: Bearer sk_test_...`, errors as `{"error": {"type", "message", ...}}`, and
idempotency keys (the same key and parameters replay the first answer; the same key with other
parameters is an `idempotency_error`). What it checks: currency vnd and whole-number amounts,
mode, line items, and expires_at within 30 minutes to 24 hours.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import stripe

SESSION_PATH = re.compile(r"^/v1/checkout/sessions/(?P<id>cs_test_[A-Za-z0-9]+)(?P<expire>/expire)?$")
_KEY_PART = re.compile(r"\[([^\]]*)\]")
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    402: "card_error",
    404: "invalid_request_error",
}


class FakeStripeError(Exception):
    def __init__(self, status: int, message: str, *, type: str | None = None, param: str | None = None, code=None):
        super().__init__(message)
        self.status = status
        self.body = {
            "error": {
                "type": type or _ERROR_TYPES.get(status, "api_error"),
                "message": message,
                **({"param": param} if param else {}),
                **({"code": code} if code else {}),
            }
        }


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    form: dict = field(default_factory=dict)


def parse_form(body: str) -> dict:
    """Stripe's bracket notation as nested dicts and lists: `a[b][0][c]=1` → {"a": {"b": [{"c": "1"}]}}."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head, bracket, rest = key.partition("[")
        parts = [head, *_KEY_PART.findall(bracket + rest)]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [_lists(node[key]) for key in sorted(node, key=int)]
    return {key: _lists(value) for key, value in node.items()}


def signed(payload: dict | bytes, secret: str, timestamp: int | None = None) -> tuple[bytes, str]:
    """A webhook delivery's body and its Stripe-Signature header, signed with secret at timestamp
    (now by default, on the test's clock)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    stamp = int(time.time()) if timestamp is None else timestamp
    header = stripe.WebhookSignature.generate_signature_header(body.decode("utf-8"), secret, timestamp=stamp)
    return body, header


def _new_id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


class FakeStripe:
    def __init__(self):
        self.requests: list[RecordedRequest] = []
        self.sessions: dict[str, dict] = {}
        self._idempotent: dict[str, tuple[tuple, int, dict]] = {}
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counter = itertools.count(1)

    # --- running

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeStripe:
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll keeps stop() quick: shutdown() waits for the loop to look again.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-stripe", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- steering a test

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        """The next `times` requests answer `status` with a Stripe error, and change nothing."""
        with self._lock:
            self._failures.extend([status] * times)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def event_for(
        self,
        session: dict | str,
        type: str = "checkout.session.completed",
        payment_status: str = "paid",
        event_id: str | None = None,
        amount_refunded: int | None = None,
    ) -> dict:
        """A Stripe Event about a session this fake created, as Stripe would deliver it.

        The session moves as the event says (completed or async_payment_* → complete, expired →
        expired) and gets a payment intent once it is complete. charge.refunded carries a charge
        of that payment intent, refunded in full unless amount_refunded says otherwise.
        """
        session_id = session if isinstance(session, str) else session["id"]
        with self._lock:
            stored = self.sessions[session_id]
            if type in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
                stored["status"] = "complete"
                stored["payment_status"] = "paid" if type.endswith("succeeded") else payment_status
            elif type == "checkout.session.async_payment_failed":
                stored.update(status="complete", payment_status="unpaid")
            elif type == "checkout.session.expired":
                stored.update(status="expired", payment_status="unpaid", url=None)
            if stored["status"] == "complete" and not stored["payment_intent"]:
                stored["payment_intent"] = _new_id("pi")
            if type == "charge.refunded":
                assert stored["payment_intent"], "a refund needs a paid session: send its completed event first"
                amount = stored["amount_total"]
                data_object = {
                    "id": _new_id("ch"),
                    "object": "charge",
                    "amount": amount,
                    "amount_refunded": amount if amount_refunded is None else amount_refunded,
                    "currency": stored["currency"],
                    "payment_intent": stored["payment_intent"],
                    "refunded": amount_refunded is None or amount_refunded == amount,
                    "metadata": dict(stored["metadata"]),
                }
            else:
                data_object = json.loads(json.dumps(stored))
        return {
            "id": event_id or _new_id("evt"),
            "object": "event",
            "api_version": stripe.api_version,
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
            "data": {"object": data_object},
        }

    # --- the API

    def handle(self, method: str, path: str, headers: dict[str, str], form: dict) -> tuple[int, dict, dict]:
        """(status, JSON body, extra headers) for one request."""
        with self._lock:
            self.requests.append(RecordedRequest(method, path, headers, form))
            try:
                if self._failures:
                    status = self._failures.pop(0)
                    raise FakeStripeError(status, f"Simulated failure ({status}).")
                self._authenticate(headers)
                key = headers.get("idempotency-key")
                fingerprint = (method, path, json.dumps(form, sort_keys=True))
                if key and key in self._idempotent:
                    earlier, status, body = self._idempotent[key]
                    if earlier != fingerprint:
                        raise FakeStripeError(
                            400,
                            "Keys for idempotent requests can only be used with the same parameters they were "
                            f"first used with. Try using a key other than '{key}' if you meant to execute a "
                            "different request.",
                            type="idempotency_error",
                        )
                    return status, body, {"Idempotent-Replayed": "true"}
                # A snapshot: Stripe replays the first answer, not the object as it is now.
                status, body = 200, json.loads(json.dumps(self._route(method, path, form)))
                if key:
                    self._idempotent[key] = (fingerprint, status, body)
                return status, body, {}
            except FakeStripeError as error:
                return error.status, error.body, {}

    def _authenticate(self, headers: dict[str, str]) -> None:
        scheme, _, api_key = headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not api_key.startswith("sk_test_") or len(api_key) <= len("sk_test_"):
            raise FakeStripeError(401, "Invalid API Key provided.")

    def _route(self, method: str, path: str, form: dict) -> dict:
        if path == "/v1/checkout/sessions" and method == "POST":
            return self._create_session(form)
        match = SESSION_PATH.match(path)
        if match:
            session = self.sessions.get(match["id"])
            if session is None:
                raise FakeStripeError(
                    404, f"No such checkout.session: '{match['id']}'", param="session", code="resource_missing"
                )
            if method == "GET" and not match["expire"]:
                return session
            if method == "POST" and match["expire"]:
                if session["status"] != "open":
                    raise FakeStripeError(
                        400,
                        f'Only Checkout Sessions with a status in ["open"] can be expired. '
                        f'This Checkout Session has a status of "{session["status"]}".',
                    )
                session.update(status="expired", url=None)
                return session
        raise FakeStripeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _create_session(self, form: dict) -> dict:
        if form.get("mode") != "payment":
            raise FakeStripeError(400, "This fake only knows mode=payment.", param="mode")
        currency = form.get("currency", "vnd")
        if currency != "vnd":
            raise FakeStripeError(400, f"This fake only takes vnd, not {currency!r}.", param="currency")
        items = form.get("line_items")
        if not isinstance(items, list) or not items:
            raise FakeStripeError(400, "Missing required param: line_items.", param="line_items")
        amount_total = 0
        for i, item in enumerate(items):
            price = item.get("price_data", {})
            if price.get("currency") != "vnd":
                raise FakeStripeError(400, "Line items must be in vnd.", param=f"line_items[{i}][price_data][currency]")
            if not re.fullmatch(r"[1-9][0-9]*", price.get("unit_amount", "")):
                raise FakeStripeError(
                    400, "Invalid integer: unit_amount.", param=f"line_items[{i}][price_data][unit_amount]"
                )
            if not price.get("product_data", {}).get("name"):
                raise FakeStripeError(400, "Missing product name.", param=f"line_items[{i}][price_data][product_data]")
            quantity = item.get("quantity", "")
            if not re.fullmatch(r"[1-9][0-9]*", quantity):
                raise FakeStripeError(400, "Invalid integer: quantity.", param=f"line_items[{i}][quantity]")
            amount_total += int(price["unit_amount"]) * int(quantity)
        now = int(time.time())
        expires_at = int(form.get("expires_at") or now + 24 * 60 * 60)
        if expires_at - now < 30 * 60:
            raise FakeStripeError(400, "expires_at must be at least 30 minutes from now.", param="expires_at")
        if expires_at - now > 24 * 60 * 60:
            raise FakeStripeError(400, "expires_at must be less than 24 hours from now.", param="expires_at")
        session_id = f"cs_test_{next(self._counter):04d}{secrets.token_hex(8)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"{self.url}/pay/{session_id}",
            "mode": "payment",
            "amount_subtotal": amount_total,
            "amount_total": amount_total,
            "currency": currency,
            "client_reference_id": form.get("client_reference_id"),
            "customer_email": form.get("customer_email"),
            "metadata": form.get("metadata", {}),
            "locale": form.get("locale"),
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": form.get("success_url"),
            "cancel_url": form.get("cancel_url"),
            "created": now,
            "expires_at": expires_at,
            "livemode": False,
        }
        self.sessions[session_id] = session
        return session


class _Handler(BaseHTTPRequestHandler):
    fake: FakeStripe

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        form = parse_form(body or parts.query)
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, payload, extra = self.fake.handle(self.command, parts.path, headers, form)
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _serve

    def log_message(self, format, *args) -> None:
        pass  # the test's output is for the test
