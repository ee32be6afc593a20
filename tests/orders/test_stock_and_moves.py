"""Stock moves in one place with a reason for each change, and orders move through one table."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.catalog import stock
from app.catalog.models import Product, StockMovement, StockReason
from app.common.errors import NotAllowed
from app.extensions import db
from app.orders import checkout, status
from app.orders.models import DeliveryMethod, OrderEvent, OrderStatus, PaymentMethod
from app.orders.status import Actor, Move, Party
from tests.catalog.test_manage import form
from tests.factories import ProducerFactory, ProductFactory, UserFactory, delivery_plan
from tests.orders.helpers import ADDRESS, cart_with, pickup, values

S = OrderStatus


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def place(product, quantity=1, method=PaymentMethod.CASH_ON_DELIVERY, by_address=False):
    plan = delivery_plan(product.producer, bands=[(50_000, 30_000)] if by_address else None)
    choice = {product.producer_id: ADDRESS if by_address else pickup(plan)}
    return checkout.place(cart_with((product, quantity)), values(choice, method=method)).orders[0]


def seller_of(product):
    return Actor(Party.SELLER, product.producer.user)


# --- The seller's count -----------------------------------------------------------------------


@pytest.fixture
def listed(app, auth):
    with app.app_context():
        user = UserFactory(roles=[Role.PRODUCER])
        product = ProductFactory(producer=ProducerFactory(user=user), stock=10)
        plan = delivery_plan(product.producer)
        db.session.commit()
        ids = {"product": product.id, "producer": product.producer_id, "category": product.category_id,
               "pickup": str(plan.pickup_points[0].id), "email": user.email}
    auth.login(ids["email"])
    return ids


def edit(client, listed, stock_typed, seen):
    data = form(producer_id=str(listed["producer"]), category_id=str(listed["category"]),
                stock=str(stock_typed), stock_seen=str(seen))
    return client.post(f"/quan-ly/san-pham/{listed['product']}/sua", data=data)


def sell(app, listed, quantity):
    with app.app_context():
        product = db.session.get(Product, listed["product"])
        checkout.place(cart_with((product, quantity)), values({product.producer_id: listed["pickup"]}))
        db.session.commit()


def test_the_sellers_form_adds_their_change_to_sales_made_meanwhile(app, client, listed):
    page = client.get(f"/quan-ly/san-pham/{listed['product']}/sua").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="stock_seen"[^>]*value="10"', page)
    sell(app, listed, 3)  # while the form is open
    assert edit(client, listed, 15, seen=10).status_code == 302
    with app.app_context():
        assert db.session.get(Product, listed["product"]).stock == 12  # 10 − 3 sold + 5 added
        reasons = db.session.execute(
            sa.select(StockMovement.reason, StockMovement.change).order_by(StockMovement.id)
        ).all()
    assert reasons == [(StockReason.ORDER, -3), (StockReason.SELLER_COUNT, 5)]
    history = client.get(f"/quan-ly/san-pham/{listed['product']}/sua").get_data(as_text=True)
    assert "Khách đặt hàng" in history and "Người bán cập nhật số lượng" in history


def test_lowering_below_what_is_left_after_sales_is_refused_and_nothing_saved(app, client, listed):
    sell(app, listed, 6)
    response = edit(client, listed, 1, seen=10)  # −9, but only 4 are left
    assert response.status_code == 400
    assert "chỉ còn 4" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Product, listed["product"]).stock == 4


def test_a_new_listing_records_its_opening_stock(ctx):
    from app.catalog.listing import ListingValues, create_product
    from app.catalog.models import SellingUnit
    from tests.factories import category

    producer = ProducerFactory()
    product = create_product(producer.user, producer, ListingValues(
        name="Quýt Hương Cần", category_id=category().id, unit=SellingUnit.KG, price_vnd=40_000, stock=25))
    assert [(m.change, m.stock_after) for m in stock.movements(product)] == [(25, 25)]


# --- Moves -------------------------------------------------------------------------------------


def test_cancelling_returns_the_stock_exactly_once(ctx):
    product = ProductFactory(stock=10)
    order = place(product, 4)
    status.apply(order, Move.CANCEL, seller_of(product), reason="Hết xe giao")
    assert product.stock == 10
    with pytest.raises(status.OrderAlreadyCancelled):
        status.apply(order, Move.CANCEL, seller_of(product), reason="again")
    with pytest.raises(status.OrderAlreadyCancelled):
        status.apply(order, Move.EXPIRE, Actor(Party.SYSTEM))
    assert product.stock == 10
    assert [m.reason for m in stock.movements(product)] == [StockReason.CANCELLATION, StockReason.ORDER]


def test_a_move_made_meanwhile_elsewhere_wins_and_the_second_is_refused(ctx):
    product = ProductFactory(stock=5)
    order = place(product, 2)
    db.session.commit()
    # Another request cancelled it after this one read the order.
    db.session.execute(sa.text("UPDATE orders SET status = 'cancelled' WHERE id = :id"), {"id": order.id})
    with pytest.raises(status.OrderMovedMeanwhile):
        status.apply(order, Move.CONFIRM, seller_of(product))
    assert db.session.get(Product, product.id).stock == 3  # nothing returned twice


def test_cash_on_delivery_is_paid_when_delivered(ctx):
    product = ProductFactory(stock=5)
    order = place(product, 1, by_address=True)
    seller = seller_of(product)
    for move in (Move.CONFIRM, Move.SHIP, Move.DELIVER, Move.COMPLETE):
        status.apply(order, move, seller)
    assert order.status == S.COMPLETED and order.paid_at is not None
    history = [(e.from_status, e.to_status) for e in order.events]
    assert history == [(None, S.PLACED), (S.PLACED, S.CONFIRMED), (S.CONFIRMED, S.SHIPPED),
                       (S.SHIPPED, S.DELIVERED), (S.DELIVERED, S.COMPLETED)]
    assert all(e.actor_id == product.producer.user_id for e in order.events[1:])


def test_a_pickup_order_is_handed_over_not_shipped(ctx):
    product = ProductFactory(stock=5)
    order = place(product, 1)
    assert order.delivery_method == DeliveryMethod.PICKUP
    status.apply(order, Move.CONFIRM, seller_of(product))
    assert Move.SHIP not in status.allowed_moves(order)
    with pytest.raises(status.OrderMoveNotAllowed):
        status.apply(order, Move.SHIP, seller_of(product))
    status.apply(order, Move.DELIVER, seller_of(product))
    assert order.status == S.DELIVERED


def test_a_transfer_waits_for_the_seller_to_see_the_money(ctx):
    product = ProductFactory(stock=5)
    from flask import current_app

    from app.orders.checkout import payment_methods

    payment_methods.add(current_app, lambda producers: {PaymentMethod.BANK_TRANSFER})
    order = place(product, 1, method=PaymentMethod.BANK_TRANSFER)
    assert order.status == S.AWAITING_PAYMENT
    with pytest.raises(status.OrderNotPaid):
        status.apply(order, Move.CONFIRM, seller_of(product))
    with pytest.raises(NotAllowed):
        status.apply(order, Move.PAY, Actor(Party.STRIPE))  # only the seller sees a transfer
    status.apply(order, Move.PAY, seller_of(product))
    assert order.status == S.PLACED and order.paid_at is not None


def test_another_seller_cannot_move_the_order(ctx):
    product = ProductFactory(stock=5)
    order = place(product, 1)
    stranger = ProducerFactory().user
    with pytest.raises(NotAllowed):
        status.apply(order, Move.CANCEL, Actor(Party.SELLER, stranger), reason="x")
    assert order.status == S.PLACED and product.stock == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrderEvent)) == 1


def test_a_seller_must_say_why_they_cancel(ctx):
    product = ProductFactory(stock=5)
    order = place(product, 1)
    with pytest.raises(status.RuleBroken) as refused:
        status.apply(order, Move.CANCEL, seller_of(product), reason="  ")
    assert refused.value.field == "reason" and order.status == S.PLACED


# Every state × every seller move: allowed exactly where the table says, else a named error.
SELLER_MOVES = [Move.CONFIRM, Move.SHIP, Move.DELIVER, Move.COMPLETE, Move.CANCEL]
ALLOWED = {
    (S.PLACED, Move.CONFIRM), (S.CONFIRMED, Move.SHIP), (S.SHIPPED, Move.DELIVER),
    (S.DELIVERED, Move.COMPLETE), (S.PLACED, Move.CANCEL), (S.CONFIRMED, Move.CANCEL),
}


@pytest.mark.parametrize("state", [S.PLACED, S.CONFIRMED, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.CANCELLED, S.REFUNDED])
@pytest.mark.parametrize("move", SELLER_MOVES)
def test_the_transition_table(ctx, state, move):
    product = ProductFactory(stock=5)
    order = place(product, 1, by_address=True)
    order.status = state
    order.paid_at = order.created_at if state in (S.DELIVERED, S.COMPLETED, S.REFUNDED) else None
    db.session.flush()
    if (state, move) in ALLOWED:
        status.apply(order, move, seller_of(product), reason="lý do")
        assert order.status == status.TRANSITIONS[move][state]
    else:
        with pytest.raises(status.OrderMoveNotAllowed):
            status.apply(order, move, seller_of(product), reason="lý do")
        assert order.status == state


def test_nobody_cancels_a_card_order_while_stripe_may_be_taking_the_money(ctx):
    from flask import current_app

    from app.orders.checkout import payment_methods

    payment_methods.add(current_app, lambda producers: {PaymentMethod.CARD})
    product = ProductFactory(stock=5)
    order = place(product, 1, method=PaymentMethod.CARD)
    assert Move.CANCEL not in status.allowed_moves(order)
    with pytest.raises(status.OrderMoveNotAllowed, match="thanh toán thẻ"):
        status.apply(order, Move.CANCEL, seller_of(product), reason="không liên lạc được")
    status.apply(order, Move.EXPIRE, Actor(Party.STRIPE))
    assert order.status == S.CANCELLED and product.stock == 5
