"""An order line's unit reads in the reader's language, whoever bought: the Vietnamese seller reads
"thùng" on the order an English buyer reads as "boxes", and each one's mail says it their way."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.accounts.models import Role
from app.catalog.models import Product, SellingUnit
from app.common import mail
from app.extensions import db
from app.orders import labels, mailing
from app.orders.models import Order, OrderLine
from tests.factories import ProducerFactory, ProductFactory, UserFactory, delivery_plan
from tests.sessions import sign_in

SITE = "https://chophien.vn"
BUYER = "anna@example.com"


@pytest.fixture
def farm(app):
    """A Vietnamese seller selling pomelos by the 10 kg box, with a pickup point."""
    with app.app_context():
        owner = UserFactory(full_name="Bác Lộc", email="loc@example.vn", roles=[Role.PRODUCER], locale="vi")
        product = ProductFactory(producer=ProducerFactory(display_name="Vườn bưởi bác Lộc", user=owner),
                                 name="Bưởi Phú Diễn", price_vnd=250_000, stock=50, min_order=1,
                                 unit=SellingUnit.BOX, net_weight_grams=10_000)
        plan = delivery_plan(product.producer)
        db.session.commit()
        return {"product": product.id, "producer": product.producer_id, "pickup": plan.pickup_points[0].id,
                "seller": owner.id}


def english_checkout(client, farm, quantity=3) -> str:
    """An English visitor buys through the site's own pages; returns their order page's path."""
    client.set_cookie("lang", "en")
    if quantity:  # 0: the cart is filled already
        added = client.post("/gio-hang/them", data={"product_id": farm["product"], "quantity": quantity})
        assert added.status_code == 303
    response = client.post("/thanh-toan", data={
        "submission_key": "form-en", "action": "place", "name": "Anna Smith", "phone": "0912 345 678",
        "email": BUYER, "province_id": "", "commune_id": "", "commune_name": "", "village": "", "street": "",
        "note": "", "payment_method": "cod", f"delivery_{farm['producer']}": str(farm["pickup"]),
    })
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def order_code(app) -> str:
    with app.app_context():
        return db.session.execute(sa.select(Order.code)).scalar_one()


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_english_buyers_order_reads_thung_to_the_seller_and_boxes_to_the_buyer(app, client, farm):
    english_checkout(client, farm)
    code = order_code(app)
    with app.app_context():
        token = db.session.execute(sa.select(Order).where(Order.code == code)).scalar_one().checkout.access_token

    buyer_page = text_of(client, f"/don-hang/{token}/{code}")
    assert "3 boxes of 10 kg" in buyer_page and "₫250,000 / 10 kg box" in buyer_page
    assert "thùng" not in buyer_page

    client.delete_cookie("lang")
    sign_in(client, farm["seller"])
    seller_page = text_of(client, f"/quan-ly/don-hang/{code}")
    assert "3 thùng 10 kg" in seller_page and "250.000\xa0₫ / thùng 10 kg" in seller_page
    assert "10 kg box" not in seller_page and "boxes" not in seller_page
    note = text_of(client, f"/quan-ly/don-hang/{code}/phieu-giao").split('class="delivery-note"', 1)[1]
    assert "Bưởi Phú Diễn × 3 thùng 10 kg" in note


def test_an_english_buyer_reads_what_they_buy_in_plain_english_through_checkout(app, client, farm):
    client.set_cookie("lang", "en")
    client.post("/gio-hang/them", data={"product_id": farm["product"], "quantity": 3})
    assert "Bưởi Phú Diễn × 3 boxes of 10 kg — ₫750,000" in text_of(client, "/thanh-toan")

    done = text_of(client, english_checkout(client, farm, quantity=0))
    assert "Purchase reference:" in done and "Checkout reference" not in done
    code = order_code(app)
    with app.app_context():
        token = db.session.execute(sa.select(Order).where(Order.code == code)).scalar_one().checkout.access_token
    order_page = text_of(client, f"/don-hang/{token}/{code}")
    assert "All orders from purchase" in order_page and "orders of checkout" not in order_page


def test_a_seller_who_reads_english_reads_boxes_on_a_vietnamese_buyers_order(app, client, farm):
    with app.app_context():
        db.session.execute(sa.text("UPDATE users SET locale = 'en' WHERE id = :id"), {"id": farm["seller"]})
        db.session.commit()
    english_checkout(client, farm, quantity=1)
    client.delete_cookie("lang")
    sign_in(client, farm["seller"])
    seller_page = text_of(client, f"/quan-ly/don-hang/{order_code(app)}")
    assert "1 box of 10 kg" in seller_page and "thùng" not in seller_page


def test_each_party_gets_the_order_mail_in_their_own_language(app, client, farm):
    english_checkout(client, farm)
    with app.test_request_context(base_url=SITE):
        assert mailing.send_due().sent == 2
    messages = {m["To"]: m.get_body(preferencelist=("plain",)).get_content()
                for m in mail.read_outbox(app.config["MAIL_OUTBOX_DIR"])}
    assert "Bưởi Phú Diễn × 3 boxes of 10 kg: ₫750,000" in messages[BUYER]
    assert "Bưởi Phú Diễn × 3 thùng 10 kg: 750.000\xa0₫" in messages["loc@example.vn"]


def test_the_order_keeps_what_was_sold_when_the_product_changes(app, client, farm):
    english_checkout(client, farm, quantity=2)
    with app.app_context():
        product = db.session.get(Product, farm["product"])
        product.unit, product.net_weight_grams = SellingUnit.KG, None
        db.session.commit()
    client.delete_cookie("lang")
    sign_in(client, farm["seller"])
    assert "2 thùng 10 kg" in text_of(client, f"/quan-ly/don-hang/{order_code(app)}")


def test_an_old_line_whose_word_matched_no_unit_shows_that_word(app):
    """Lines converted by migration 0008 keep an unrecognised word as it was written."""
    line = OrderLine(unit=None, unit_text="giỏ", net_weight_grams=2_000, quantity=2)
    with app.test_request_context(), force_locale("en"):
        assert (labels.line_unit(line), labels.line_quantity(line)) == ("giỏ 2 kg", "2 giỏ 2 kg")
