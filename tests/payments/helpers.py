"""Placing checkouts paid by card or transfer in tests, through the same services as the site.

Tests make requests without holding an application context (as conftest.py says), so these
helpers open one, do their work, and hand back plain values.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sqlalchemy as sa

from app.catalog.models import Product
from app.extensions import db
from app.orders import checkout
from app.orders.models import Checkout, Order, OrderEvent, OrderNotice, PaymentMethod
from app.payments.models import BankAccount
from tests.factories import ProducerFactory, ProductFactory, commune, delivery_plan
from tests.orders.helpers import ADDRESS, cart_with, pickup, values
from tests.payments.conftest import WEBHOOK_SECRET
from tests.payments.fake_stripe import signed

WEBHOOK = "/payments/stripe/webhook"
_boxes = itertools.count(1)
TOTAL = 2 * 350_000 + 3 * 85_000 + 20_000  # goods of both orders and the cốm's delivery fee


@dataclass(frozen=True)
class Placed:
    checkout_id: int
    token: str
    reference: str
    total_vnd: int
    order_ids: list[int]
    product_ids: list[int]

    @property
    def pay_url(self) -> str:
        return f"/thanh-toan/the/{self.token}"


def place_two_producer_checkout(app, method=PaymentMethod.CARD, accounts: int = 0, **changes) -> Placed:
    """Oranges picked up free from one farm, cốm delivered for 20.000 ₫ by another:
    2 × 350.000 + 3 × 85.000 + 20.000 = 975.000 ₫ in two orders. The first `accounts` producers
    have a bank account for transfers."""
    with app.app_context():
        oranges = ProductFactory(price_vnd=350_000, stock=10)
        com = ProductFactory(producer=ProducerFactory(), name=f"Cốm An Thuận hộp {next(_boxes)}", price_vnd=85_000, stock=30)
        plan = delivery_plan(oranges.producer)
        delivery_plan(com.producer, zones={commune(): 20_000})
        _accounts(accounts, oranges.producer, com.producer)
        cart = cart_with((oranges, 2), (com, 3))
        placed = checkout.place(
            cart, values({oranges.producer_id: pickup(plan), com.producer_id: ADDRESS}, method=method, **changes)
        )
        db.session.commit()
        return Placed(placed.id, placed.access_token, placed.reference, placed.total_vnd,
                      [o.id for o in placed.orders], [oranges.id, com.id])


def _accounts(how_many: int, *producers) -> None:
    for producer in producers[:how_many]:
        db.session.add(BankAccount(producer_id=producer.id, bank_bin="970436", account_number="0071000123456",
                                   account_name="NGUYEN VAN LOC"))
    db.session.flush()


def stocks(app, placed: Placed) -> list[int]:
    with app.app_context():
        return [db.session.get(Product, product_id).stock for product_id in placed.product_ids]


def orders(app, placed: Placed) -> list[Order]:
    """The checkout's orders as the database holds them now (detached, attributes loaded)."""
    with app.app_context():
        rows = list(db.session.execute(
            sa.select(Order).where(Order.checkout_id == placed.checkout_id).order_by(Order.id)
        ).scalars())
        db.session.expunge_all()
        return rows


def checkout_row(app, placed: Placed) -> Checkout:
    with app.app_context():
        row = db.session.get(Checkout, placed.checkout_id)
        db.session.expunge(row)
        return row


def history(app, placed: Placed) -> list[tuple]:
    """(order id, to status, who) of every order event of the checkout, oldest first."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            sa.select(OrderEvent.order_id, OrderEvent.to_status, OrderEvent.actor_kind)
            .join(Order).where(Order.checkout_id == placed.checkout_id).order_by(OrderEvent.id)
        )]


def notices(app, placed: Placed) -> set[tuple]:
    with app.app_context():
        return {tuple(row) for row in db.session.execute(
            sa.select(OrderNotice.order_id, OrderNotice.kind, OrderNotice.recipient)
            .join(Order).where(Order.checkout_id == placed.checkout_id)
        )}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def deliver(client, event: dict | bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """Post a webhook delivery as Stripe would: the raw body and its signature header."""
    body, header = signed(event, secret, timestamp)
    return client.post(WEBHOOK, data=body, headers={"Stripe-Signature": header}, content_type="application/json")


def session_of(client, fake, placed: Placed) -> dict:
    """Open the card page as the buyer would, and return the session it made at the fake."""
    response = client.get(placed.pay_url)
    assert response.status_code == 303, response.get_data(as_text=True)
    [session] = [s for s in fake.sessions.values() if s["client_reference_id"] == placed.reference]
    assert response.headers["Location"] == session["url"]
    return session
