"""The seller's orders: the list, one order's page and its moves, the delivery note, live sales."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.catalog.models import Product
from app.extensions import db
from app.orders import cart as carts
from app.orders import checkout
from app.orders.codes import display
from app.orders.models import Order, OrderEvent, OrderNotice, OrderStatus, PaymentMethod
from tests.factories import (
    PASSWORD,
    CooperativeFactory,
    LivestreamFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    commune,
    delivery_plan,
)
from tests.orders.helpers import ADDRESS, values


@dataclass
class Seller:
    login: str
    name: str  # the account's, as the order's history names who moved it
    producer_name: str
    producer_id: int
    product_id: int
    pickup_id: int


def make_seller(app, name="Vườn cam bác Lộc", user=True, cooperative_id=None) -> Seller:
    with app.app_context():
        owner = UserFactory(full_name=f"Chủ {name}", roles=[Role.PRODUCER]) if user else None
        producer = ProducerFactory(display_name=name, user=owner, cooperative_id=cooperative_id)
        product = ProductFactory(producer=producer, name=f"Cam của {name}", price_vnd=350_000, stock=100)
        plan = delivery_plan(producer, zones={commune(): 20_000})
        db.session.commit()
        return Seller(owner.email if owner else "", owner.full_name if owner else "", name, producer.id,
                      product.id, plan.pickup_points[0].id)


@pytest.fixture
def seller(app):
    return make_seller(app)


def offer_transfers(app) -> None:
    """What app.payments will register: bank transfer and card besides cash on delivery."""
    checkout.payment_methods.add(app, lambda producers: {PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD})


def place(app, seller: Seller, quantity=1, method=PaymentMethod.CASH_ON_DELIVERY, to_address=False,
          livestream_id=None, **buyer) -> str:
    """A checkout of one of the seller's products, as a buyer would make it; returns the order's code."""
    with app.app_context():
        product = db.session.get(Product, seller.product_id)
        cart = carts.find_or_create(None, None)
        carts.add(cart, product, quantity, livestream_id=livestream_id)
        choice = ADDRESS if to_address else str(seller.pickup_id)
        placed = checkout.place(cart, values({seller.producer_id: choice}, method=method, **buyer))
        db.session.commit()
        return placed.orders[0].code


def order_state(app, code: str) -> tuple:
    with app.app_context():
        order = db.session.execute(sa.select(Order).where(Order.code == code)).scalar_one()
        events = db.session.execute(sa.select(sa.func.count()).where(OrderEvent.order_id == order.id)).scalar_one()
        return order.status, order.paid_at is not None, events


def stock_of(app, seller: Seller) -> int:
    with app.app_context():
        return db.session.get(Product, seller.product_id).stock


def move(client, code: str, name: str, **form):
    return client.post(f"/quan-ly/don-hang/{code}/{name}", data=form)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def buttons(html: str, code: str) -> set[str]:
    """The moves the page offers, read from its forms' actions."""
    prefix = f'action="/quan-ly/don-hang/{code}/'
    return {part.split('"', 1)[0] for part in html.split(prefix)[1:]}


# --- Moves -------------------------------------------------------------------------------------


def test_a_pickup_order_goes_from_placed_to_completed_from_the_sellers_page(app, client, auth, seller):
    code = place(app, seller)
    auth.login(seller.login, PASSWORD)
    steps = [("confirm", OrderStatus.CONFIRMED), ("deliver", OrderStatus.DELIVERED), ("complete", OrderStatus.COMPLETED)]
    for name, reached in steps:
        html = page(client, f"/quan-ly/don-hang/{code}")
        assert name in buttons(html, code)
        response = move(client, code, name)
        assert response.status_code == 303
        assert response.headers["Location"] == f"/quan-ly/don-hang/{code}"
        assert order_state(app, code)[0] == reached
    # Handing over a cash-on-delivery order is when the money is collected.
    assert order_state(app, code) == (OrderStatus.COMPLETED, True, 4)
    assert buttons(page(client, f"/quan-ly/don-hang/{code}"), code) == {"refund"}


def test_an_order_to_an_address_is_shipped_before_it_is_delivered(app, client, auth, seller):
    code = place(app, seller, to_address=True)
    auth.login(seller.login, PASSWORD)
    move(client, code, "confirm")
    assert buttons(page(client, f"/quan-ly/don-hang/{code}"), code) == {"ship", "cancel"}
    for name in ("ship", "deliver"):
        assert move(client, code, name).status_code == 303
    assert order_state(app, code)[:2] == (OrderStatus.DELIVERED, True)


def test_a_transfer_is_marked_received_and_a_refund_is_kept_apart_as_danger(app, client, auth, seller):
    offer_transfers(app)
    code = place(app, seller, method=PaymentMethod.BANK_TRANSFER)
    auth.login(seller.login, PASSWORD)
    html = page(client, f"/quan-ly/don-hang/{code}")
    assert buttons(html, code) == {"pay", "cancel"}
    assert "Chờ thanh toán" in html and "chưa thanh toán" in html
    assert move(client, code, "pay").status_code == 303
    assert order_state(app, code)[:2] == (OrderStatus.PLACED, True)

    html = page(client, f"/quan-ly/don-hang/{code}")
    assert buttons(html, code) == {"confirm", "cancel", "refund"}
    danger = html.split('class="danger-zone"', 1)[1]
    assert "/refund" in danger and "/cancel" in danger and "/confirm" not in danger
    assert move(client, code, "refund", **{"refund-reason": "Khách đổi ý, đã chuyển trả"}).status_code == 303
    assert order_state(app, code)[0] == OrderStatus.REFUNDED


def test_cancelling_needs_a_reason_returns_the_stock_and_tells_the_buyer(app, client, auth, seller):
    code = place(app, seller, quantity=3)
    assert stock_of(app, seller) == 97
    auth.login(seller.login, PASSWORD)

    refused = move(client, code, "cancel", **{"cancel-reason": "   "})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Hãy ghi lý do huỷ" in html and "field-error" in html and "<details open>" in html
    assert order_state(app, code) == (OrderStatus.PLACED, False, 1)

    too_long = move(client, code, "cancel", **{"cancel-reason": "x" * 301})
    assert too_long.status_code == 400 and "x" * 301 in too_long.get_data(as_text=True)  # what was typed comes back

    assert move(client, code, "cancel", **{"cancel-reason": "Hết cam loại 1"}).status_code == 303
    assert order_state(app, code)[0] == OrderStatus.CANCELLED
    assert stock_of(app, seller) == 100
    with app.app_context():
        order = db.session.execute(sa.select(Order).where(Order.code == code)).scalar_one()
        assert order.cancel_reason == "Hết cam loại 1"
        kinds = {(n.kind.value, n.recipient) for n in db.session.execute(sa.select(OrderNotice)).scalars()}
        assert ("cancelled", "buyer") in kinds


def test_the_cancel_button_looks_like_danger_and_stands_apart(app, client, auth, seller):
    code = place(app, seller)
    auth.login(seller.login, PASSWORD)
    html = page(client, f"/quan-ly/don-hang/{code}")
    actions, rest = html.split('class="order-actions"', 1)[1].split("</section>", 1)
    assert "/confirm" in actions and "/cancel" not in actions
    danger = rest.split('class="danger-zone"', 1)[1]
    assert "<details>" in danger and 'class="danger"' in danger and "required" not in danger.split("<summary>")[0]


def test_each_form_carries_the_token_that_guards_against_forged_requests(app, client, auth, seller):
    confirmed, cancelled = place(app, seller), place(app, seller)
    auth.login(seller.login, PASSWORD)
    app.config["WTF_CSRF_ENABLED"] = True

    def token(code, name):
        html = page(client, f"/quan-ly/don-hang/{code}")
        return re.search(rf'name="{name}-csrf_token"[^>]*value="([^"]+)"', html).group(1)

    assert move(client, confirmed, "confirm").status_code == 400
    assert move(client, confirmed, "confirm", **{"confirm-csrf_token": token(confirmed, "confirm")}).status_code == 303
    reason = {"cancel-reason": "Hết hàng", "cancel-csrf_token": token(cancelled, "cancel")}
    assert move(client, cancelled, "cancel", **reason).status_code == 303
    assert (order_state(app, confirmed)[0], order_state(app, cancelled)[0]) == (
        OrderStatus.CONFIRMED, OrderStatus.CANCELLED
    )


def test_shipping_a_cancelled_order_is_refused_and_changes_nothing(app, client, auth, seller):
    code = place(app, seller, to_address=True)
    auth.login(seller.login, PASSWORD)
    move(client, code, "cancel", **{"cancel-reason": "Khách gọi huỷ"})
    before = order_state(app, code), stock_of(app, seller)

    response = move(client, code, "ship")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert f"Đơn {code} đã bị huỷ." in html
    assert (order_state(app, code), stock_of(app, seller)) == before
    assert move(client, code, "cancel", **{"cancel-reason": "lần nữa"}).status_code == 409
    assert move(client, code, "khong-co").status_code == 404


def test_another_sellers_order_is_not_found_and_stays_as_it_was(app, client, auth, seller):
    other = make_seller(app, "Vườn bưởi Thanh Trà")
    code = place(app, other)
    auth.login(seller.login, PASSWORD)
    for url in (f"/quan-ly/don-hang/{code}", f"/quan-ly/don-hang/{code}/phieu-giao"):
        assert client.get(url).status_code == 404
    for name, form in (("confirm", {}), ("cancel", {"cancel-reason": "không phải của tôi"})):
        assert move(client, code, name, **form).status_code == 404
    assert order_state(app, code) == (OrderStatus.PLACED, False, 1)
    assert code not in page(client, "/quan-ly/don-hang/")


def test_a_cooperative_manager_sees_and_moves_the_members_orders(app, client, auth):
    with app.app_context():
        manager = UserFactory(full_name="Chị Hoa quản lý", roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        db.session.commit()
        coop_id, login = coop.id, manager.email
    member = make_seller(app, "Vườn nhà O Lành", user=False, cooperative_id=coop_id)
    outsider = make_seller(app, "Vườn ngoài hợp tác xã")
    mine, theirs = place(app, member, name="Trần Văn Bình"), place(app, outsider)

    auth.login(login, PASSWORD)
    html = page(client, "/quan-ly/don-hang/")
    assert display(mine) in html and "Trần Văn Bình" in html and "Vườn nhà O Lành" in html
    assert display(theirs) not in html
    assert move(client, mine, "confirm").status_code == 303
    history = page(client, f"/quan-ly/don-hang/{mine}").split("history-title", 1)[1]
    assert "Chị Hoa quản lý" in history and "Mới đặt → Đã xác nhận" in history


def test_the_history_shows_who_moved_the_order_when_and_why(app, client, auth, seller):
    code = place(app, seller)
    auth.login(seller.login, PASSWORD)
    move(client, code, "cancel", **{"cancel-reason": "Mưa lớn, không hái được"})
    history = page(client, f"/quan-ly/don-hang/{code}").split("history-title", 1)[1]
    assert "Người mua" in history  # the guest who placed it
    assert seller.name in history and "Mới đặt → Đã huỷ" in history and "Mưa lớn, không hái được" in history


def test_the_order_page_shows_the_buyer_the_lines_and_the_payment(app, client, auth, seller):
    code = place(app, seller, quantity=2, to_address=True, note="Gọi trước khi tới")
    auth.login(seller.login, PASSWORD)
    html = page(client, f"/quan-ly/don-hang/{code}")
    for text in ("Nguyễn Thị Hoa", "0912 345 678", "hoa@example.vn", "12 Lý Thái Tổ", "Thôn Quang Lộc",
                 "Gọi trước khi tới", f"Cam của {seller.producer_name}", "700.000\xa0₫", "20.000\xa0₫", "720.000\xa0₫",
                 "Trả tiền khi nhận hàng", "thu 720.000\xa0₫ khi giao", "Người bán giao tận nơi"):
        assert text in html, text


# --- The delivery note ---------------------------------------------------------------------------


def test_the_delivery_note_says_what_to_collect(app, client, auth, seller):
    code = place(app, seller, quantity=2, to_address=True)
    auth.login(seller.login, PASSWORD)
    html = page(client, f"/quan-ly/don-hang/{code}/phieu-giao")
    assert "@page { size: A6; margin: 6mm; }" in html
    note = html.split('class="delivery-note"', 1)[1]
    for text in (display(code), "Nguyễn Thị Hoa", "0912 345 678", "12 Lý Thái Tổ", f"Cam của {seller.producer_name} × 2",
                 "720.000\xa0₫", seller.producer_name):
        assert text in note, text


def test_a_paid_order_has_nothing_to_collect(app, client, auth, seller):
    offer_transfers(app)
    code = place(app, seller, method=PaymentMethod.BANK_TRANSFER)
    auth.login(seller.login, PASSWORD)
    unpaid = page(client, f"/quan-ly/don-hang/{code}/phieu-giao")
    assert "Chưa thanh toán: chưa giao hàng" in unpaid
    move(client, code, "pay")
    note = page(client, f"/quan-ly/don-hang/{code}/phieu-giao").split('class="collect"', 1)[1].split("</div>", 1)[0]
    assert "0\xa0₫" in note and "đã thanh toán" in note and "350.000" not in note
    assert "Nhận tại: Tại vườn" in page(client, f"/quan-ly/don-hang/{code}/phieu-giao")


# --- The list ------------------------------------------------------------------------------------


def test_new_orders_head_the_list_then_the_latest(app, client, auth, seller, clock):
    oldest = place(app, seller)
    clock.advance(hours=1)
    confirmed = place(app, seller)
    clock.advance(hours=1)
    newest = place(app, seller, name="Lê Thị Mai")
    auth.login(seller.login, PASSWORD)
    move(client, confirmed, "confirm")

    html = page(client, "/quan-ly/don-hang/").split("<tbody>", 1)[1]  # past the flash naming `confirmed`
    positions = [html.index(display(code)) for code in (newest, oldest, confirmed)]
    assert positions == sorted(positions)
    row = html[html.index(display(newest)):].split("</tr>", 1)[0]
    for text in ("Mới đặt", "Lê Thị Mai", "350.000\xa0₫", "Trả tiền khi nhận hàng", "Nhận tại điểm hẹn", seller.producer_name):
        assert text in row, text
    assert "2 giờ trước" in html.split(display(oldest), 1)[1].split("</tr>", 1)[0]

    only = page(client, "/quan-ly/don-hang/?trang-thai=confirmed")
    assert display(confirmed) in only and display(newest) not in only and display(oldest) not in only
    assert 'aria-current="true">Đã xác nhận (1)' in only
    assert display(newest) in page(client, "/quan-ly/don-hang/?trang-thai=khong-co")  # unknown: all


def test_the_list_pages(app, client, auth, seller, monkeypatch):
    from app.orders import queries

    monkeypatch.setattr(queries, "ORDERS_PER_PAGE", 2)
    codes = [place(app, seller) for _ in range(3)]
    auth.login(seller.login, PASSWORD)
    first, second = page(client, "/quan-ly/don-hang/"), page(client, "/quan-ly/don-hang/?page=2")
    assert sum(display(c) in first for c in codes) == 2 and sum(display(c) in second for c in codes) == 1
    assert "Trang 1 / 2" in first


def test_the_list_and_the_order_page_take_the_same_queries_for_few_or_many(app, client, auth, seller,
                                                                          count_queries):
    code = place(app, seller)
    auth.login(seller.login, PASSWORD)
    page(client, "/quan-ly/don-hang/")  # the first request warms what is loaded once per process
    with count_queries() as one:
        page(client, "/quan-ly/don-hang/")
    with count_queries() as one_order:
        page(client, f"/quan-ly/don-hang/{code}")

    with app.app_context():
        product = db.session.get(Product, seller.product_id)
        live = LivestreamFactory(producer=product.producer, products=[product])
        db.session.commit()
        live_id = live.id
    for _ in range(5):
        place(app, seller, livestream_id=live_id)
    big = place(app, seller, quantity=4, to_address=True)
    move(client, big, "confirm")
    move(client, big, "ship")
    with count_queries() as many:
        page(client, "/quan-ly/don-hang/")
    with count_queries() as busy_order:
        page(client, f"/quan-ly/don-hang/{big}")
    assert len(many) == len(one), "\n".join(many)
    assert len(busy_order) == len(one_order), "\n".join(busy_order)


# --- What lives sold, and the dashboard ------------------------------------------------------------


def test_sales_through_lives_on_the_list_and_on_the_lives_page(app, client, auth, seller):
    with app.app_context():
        product = db.session.get(Product, seller.product_id)
        live = LivestreamFactory(title="Phiên cam tối thứ Bảy", producer=product.producer, products=[product])
        quiet = LivestreamFactory(title="Phiên không ai mua", producer=product.producer, products=[product])
        db.session.commit()
        live_id, quiet_id = live.id, quiet.id
    first = place(app, seller, quantity=2, livestream_id=live_id)
    place(app, seller, quantity=1, livestream_id=live_id)
    cancelled = place(app, seller, quantity=5, livestream_id=live_id)
    place(app, seller, quantity=3)  # not from a live
    other = make_seller(app, "Vườn khác")
    with app.app_context():
        other_product = db.session.get(Product, other.product_id)
        LivestreamFactory(title="Phiên của vườn khác", producer=other_product.producer, products=[other_product])
        db.session.commit()

    auth.login(seller.login, PASSWORD)
    move(client, cancelled, "cancel", **{"cancel-reason": "Khách huỷ"})

    table = page(client, "/quan-ly/don-hang/").split("live-sales-title", 1)[1]
    row = table.split("Phiên cam tối thứ Bảy", 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in row and "1.050.000\xa0₫" in row
    assert "Phiên không ai mua" not in table and "Phiên của vườn khác" not in table

    managed = page(client, f"/quan-ly/livestream/{live_id}/sua").split("live-sales-title", 1)[1]
    assert "2 đơn hàng" in managed and "1.050.000\xa0₫" in managed
    assert display(first) in managed and f'href="/quan-ly/don-hang/{first}"' in managed
    assert display(cancelled) not in managed
    assert "0 đơn hàng" in page(client, f"/quan-ly/livestream/{quiet_id}/sua")


def test_live_sales_are_not_public(app, client, seller):
    with app.app_context():
        product = db.session.get(Product, seller.product_id)
        live = LivestreamFactory(producer=product.producer, products=[product])
        db.session.commit()
        slug, live_id = live.slug, live.id
    place(app, seller, quantity=2, livestream_id=live_id)
    html = page(client, f"/livestream/{slug}")
    assert "700.000\xa0₫" not in html and "Bán qua" not in html


def test_the_dashboard_links_to_the_orders_with_the_count_of_new_ones(app, client, auth, seller):
    codes = [place(app, seller) for _ in range(3)]
    auth.login(seller.login, PASSWORD)
    move(client, codes[0], "confirm")
    html = page(client, "/quan-ly/")
    assert 'href="/quan-ly/don-hang/"' in html and "2 đơn mới" in html

    client.set_cookie("lang", "en")
    assert "2 new orders" in page(client, "/quan-ly/")


def test_the_pages_read_in_english(app, client, auth, seller):
    code = place(app, seller)
    auth.login(seller.login, PASSWORD)
    client.set_cookie("lang", "en")
    html = page(client, f"/quan-ly/don-hang/{code}")
    assert "Confirm order" in html and "Cancel order" in html and "Order history" in html
    assert "Orders" in page(client, "/quan-ly/don-hang/")
