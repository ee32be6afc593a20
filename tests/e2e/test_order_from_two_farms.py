"""A visitor orders from two farms, one product found on a live's page, and pays cash on delivery.

Each farm sees only its own order; the live's host sees the order under that live.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Role
from app.extensions import db
from tests.e2e.steps import log_in
from tests.factories import (
    LivestreamFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    commune,
    delivery_plan,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def market(live_server) -> dict:
    with live_server.app.app_context():
        orange_farmer = UserFactory(full_name="Trần Văn Hòa", roles=[Role.PRODUCER])
        guava_farmer = UserFactory(full_name="Lê Thị Mai", roles=[Role.PRODUCER])
        oranges = ProducerFactory(user=orange_farmer, display_name="Vườn cam Quang Lộc")
        guavas = ProducerFactory(user=guava_farmer, display_name="Vườn ổi Hương Xuân")
        orange = ProductFactory(producer=oranges, name="Cam Xã Đoài thùng 10 kg", price_vnd=350_000, stock=20)
        ProductFactory(producer=guavas, name="Ổi VietGAP túi 2 kg", price_vnd=60_000, stock=40,
                       net_weight_grams=2_000)
        delivery_plan(oranges, zones={commune(): 20_000})
        delivery_plan(guavas, zones={commune(): 15_000})
        live = LivestreamFactory(producer=oranges, title="Phiên chợ cam tối thứ Bảy", products=[orange])
        db.session.commit()
        people = {"oranges": orange_farmer.email, "guavas": guava_farmer.email, "live": live.slug}
        db.session.remove()
    return people


def order(page: Page, base_url: str, live_slug: str) -> str:
    page.goto(f"{base_url}/livestream/{live_slug}")
    page.get_by_role("button", name="Thêm vào giỏ").first.click()
    page.goto(base_url + "/san-pham?q=oi")
    page.get_by_role("button", name="Thêm vào giỏ").first.click()
    page.get_by_role("link", name="Giỏ hàng (2)").click()
    expect(page.get_by_text("Cam Xã Đoài thùng 10 kg")).to_be_visible()
    page.get_by_role("button", name="Thêm một").last.click()  # two bags of guavas
    page.get_by_role("link", name="Đặt hàng").click()
    page.get_by_label("Họ tên người nhận").fill("Nguyễn Thị Hoa")
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_label("Xã/phường", exact=True).select_option(label="Phường Hương Trà")
    page.get_by_label("Số nhà, đường, chỉ dẫn").fill("12 Lý Thái Tổ")
    page.get_by_role("button", name="Tính lại phí giao").click()
    expect(page.get_by_text("Tổng cộng: 505.000")).to_be_visible()  # 350.000 + 120.000 + 20.000 + 15.000
    page.get_by_label("Trả tiền mặt khi nhận hàng").check()
    page.get_by_role("button", name="Gửi đơn hàng").click()
    expect(page.get_by_role("heading", name="Cảm ơn bạn đã đặt hàng")).to_be_visible()
    return page.url


def test_a_visitor_orders_from_two_farms_and_each_sees_only_their_order(live_server, new_phone, market):
    buyer = new_phone()
    order(buyer, live_server.url, market["live"])
    codes = buyer.locator(".order-card h2").all_inner_texts()
    assert len(codes) == 2

    oranges = new_phone()
    log_in(oranges, live_server.url, market["oranges"])
    oranges.goto(live_server.url + "/quan-ly/don-hang/")
    expect(oranges.get_by_text("Nguyễn Thị Hoa")).to_have_count(1)
    expect(oranges.get_by_text("Vườn ổi Hương Xuân")).to_have_count(0)
    expect(oranges.get_by_text("Phiên chợ cam tối thứ Bảy")).to_be_visible()  # sales by live

    guavas = new_phone()
    log_in(guavas, live_server.url, market["guavas"])
    guavas.goto(live_server.url + "/quan-ly/don-hang/")
    expect(guavas.get_by_text("Nguyễn Thị Hoa")).to_have_count(1)
    expect(guavas.get_by_text("Vườn cam Quang Lộc")).to_have_count(0)
