"""Demo delivery plans, bank accounts and orders, so `make run` opens on sellers' dashboards with work in them.

Everything goes through the services: plans through orders.delivery_plans, bank accounts through
payments.accounts, orders through the
cart and checkout, and each later state through the order transition table, as a buyer and a
seller would make them. Flushes; the caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Producer, Product, available_condition
from app.common.timezone import utcnow
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.models import FeaturedProduct
from app.orders import cart as carts
from app.orders import checkout, status
from app.orders.delivery import ADDRESS
from app.orders.delivery_plans import (
    DeliveryPlanValues,
    PickupPointValues,
    PlanOwner,
    WeightBandValues,
    ZoneValues,
    plan_of,
    save_cooperative_plan,
    save_producer_plan,
)
from app.orders.models import Checkout, PaymentMethod
from app.payments.accounts import (
    BankAccountValues,
    cooperative_account,
    own_account,
    save_for_cooperative,
    save_for_producer,
)
from app.places.models import Commune

# Courier fees by weight, as a farmer reads them off a courier's price list (đồng).
BANDS = [(3_000, 30_000), (10_000, 45_000), (20_000, 70_000), (30_000, 95_000)]
LOCAL = {"phuong-huong-tra": 15_000, "phuong-kim-tra": 20_000, "phuong-thuan-hoa": 25_000,
         "phuong-phu-xuan": 25_000, "xa-binh-dien": 20_000}

BUYERS = [
    ("Phạm Minh Anh", "0987 654 321", "nguoimua@chophien.vn"),
    ("Nguyễn Thị Hoa", "0912 777 888", None),
    ("Lê Quang Vinh", "0905 123 456", "vinh@example.vn"),
    ("Trần Thị Ngọc", "0389 555 666", None),
]

COD, TRANSFER = PaymentMethod.CASH_ON_DELIVERY, PaymentMethod.BANK_TRANSFER
# Each demo order: which buyer, how they pay, the moves it has been through, and how many days ago.
STORIES = [
    (0, COD, [], 0),
    (1, COD, [], 1),
    (2, TRANSFER, [], 0),
    (2, COD, [status.Move.CONFIRM], 2),
    (3, TRANSFER, [status.Move.PAY, status.Move.CONFIRM], 3),
    (0, COD, [status.Move.CONFIRM, status.Move.SHIP], 5),
    (1, COD, [status.Move.CONFIRM, status.Move.SHIP, status.Move.DELIVER], 8),
    (2, COD, [status.Move.CONFIRM, status.Move.SHIP, status.Move.DELIVER, status.Move.COMPLETE], 12),
    (3, COD, [status.Move.CANCEL], 4),
]

# Where transfers go (fictional accounts at real banks, by NAPAS BIN): each cooperative's, and the
# farm outside a cooperative's own.
BANKS = ["970436", "970418", "970405", "970422"]


def _communes() -> dict[str, Commune]:
    return {c.slug: c for c in db.session.execute(sa.select(Commune)).scalars()}


def _plan(pickup_name: str, pickup_address: str, communes: dict[str, Commune]) -> DeliveryPlanValues:
    return DeliveryPlanValues(
        pickup_points=[PickupPointValues(pickup_name, pickup_address, "7:00–17:00 hằng ngày")],
        zones=[ZoneValues(communes[slug].id, fee) for slug, fee in LOCAL.items() if slug in communes],
        ships_nationwide=True,
        weight_bands=[WeightBandValues(grams, fee) for grams, fee in BANDS],
        free_over_vnd=1_500_000,
    )


def seed_delivery(cooperatives: dict[str, Cooperative], producers: dict[str, Producer], admin: User) -> int:
    """A plan for each cooperative (serving its members) and for each farm outside one."""
    communes = _communes()
    added = 0
    for coop in cooperatives.values():
        if plan_of(PlanOwner(cooperative=coop)) is None:
            save_cooperative_plan(admin, coop, _plan(f"Văn phòng {coop.name}", coop.village or "Huế", communes))
            added += 1
    for producer in producers.values():
        if producer.cooperative_id is None and plan_of(PlanOwner(producer=producer)) is None:
            save_producer_plan(admin, producer, _plan("Tại vườn", producer.village or "Huế", communes))
            added += 1
    return added


def seed_bank_accounts(cooperatives: dict[str, Cooperative], producers: dict[str, Producer], admin: User) -> int:
    added = 0
    owners = list(cooperatives.values()) + [p for p in producers.values() if p.cooperative_id is None]
    for number, owner in enumerate(owners):
        values = BankAccountValues(BANKS[number % len(BANKS)], f"0071000{123456 + number * 1111}",
                                   getattr(owner, "name", None) or owner.display_name)
        if isinstance(owner, Cooperative):
            if cooperative_account(owner) is None:
                save_for_cooperative(admin, owner, values)
                added += 1
        elif own_account(owner) is None:
            save_for_producer(admin, owner, values)
            added += 1
    return added


def seed_orders(producers: dict[str, Producer], now: datetime | None = None) -> int:
    """A few orders in every state for the demo farms, once."""
    if db.session.execute(sa.select(Checkout.id).limit(1)).first() is not None:
        return 0
    now = now or utcnow()
    on_sale = list(db.session.execute(
        sa.select(Product).where(available_condition(), Product.producer_id.in_([p.id for p in producers.values()]))
        .order_by(Product.id)
    ).scalars())
    featured = dict(db.session.execute(sa.select(FeaturedProduct.product_id, FeaturedProduct.livestream_id)).all())
    buyer_accounts = {u.email: u for u in db.session.execute(sa.select(User)).scalars()}
    hue_ward = _communes().get("phuong-thuan-hoa")
    made = 0
    for number, (who, method, moves, days_ago) in enumerate(STORIES):
        product = on_sale[number % len(on_sale)]
        name, phone, email = BUYERS[who]
        user = buyer_accounts.get(email) if email else None
        cart = carts.find_or_create(user, None)
        # Every other order comes from a live's page, so the hosts see what their lives sold.
        carts.add(cart, product, product.min_order, featured.get(product.id) if number % 2 == 0 else None)
        moment = now - timedelta(days=days_ago, hours=number)
        placed = checkout.place(cart, checkout.CheckoutValues(
            buyer=checkout.BuyerDetails(
                name=name, phone=phone, email=email,
                province_id=hue_ward.province_id if hue_ward else None,
                commune_id=hue_ward.id if hue_ward else None, village="Tổ 5",
                street=f"{12 + number} Lê Lợi",
            ),
            delivery={product.producer_id: ADDRESS},
            payment_method=method,
            submission_key=f"demo-order-{number}", user=user,
        ), now=moment)
        order = placed.orders[0]
        seller = status.Actor(status.Party.SELLER, _seller_of(order.producer))
        for step, move in enumerate(moves, start=1):
            status.apply(order, move, seller, reason="Khách đổi ý, hẹn mùa sau" if move == status.Move.CANCEL else "",
                         now=moment + timedelta(hours=6 * step))
        made += 1
    db.session.flush()
    return made


def _seller_of(producer: Producer) -> User:
    """The farm's own account, else the first manager of its cooperative, else an admin."""
    if producer.user is not None:
        return producer.user
    if producer.cooperative is not None and producer.cooperative.managers:
        return producer.cooperative.managers[0]
    from app.accounts.models import Role, RoleGrant

    return db.session.execute(
        sa.select(User).join(RoleGrant).where(RoleGrant.role == Role.ADMIN).limit(1)
    ).scalar_one()


