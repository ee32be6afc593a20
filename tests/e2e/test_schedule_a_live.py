"""A cooperative announces a live with three of its members' products; a buyer finds it and orders from it.

Everything goes through the pages: the dashboard, the host's form with the browser's own date
and time box, the schedule in the main menu, the live's page and a featured product's page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.accounts.models import Role
from app.common.timezone import to_local
from app.extensions import db
from tests.e2e.test_sell_and_find import log_in
from tests.factories import CooperativeFactory, ProducerFactory, ProductFactory, UserFactory, in_hours

pytestmark = pytest.mark.e2e

TITLE = "Phiên chợ cam Xã Đoài tối thứ Bảy"
FEATURED = ["Cam Xã Đoài hộp quà", "Quýt Hương Cần", "Bưởi da xanh Bình Điền"]


@pytest.fixture
def manager_login(live_server) -> str:
    """A cooperative manager; two member farms with four products on sale."""
    with live_server.app.app_context():
        manager = UserFactory(full_name="Nguyễn Thị Thu", roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(name="Hợp tác xã Hương Trà Xanh", managers=[manager])
        farms = [
            ProducerFactory(cooperative=coop, user=None, display_name=name)
            for name in ("Vườn cam Quang Lộc", "Vườn quýt Hương Cần")
        ]
        for index, name in enumerate([*FEATURED, "Ổi VietGAP Hương Xuân"]):
            ProductFactory(producer=farms[index % 2], name=name, price_vnd=250_000 + index * 10_000)
        email = manager.email
        db.session.commit()
        db.session.remove()
    return email


def schedule_live(page: Page, base_url: str) -> None:
    page.goto(base_url + "/quan-ly/")
    page.get_by_role("link", name="Lên lịch livestream").first.click()
    # The manager runs lives for the cooperative and for each member farm: choose first.
    page.get_by_role("link", name="Hợp tác xã Hương Trà Xanh").click()
    expect(page.get_by_role("heading", level=1, name="Lên lịch livestream")).to_be_visible()
    page.get_by_label("Tên buổi livestream").fill(TITLE)
    page.get_by_label("Liên kết buổi livestream").fill("https://www.facebook.com/htxhuongtraxanh/videos/1234567890")
    start = to_local(in_hours(26))
    page.get_by_label("Bắt đầu (giờ Việt Nam)").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Kết thúc (giờ Việt Nam)").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    for name in FEATURED:
        page.get_by_label(name, exact=True).check()
    page.get_by_label(f"Ghim {FEATURED[0]}").check()
    page.get_by_role("button", name="Lên lịch", exact=True).click()
    errors = [t.strip() for t in page.locator(".error-text").all_inner_texts()]
    assert not errors, f"the form was refused: {errors}"
    expect(page.get_by_role("status")).to_have_text(f"Đã lên lịch “{TITLE}”.")


def test_cooperative_schedules_a_live_and_a_buyer_opens_a_featured_product(live_server, new_phone, manager_login):
    host = new_phone()
    log_in(host, live_server.url, manager_login)
    schedule_live(host, live_server.url)

    buyer = new_phone()
    buyer.goto(live_server.url + "/")
    buyer.get_by_role("navigation", name="Danh mục chính").get_by_role("link", name="Lịch livestream").click()
    expect(buyer.get_by_role("heading", level=1, name="Lịch livestream")).to_be_visible()
    buyer.get_by_role("link", name=TITLE).first.click()
    expect(buyer.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(buyer.get_by_role("link", name="Xem trên Facebook")).to_have_attribute(
        "href", "https://www.facebook.com/htxhuongtraxanh/videos/1234567890"
    )
    for name in FEATURED:
        expect(buyer.get_by_role("link", name=name, exact=True).first).to_be_visible()
    expect(buyer.get_by_role("link", name="Ổi VietGAP Hương Xuân")).to_have_count(0)

    buyer.get_by_role("link", name="Quýt Hương Cần", exact=True).first.click()
    expect(buyer.get_by_role("heading", level=1, name="Quýt Hương Cần")).to_be_visible()
    expect(buyer.locator(".product-page .price")).to_be_visible()
