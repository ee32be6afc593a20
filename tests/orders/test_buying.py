"""The buyer's pages: the cart, checkout and the order pages, as a visitor uses them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.catalog.models import Product, ProductStatus
from app.extensions import db
from app.orders.models import Cart, Checkout, Order, OrderStatus
from tests.factories import PASSWORD, LivestreamFactory, ProductFactory, UserFactory, commune, delivery_plan, hue


@pytest.fixture
def shop(app):
    """Two producers: one with a pickup point and local delivery, one shipping by weight."""
    with app.app_context():
        orange = ProductFactory(name="Cam Xã Đoài", price_vnd=350_000, stock=10, min_order=1)
        pomelo = ProductFactory(name="Bưởi thanh trà", price_vnd=60_000, stock=30, min_order=2, net_weight_grams=1_500)
        plan = delivery_plan(orange.producer, zones={commune(): 20_000})
        delivery_plan(pomelo.producer, bands=[(5_000, 30_000), (30_000, 60_000)])
        live = LivestreamFactory(producer=orange.producer, products=[orange])
        db.session.commit()
        return {"orange": orange.id, "pomelo": pomelo.id, "pickup": plan.pickup_points[0].id,
                "orange_producer": orange.producer_id, "pomelo_producer": pomelo.producer_id, "live": live.id,
                "live_slug": live.slug, "orange_slug": orange.slug}


def add(client, product_id, quantity=None, **extra):
    data = {"product_id": product_id, **extra}
    if quantity is not None:
        data["quantity"] = quantity
    return client.post("/gio-hang/them", data=data)


def checkout_form(shop, **changes):
    data = {
        "submission_key": "form-1", "action": "place", "name": "Nguyễn Thị Hoa", "phone": "0912 345 678",
        "email": "", "province_id": "", "commune_id": "", "commune_name": "", "village": "", "street": "",
        "note": "", "payment_method": "cod",
        f"delivery_{shop['orange_producer']}": str(shop["pickup"]),
        f"delivery_{shop['pomelo_producer']}": "address",
    }
    data.update(changes)
    return data


def address(app, slug="phuong-kim-tra"):
    with app.app_context():
        return {"province_id": str(hue().id), "commune_id": str(commune(slug).id), "street": "12 Lý Thái Tổ"}


def test_a_visitor_fills_a_cart_from_cards_product_pages_and_lives(client, shop):
    assert add(client, shop["orange"], live=shop["live"]).status_code == 303
    assert add(client, shop["pomelo"], quantity=4).status_code == 303
    page = client.get("/gio-hang").get_data(as_text=True)
    assert "Cam Xã Đoài" in page and "Bưởi thanh trà" in page
    assert "590.000" in page  # 350.000 + 4 × 60.000
    assert "Giỏ hàng (5)" in client.get("/").get_data(as_text=True)
    # The buy button is on the product page, the list and the live's featured products.
    for path in ("/san-pham", f"/san-pham/{shop['orange_slug']}", f"/livestream/{shop['live_slug']}"):
        assert 'action="/gio-hang/them"' in client.get(path).get_data(as_text=True), path


def test_plus_and_minus_change_the_quantity_without_javascript(app, client, shop):
    add(client, shop["pomelo"])
    with app.app_context():
        line_id = db.session.execute(sa.text("select id from cart_lines")).scalar()
    assert client.post(f"/gio-hang/{line_id}", data={"quantity": "3"}).status_code == 303
    assert client.post(f"/gio-hang/{line_id}", data={"quantity": "typed", "typed": "7"}).status_code == 303
    with app.app_context():
        assert db.session.execute(sa.text("select quantity from cart_lines")).scalar() == 7
    # Under the minimum order (2), fractional, negative, above stock: refused, the cart unchanged.
    for bad in ("1", "1.5", "-3", "abc", "31"):
        response = client.post(f"/gio-hang/{line_id}", data={"quantity": "typed", "typed": bad})
        assert response.status_code == 400, bad
    with app.app_context():
        assert db.session.execute(sa.text("select quantity from cart_lines")).scalar() == 7
    assert client.post(f"/gio-hang/{line_id}", data={"quantity": "0"}).status_code == 303
    assert "đang trống" in client.get("/gio-hang").get_data(as_text=True)


@pytest.mark.parametrize("quantity", ["0", "-1", "2.5", "x"])
def test_bad_quantities_when_adding_are_refused(client, shop, quantity):
    response = add(client, shop["orange"], quantity=quantity)
    assert response.status_code == 400
    assert "số nguyên" in response.get_data(as_text=True)


def test_more_than_the_stock_or_a_made_up_product_is_refused(client, shop):
    assert add(client, shop["orange"], quantity="11").status_code == 400
    assert add(client, 999_999).status_code == 404
    assert add(client, "abc").status_code == 404


def test_the_cart_says_when_a_product_changed_since_it_was_added(app, client, shop):
    add(client, shop["orange"], quantity="2")
    add(client, shop["pomelo"], quantity="2")
    with app.app_context():
        db.session.get(Product, shop["orange"]).price_vnd = 380_000
        db.session.get(Product, shop["pomelo"]).status = ProductStatus.ARCHIVED
        db.session.commit()
    page = client.get("/gio-hang").get_data(as_text=True)
    assert "Giá đã đổi" in page and "380.000" in page
    assert "ngừng bán" in page
    assert "760.000" in page  # the total follows today's price and leaves the withdrawn line out
    assert 'href="/thanh-toan"' not in page


def test_a_visitors_cart_joins_the_saved_one_when_they_sign_in(app, client, auth, shop):
    with app.app_context():
        buyer = UserFactory(email="hoa@example.vn")
        saved = Cart(token="saved-token", user_id=buyer.id)
        db.session.add(saved)
        db.session.flush()
        from app.orders import cart as carts

        carts.add(saved, db.session.get(Product, shop["pomelo"]), 2)
        db.session.commit()
    add(client, shop["orange"])
    add(client, shop["pomelo"], quantity="2")
    auth.login("hoa@example.vn", PASSWORD)
    page = client.get("/gio-hang").get_data(as_text=True)
    assert "Cam Xã Đoài" in page
    with app.app_context():
        quantities = dict(db.session.execute(sa.text("select product_id, quantity from cart_lines")).all())
    assert quantities == {shop["orange"]: 1, shop["pomelo"]: 4}


def test_a_visitor_checks_out_two_producers_with_cash_on_delivery(app, client, shop):
    add(client, shop["orange"], quantity="2", live=shop["live"])
    add(client, shop["pomelo"], quantity="4")
    assert client.get("/thanh-toan").status_code == 200
    response = client.post("/thanh-toan", data=checkout_form(shop, **address(app)))
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        placed = db.session.execute(sa.select(Checkout)).scalar_one()
        orders = {o.producer_id: o for o in placed.orders}
        assert orders[shop["orange_producer"]].total_vnd == 700_000
        # 4 × 1.5 kg = 6 kg: the second band, 60.000 ₫.
        assert orders[shop["pomelo_producer"]].total_vnd == 240_000 + 60_000
        assert orders[shop["orange_producer"]].lines[0].livestream_id == shop["live"]
        assert all(o.status == OrderStatus.PLACED for o in orders.values())
        codes = [o.code for o in orders.values()]
    assert all(code in page for code in codes)
    assert "Giỏ hàng (" not in client.get("/").get_data(as_text=True)


def test_the_browser_cannot_set_a_price(app, client, shop):
    add(client, shop["orange"], quantity="1", price_vnd="1", price="1")
    form = checkout_form(shop, **{f"delivery_{shop['pomelo_producer']}": "address"})
    form.update(total="1000", price="1", delivery_fee="0")
    assert client.post("/thanh-toan", data=form).status_code == 303
    with app.app_context():
        assert db.session.execute(sa.select(Order.total_vnd)).scalar_one() == 350_000


def test_submitting_the_same_checkout_twice_makes_one(app, client, shop):
    add(client, shop["orange"])
    form = checkout_form(shop)
    first = client.post("/thanh-toan", data=form)
    second = client.post("/thanh-toan", data=form)
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Checkout)) == 1
        assert db.session.get(Product, shop["orange"]).stock == 9


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": ""}, "số di động"),
        ({"phone": "0912"}, "số di động"),
        ({"name": ""}, "tên người nhận"),
        ({"street": ""}, "số nhà"),
        ({"commune_id": ""}, "xã/phường"),
    ],
)
def test_bad_details_keep_everything_typed_and_place_nothing(app, client, shop, changes, message):
    add(client, shop["orange"])
    add(client, shop["pomelo"], quantity="2")
    form = checkout_form(shop, **address(app))
    form.update(note="Gọi trước 30 phút", **changes)
    response = client.post("/thanh-toan", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.lower() or message in page
    assert "Gọi trước 30 phút" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0
        assert db.session.get(Product, shop["orange"]).stock == 10
    assert "Cam Xã Đoài" in client.get("/gio-hang").get_data(as_text=True)


def test_an_address_the_seller_does_not_deliver_to_is_refused_before_payment(app, client, shop):
    add(client, shop["orange"])
    form = checkout_form(shop, **address(app, "xa-binh-dien"))
    form[f"delivery_{shop['orange_producer']}"] = "address"
    response = client.post("/thanh-toan", data=form)
    assert response.status_code == 400
    assert "không giao tới địa chỉ của bạn" in response.get_data(as_text=True)


def test_a_product_sold_out_between_cart_and_checkout(app, client, shop):
    add(client, shop["orange"], quantity="2")
    with app.app_context():
        db.session.get(Product, shop["orange"]).stock = 1
        db.session.commit()
    response = client.post("/thanh-toan", data=checkout_form(shop))
    assert response.status_code == 400
    assert "hết" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0


def test_a_guest_follows_the_private_link_and_cancels_before_confirmation(app, client, shop):
    add(client, shop["orange"], quantity="3")
    location = client.post("/thanh-toan", data=checkout_form(shop)).headers["Location"]
    token = location.rsplit("/", 1)[1]
    with app.app_context():
        code = db.session.execute(sa.select(Order.code)).scalar_one()
    page = client.get(f"/don-hang/{token}/{code}")
    assert page.status_code == 200 and "Huỷ đơn này" in page.get_data(as_text=True)
    assert client.get(f"/don-hang/not-the-token/{code}").status_code == 404
    assert client.post(f"/don-hang/{token}/{code}/huy", data={"confirm": "huy-don"}).status_code == 303
    with app.app_context():
        order = db.session.execute(sa.select(Order)).scalar_one()
        assert order.status == OrderStatus.CANCELLED
        assert db.session.get(Product, shop["orange"]).stock == 10
    # Twice: refused, the stock returned once only.
    assert client.post(f"/don-hang/{token}/{code}/huy", data={"confirm": "huy-don"}).status_code == 409
    with app.app_context():
        assert db.session.get(Product, shop["orange"]).stock == 10


def test_a_signed_in_buyer_sees_their_orders_and_their_last_address_again(app, client, auth, shop):
    with app.app_context():
        UserFactory(email="lan@example.vn", full_name="Trần Thị Lan")
        db.session.commit()
    auth.login("lan@example.vn", PASSWORD)
    add(client, shop["pomelo"], quantity="2")
    form = checkout_form(shop, **address(app))
    form["name"] = "Trần Thị Lan"
    assert client.post("/thanh-toan", data=form).status_code == 303
    mine = client.get("/tai-khoan/don-hang").get_data(as_text=True)
    with app.app_context():
        reference = db.session.execute(sa.select(Checkout.reference)).scalar_one()
    assert reference in mine and "Mới đặt" in mine
    add(client, shop["pomelo"], quantity="2")
    again = client.get("/thanh-toan").get_data(as_text=True)
    assert "12 Lý Thái Tổ" in again and "Trần Thị Lan" in again


def test_every_missing_detail_of_the_checkout_is_shown_on_one_submit(client, shop):
    add(client, shop["orange"])
    add(client, shop["pomelo"])
    form = checkout_form(shop, name="", phone="12", email="hoa@", street="")
    response = client.post("/thanh-toan", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Hãy nhập tên người nhận.", "Hãy nhập số di động 10 chữ số, ví dụ 0912 345 678.",
                    "Địa chỉ email không đúng dạng.", "Hãy chọn tỉnh/thành phố nhận hàng."):
        assert f'">{message}</a>' in page, message  # listed in the summary at the top, linked to its box
    cart = client.get("/gio-hang").get_data(as_text=True)
    assert "Cam Xã Đoài" in cart and "Bưởi thanh trà" in cart  # nothing was placed: the cart is whole
