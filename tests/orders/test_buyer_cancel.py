"""A buyer's cancelling cannot be undone: the order page links to a page that says what is lost,
and only its POST with the confirmation cancels, without JavaScript."""

from __future__ import annotations

import sqlalchemy as sa

from app.catalog.models import Product
from app.extensions import db
from app.orders.models import Order, OrderStatus
from tests.orders.test_buying import add, checkout_form
from tests.orders.test_buying import shop as shop  # a fixture, used by name

CONFIRMED = {"confirm": "huy-don"}


def _placed(app, client, shop) -> tuple[str, str]:
    add(client, shop["orange"], quantity="3")
    location = client.post("/thanh-toan", data=checkout_form(shop)).headers["Location"]
    with app.app_context():
        return location.rsplit("/", 1)[1], db.session.execute(sa.select(Order.code)).scalar_one()


def _status(app) -> OrderStatus:
    with app.app_context():
        return db.session.execute(sa.select(Order.status)).scalar_one()


def test_the_order_page_asks_on_a_page_of_its_own(app, client, shop):
    token, code = _placed(app, client, shop)
    page = client.get(f"/don-hang/{token}/{code}").get_data(as_text=True)
    assert f'<a class="button danger" href="/don-hang/{token}/{code}/huy">' in page
    assert 'method="post" action="/don-hang/' not in page.split("danger-zone", 1)[1]  # no one-tap cancel
    asked = client.get(f"/don-hang/{token}/{code}/huy")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Việc huỷ không hoàn tác được" in html and 'name="confirm" value="huy-don"' in html
    assert '<button type="submit" class="button danger">Huỷ đơn</button>' in html
    assert f'href="/don-hang/{token}/{code}">Không huỷ, quay lại' in html
    assert _status(app) == OrderStatus.PLACED


def test_a_post_without_the_confirmation_cancels_nothing(app, client, shop):
    token, code = _placed(app, client, shop)
    response = client.post(f"/don-hang/{token}/{code}/huy", data={"reason": "Đặt nhầm"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Việc huỷ không hoàn tác được" in html and 'value="Đặt nhầm"' in html  # asked again, reason kept
    assert _status(app) == OrderStatus.PLACED
    with app.app_context():
        assert db.session.get(Product, shop["orange"]).stock == 7


def test_after_confirming_the_order_is_cancelled_with_its_reason(app, client, shop):
    token, code = _placed(app, client, shop)
    response = client.post(f"/don-hang/{token}/{code}/huy", data={**CONFIRMED, "reason": "Đặt nhầm"})
    assert response.status_code == 303
    with app.app_context():
        order = db.session.execute(sa.select(Order)).scalar_one()
        assert order.status == OrderStatus.CANCELLED and order.cancel_reason == "Đặt nhầm"
        assert db.session.get(Product, shop["orange"]).stock == 10
    later = client.get(f"/don-hang/{token}/{code}/huy").get_data(as_text=True)
    assert "không huỷ được nữa" in later and 'name="confirm"' not in later
