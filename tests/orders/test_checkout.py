"""Placing a checkout: one order per producer, priced from the database, stock taken once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.catalog.models import Product, ProductStatus, StockMovement, StockReason
from app.catalog.stock import OutOfStock
from app.extensions import db
from app.orders import checkout
from app.orders.delivery import CannotDeliver
from app.orders.models import (
    Checkout,
    DeliveryMethod,
    Order,
    OrderNotice,
    OrderStatus,
)
from tests.factories import ProductFactory, commune, delivery_plan
from tests.orders.helpers import ADDRESS, cart_with, pickup, values


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_one_checkout_makes_one_order_per_producer_priced_from_the_database(ctx):
    orange = ProductFactory(price_vnd=350_000, stock=10, net_weight_grams=10_000)
    pomelo = ProductFactory(price_vnd=60_000, stock=30, net_weight_grams=1_500)
    plan_a = delivery_plan(orange.producer, zones={commune(): 20_000})
    delivery_plan(pomelo.producer, bands=[(5_000, 30_000), (20_000, 45_000)])
    cart = cart_with((orange, 2), (pomelo, 3))
    # The seller changes a price after it went into the cart: the order uses today's price.
    pomelo.price_vnd = 65_000

    placed = checkout.place(cart, values({orange.producer_id: pickup(plan_a), pomelo.producer_id: ADDRESS},
                                         commune_id=commune("phuong-kim-tra").id))
    db.session.commit()

    orders = {o.producer_id: o for o in placed.orders}
    assert len(orders) == 2
    a, b = orders[orange.producer_id], orders[pomelo.producer_id]
    assert (a.delivery_method, a.delivery_fee_vnd, a.goods_vnd, a.total_vnd) == (DeliveryMethod.PICKUP, 0, 700_000, 700_000)
    # 3 × 1.5 kg = 4.5 kg: the first band.
    assert (b.delivery_method, b.weight_grams, b.delivery_fee_vnd) == (DeliveryMethod.COURIER, 4_500, 30_000)
    assert b.goods_vnd == 195_000 and b.total_vnd == 225_000
    assert placed.total_vnd == 925_000
    assert [(ln.product_name, ln.unit_price_vnd, ln.quantity, ln.net_weight_grams) for ln in b.lines] == [
        (pomelo.name, 65_000, 3, 1_500)
    ]
    assert a.status == OrderStatus.PLACED and a.code != b.code
    assert placed.buyer_phone == "+84912345678"
    assert (orange.stock, pomelo.stock) == (8, 27)
    assert cart.lines == []
    kinds = db.session.execute(sa.select(OrderNotice.recipient).where(OrderNotice.order_id == a.id)).scalars()
    assert sorted(kinds) == ["buyer", "seller"]


def test_order_lines_keep_what_the_product_was_when_ordered(ctx):
    product = ProductFactory(price_vnd=100_000, stock=5)
    plan = delivery_plan(product.producer)
    placed = checkout.place(cart_with(product), values({product.producer_id: pickup(plan)}))
    product.name, product.price_vnd = "Tên mới", 999_000
    db.session.commit()
    line = placed.orders[0].lines[0]
    assert (line.product_name, line.unit_price_vnd) != ("Tên mới", 999_000)


def test_the_same_submission_twice_makes_one_checkout(ctx):
    product = ProductFactory(stock=5)
    plan = delivery_plan(product.producer)
    choice = {product.producer_id: pickup(plan)}
    first = checkout.place(cart_with(product), values(choice, key="same-form"))
    db.session.commit()
    again = checkout.place(cart_with(product), values(choice, key="same-form"))
    assert again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkout)) == 1
    assert product.stock == 4


def test_codes_are_readable_aloud(ctx):
    product = ProductFactory(stock=50)
    plan = delivery_plan(product.producer)
    codes = set()
    for _ in range(20):
        codes.add(checkout.place(cart_with(product), values({product.producer_id: pickup(plan)})).orders[0].code)
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 6 and not set(code) & set("0O1IL2Z5S8B6GDQ")


def test_a_product_sold_out_since_it_went_in_the_cart_refuses_the_checkout_and_takes_nothing(ctx):
    last = ProductFactory(stock=2)
    other = ProductFactory(stock=5, producer=last.producer)
    plan = delivery_plan(last.producer)
    cart = cart_with((last, 2), other)
    db.session.commit()
    # Someone else bought the last two meanwhile, straight through the stock rule.
    db.session.execute(sa.update(Product).where(Product.id == last.id).values(stock=0))
    db.session.commit()
    with pytest.raises(checkout.CheckoutRefused) as refused:
        checkout.place(cart, values({last.producer_id: pickup(plan)}))
    assert refused.value.field == "cart"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0
    assert db.session.get(Product, other.id).stock == 5
    assert len(cart.lines) == 2  # the buyer's cart survives


def test_the_database_guard_refuses_when_stock_went_between_review_and_update(ctx, monkeypatch):
    product = ProductFactory(stock=3)
    plan = delivery_plan(product.producer)
    cart = cart_with((product, 3))
    # The review saw 3, but a concurrent order takes them before this one's UPDATE runs.
    from app.catalog import stock

    real_take = stock.take_for_order

    def sold_meanwhile(*args, **kwargs):
        db.session.execute(sa.update(Product).where(Product.id == product.id).values(stock=1))
        return real_take(*args, **kwargs)

    monkeypatch.setattr(stock, "take_for_order", sold_meanwhile)
    with pytest.raises(OutOfStock):
        checkout.place(cart, values({product.producer_id: pickup(plan)}))


def test_an_address_the_seller_does_not_serve_is_refused_before_payment(ctx):
    product = ProductFactory()
    delivery_plan(product.producer, zones={commune(): 15_000})
    with pytest.raises(CannotDeliver) as refused:
        checkout.place(cart_with(product), values({product.producer_id: ADDRESS},
                                                  commune_id=commune("xa-binh-dien").id))
    assert refused.value.field == f"delivery_{product.producer_id}"


def test_a_product_without_weight_cannot_travel_by_weight_band(ctx):
    product = ProductFactory(net_weight_grams=None)
    delivery_plan(product.producer, bands=[(10_000, 30_000)])
    with pytest.raises(CannotDeliver, match="khối lượng"):
        checkout.place(cart_with(product), values({product.producer_id: ADDRESS}))


def test_delivery_is_free_above_the_sellers_threshold(ctx):
    product = ProductFactory(price_vnd=300_000)
    delivery_plan(product.producer, zones={commune(): 20_000}, free_over_vnd=500_000)
    one = checkout.place(cart_with((product, 1)), values({product.producer_id: ADDRESS}))
    two = checkout.place(cart_with((product, 2)), values({product.producer_id: ADDRESS}))
    assert (one.orders[0].delivery_fee_vnd, two.orders[0].delivery_fee_vnd) == (20_000, 0)


def test_a_seller_without_a_delivery_plan_cannot_take_orders(ctx):
    product = ProductFactory()
    with pytest.raises(CannotDeliver, match="chưa cài đặt"):
        checkout.place(cart_with(product), values())


def test_a_cooperative_plan_serves_its_members(ctx):
    from tests.factories import CooperativeFactory, ProducerFactory

    coop = CooperativeFactory()
    product = ProductFactory(producer=ProducerFactory(cooperative=coop))
    plan = delivery_plan(coop)
    placed = checkout.place(cart_with(product), values({product.producer_id: pickup(plan)}))
    assert placed.orders[0].pickup_text.startswith("Tại vườn")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": ""}, "phone"),
        ({"phone": "0212 345 678"}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"name": "  "}, "name"),
        ({"street": ""}, "street"),
        ({"commune_id": None}, "commune"),
    ],
)
def test_bad_buyer_details_name_the_field_and_take_nothing(ctx, changes, field):
    product = ProductFactory(stock=5)
    delivery_plan(product.producer, zones={commune(): 0})
    cart = cart_with(product)
    db.session.commit()
    with pytest.raises(checkout.CheckoutRefused) as refused:
        checkout.place(cart, values({product.producer_id: ADDRESS}, **changes))
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.get(Product, product.id).stock == 5


def test_a_withdrawn_product_blocks_the_checkout(ctx):
    product = ProductFactory()
    plan = delivery_plan(product.producer)
    cart = cart_with(product)
    product.status = ProductStatus.ARCHIVED
    with pytest.raises(checkout.CheckoutRefused):
        checkout.place(cart, values({product.producer_id: pickup(plan)}))


def test_every_unit_taken_is_a_recorded_movement(ctx):
    product = ProductFactory(stock=10)
    plan = delivery_plan(product.producer)
    placed = checkout.place(cart_with((product, 4)), values({product.producer_id: pickup(plan)}))
    movement = db.session.execute(
        sa.select(StockMovement).where(StockMovement.product_id == product.id)
    ).scalar_one()
    assert (movement.change, movement.stock_after, movement.reason, movement.order_code) == (
        -4, 6, StockReason.ORDER, placed.orders[0].code
    )


def test_an_abandoned_checkout_goes_back_into_the_cart(ctx):
    from app.orders import cart as carts

    product = ProductFactory(stock=5)
    plan = delivery_plan(product.producer)
    cart = cart_with((product, 2))
    placed = checkout.place(cart, values({product.producer_id: pickup(plan)}))
    assert cart.lines == []
    carts.put_back_in_cart(cart, placed.orders)
    assert [(line.product_id, line.quantity) for line in cart.lines] == [(product.id, 2)]
