"""Fifty buyers at once for the last boxes: exactly the stock is sold, the rest are told it sold out.

Each buyer is a thread with its own application context, session and database connection
(NullPool), all released together by a barrier. On PostgreSQL (TEST_DATABASE_URL) this is the
real race the conditional UPDATE must win; on SQLite the database serialises the writers and the
same answers must come out.
"""

from __future__ import annotations

import fcntl
import tempfile
import threading
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from app.catalog.models import Product, StockMovement
from app.catalog.stock import OutOfStock
from app.extensions import db
from app.orders import checkout
from app.orders.models import Cart, Order
from tests.conftest import _make_app
from tests.factories import ProductFactory, delivery_plan
from tests.orders.helpers import buyer, cart_with, pickup

BUYERS = 50
LAST_BOXES = 7


@pytest.fixture
def crowded_app(database_url_for_test, tmp_path):
    # Fifty connections at once: two test processes doing this together could pass a small
    # server's max_connections, so the crowd tests take turns across processes.
    lock = Path(tempfile.gettempdir()) / "chophien-crowd.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        app = _make_app(database_url_for_test, tmp_path,
                        SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool})
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        fcntl.flock(handle, fcntl.LOCK_UN)


def test_fifty_concurrent_checkouts_sell_exactly_the_last_boxes(crowded_app):
    app = crowded_app
    with app.app_context():
        product = ProductFactory(stock=LAST_BOXES, min_order=1)
        plan = delivery_plan(product.producer)
        choice = {product.producer_id: pickup(plan)}
        details = buyer()
        cart_ids = [cart_with((product, 1)).id for _ in range(BUYERS)]
        db.session.commit()
        product_id = product.id

    start = threading.Barrier(BUYERS)
    answers: Counter = Counter()
    failures: list[BaseException] = []
    guard = threading.Lock()

    def buy(number: int, cart_id: int) -> None:
        with app.app_context():
            cart = db.session.get(Cart, cart_id)
            values = checkout.CheckoutValues(
                buyer=details, delivery=choice, payment_method=checkout.PaymentMethod.CASH_ON_DELIVERY,
                submission_key=f"crowd-{number}",
            )
            start.wait(timeout=60)
            try:
                checkout.place(cart, values)
                db.session.commit()
                answer = "bought"
            except (OutOfStock, checkout.CheckoutRefused):
                db.session.rollback()
                answer = "sold out"
            except BaseException as error:  # noqa: BLE001 - every other outcome fails the test
                db.session.rollback()
                with guard:
                    failures.append(error)
                return
            finally:
                db.session.remove()
            with guard:
                answers[answer] += 1

    threads = [threading.Thread(target=buy, args=(n, cart_id)) for n, cart_id in enumerate(cart_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert answers == {"bought": LAST_BOXES, "sold out": BUYERS - LAST_BOXES}
    with app.app_context():
        assert db.session.get(Product, product_id).stock == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == LAST_BOXES
        taken = db.session.scalar(
            sa.select(sa.func.sum(StockMovement.change)).where(StockMovement.product_id == product_id)
        )
        assert taken == -LAST_BOXES
