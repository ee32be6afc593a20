"""The checkout figure of `make bench`: orders per second with 32 concurrent buyers, and units
oversold (which must be 0).

Runs on PostgreSQL: a scratch database is made on the server BENCH_POSTGRES_URL names (default:
the local server, postgresql://postgres@127.0.0.1:5432/test) and dropped afterwards. Without a
reachable server the figure is taken on SQLite and says so.

Each buyer is a thread with its own test client (its own cookie, cart and session) going
through the site as a person would: add to cart, then submit the checkout form. The products
hold fewer units than the buyers want, so the last boxes are fought over.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter

import sqlalchemy as sa

BUYERS = 32
CHECKOUTS_PER_BUYER = 20
PRODUCTS = 16
STOCK_EACH = 30  # 480 units for 640 attempts of one unit each


def _postgres_url() -> str | None:
    from config import database_url

    url = database_url(os.environ.get("BENCH_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/test", "")
    try:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return url
    except Exception:  # noqa: BLE001 - no server: measure on SQLite instead
        return None


def _scratch_postgres(admin_url: str):
    name = f"chophien_bench_checkout_{os.getpid()}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def _seed(app) -> dict:
    from app.accounts.models import Role, RoleGrant, User
    from app.catalog.models import Category, Producer, Product, ProductStatus, SellingUnit
    from app.common.text import make_slug
    from app.extensions import db
    from app.orders.models import DeliveryPlan, PickupPoint

    with app.app_context():
        category = db.session.execute(sa.select(Category).limit(1)).scalar_one()
        user = User(full_name="Nhà vườn thử", email="bench@example.vn", password_hash="x",
                    role_grants=[RoleGrant(role=Role.PRODUCER)])
        producer = Producer(display_name="Vườn thử tải", slug="vuon-thu-tai", user=user)
        db.session.add_all([user, producer])
        db.session.flush()
        plan = DeliveryPlan(producer_id=producer.id,
                            pickup_points=[PickupPoint(name="Tại vườn", address="Thôn Quang Lộc")])
        db.session.add(plan)
        products = []
        for n in range(PRODUCTS):
            products.append(Product(
                producer=producer, category=category, name=f"Cam thử {n}", slug=make_slug(f"cam thu {n}"),
                unit=SellingUnit.BOX, net_weight_grams=10_000, price_vnd=350_000, stock=STOCK_EACH,
                status=ProductStatus.ON_SALE,
            ))
        db.session.add_all(products)
        db.session.commit()
        return {"producer": producer.id, "pickup": plan.pickup_points[0].id, "products": [p.id for p in products]}


def run(create_app_for) -> tuple[str, float, int, Counter]:
    """Returns (backend, orders per second, units oversold, answers)."""
    from flask_migrate import upgrade

    from app.catalog.models import Product
    from app.extensions import db
    from app.orders.models import OrderLine

    pg = _postgres_url()
    drop = None
    if pg:
        url, drop = _scratch_postgres(pg)
    else:
        import tempfile

        url = f"sqlite:///{tempfile.mkdtemp(prefix='chophien-bench-checkout-')}/bench.sqlite3"
    app = create_app_for(url, {"pool_size": BUYERS + 4, "max_overflow": 0} if pg else {})
    try:
        with app.app_context():
            upgrade()
        seed = _seed(app)
        answers: Counter = Counter()
        lock = threading.Lock()
        start_line = threading.Barrier(BUYERS + 1)

        def buyer(number: int) -> None:
            start_line.wait()
            for attempt in range(CHECKOUTS_PER_BUYER):
                client = app.test_client()  # a new visitor each time: their own cookie and cart
                product = seed["products"][(number + attempt) % PRODUCTS]
                added = client.post("/gio-hang/them", data={"product_id": product})
                if added.status_code != 303:
                    outcome = "sold out at the cart"
                else:
                    response = client.post("/thanh-toan", data={
                        "submission_key": f"bench-{number}-{attempt}", "action": "place",
                        "name": "Người mua thử", "phone": "0912345678", "payment_method": "cod",
                        f"delivery_{seed['producer']}": seed["pickup"],
                    })
                    outcome = "bought" if response.status_code == 303 else "sold out at checkout"
                with lock:
                    answers[outcome] += 1

        threads = [threading.Thread(target=buyer, args=(n,)) for n in range(BUYERS)]
        for thread in threads:
            thread.start()
        start_line.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began

        with app.app_context():
            sold = dict(db.session.execute(
                sa.select(OrderLine.product_id, sa.func.sum(OrderLine.quantity)).group_by(OrderLine.product_id)
            ).all())
            left = dict(db.session.execute(sa.select(Product.id, Product.stock)).all())
        oversold = sum(max(0, sold.get(pid, 0) - STOCK_EACH) for pid in seed["products"])
        oversold += sum(1 for pid in seed["products"] if left[pid] + sold.get(pid, 0) != STOCK_EACH)
        backend = sa.engine.make_url(url).get_backend_name()
        return backend, answers["bought"] / elapsed, oversold, answers
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if drop:
            drop()
