"""A farmer lists a box of oranges from a phone; a buyer finds it by typing without accents.

Everything goes through the pages as a person uses them: the login form, the seller's form with
a real photo upload and the real CSRF check, the search box in the header, the product page.
"""

from __future__ import annotations

import random
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.e2e.steps import log_in

pytestmark = pytest.mark.e2e

PRODUCT_NAME = "Cam Xã Đoài Quang Lộc"
# A resized copy made by the photo pipeline: /media/ab/abcdef…-800.jpg, never the uploaded file.
VARIANT_URL = re.compile(r"/media/[0-9a-f]{2}/[0-9a-f]+-(320|800|1600)\.jpg$")


def normalized(text: str) -> str:
    """Text as a reader sees it: no-break spaces and runs of white space read as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()




@pytest.fixture
def orange_photo(tmp_path):
    """A phone-camera-sized JPEG of oranges, wider than the largest variant."""
    image = Image.new("RGB", (2000, 1500), (96, 140, 60))
    draw = ImageDraw.Draw(image)
    rng = random.Random(7)
    for _ in range(40):
        x, y, r = rng.randrange(0, 2000), rng.randrange(0, 1500), rng.randrange(60, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(240, 140 + rng.randrange(0, 40), 20))
    path = tmp_path / "cam-xa-doai.jpg"
    image.save(path, "JPEG", quality=85)
    return path




def list_product(page: Page, base_url: str, photo_path) -> None:
    page.goto(base_url + "/quan-ly/san-pham/moi")
    expect(page.get_by_role("heading", name="Đăng sản phẩm mới")).to_be_visible()
    page.get_by_label("Tên sản phẩm").fill(PRODUCT_NAME)
    page.get_by_label("Loại", exact=True).select_option(label="Cam")
    page.get_by_label("Đơn vị bán").select_option(label="thùng")
    page.get_by_label("Khối lượng mỗi đơn vị").fill("10 kg")
    page.get_by_label("Giá mỗi đơn vị (đồng)").fill("450.000")
    page.get_by_label("Số lượng còn (đơn vị)").fill("25")
    harvest = page.get_by_role("group", name="Tháng thu hoạch")
    harvest.get_by_label("thg 11", exact=True).check()
    page.get_by_label("Mô tả").fill(
        "Cam Xã Đoài trồng ở Quang Lộc, vỏ mỏng, ngọt thanh. Hái buổi sáng, đóng thùng 10 kg."
    )
    page.get_by_label("Ảnh (tối đa 8)").set_input_files(str(photo_path))
    page.get_by_role("button", name="Đăng sản phẩm", exact=True).click()
    page.wait_for_load_state()
    # A refused form shows its reasons next to the fields; name them if the listing was refused.
    errors = [normalized(t) for t in page.locator(".error-text").all_inner_texts()]
    assert not errors, f"the form was refused: {errors}"


def search_and_open(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    search = page.get_by_role("searchbox", name="Tìm nông sản")
    expect(search).to_be_visible()
    search.fill("cam xa doai quang loc")
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("cam xa doai quang loc")
    result = page.get_by_role("link", name=PRODUCT_NAME, exact=True)
    expect(result).to_be_visible()
    result.click()
    expect(page.get_by_role("heading", level=1, name=PRODUCT_NAME)).to_be_visible()


def expect_price(page: Page) -> None:
    price = page.locator(".product-page .price")
    expect(price).to_be_visible()
    expect(price).to_have_text(re.compile(r"^\s*450\.000\s₫\s*$"))
    assert normalized(price.inner_text()) == "450.000 ₫"


def test_producer_lists_oranges_and_a_buyer_finds_them_without_accents(
    live_server, new_phone, producer_login, orange_photo
):
    seller = new_phone()
    log_in(seller, live_server.url, producer_login)
    list_product(seller, live_server.url, orange_photo)
    expect(seller.get_by_role("status")).to_have_text(f"Đã đăng sản phẩm “{PRODUCT_NAME}”.")
    # The seller lands on the edit page, with the photo already there.
    expect(seller.get_by_role("img", name=PRODUCT_NAME)).to_be_visible()

    buyer = new_phone()
    search_and_open(buyer, live_server.url)
    expect_price(buyer)
    expect(buyer.get_by_text("Còn hàng: 25 thùng")).to_be_visible()
    expect(buyer.get_by_text("Vườn cam nhà bác Lộc")).to_be_visible()
    photo = buyer.locator(".gallery img").first
    expect(photo).to_be_visible()
    expect(photo).to_have_attribute("alt", PRODUCT_NAME)
    buyer.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    chosen = photo.evaluate("img => img.currentSrc")
    assert chosen.startswith(live_server.url + "/media/"), chosen
    assert VARIANT_URL.search(chosen), f"the photo shown is not a resized variant: {chosen}"
    # A 360-pixel-wide screen at twice the density needs about 720 pixels, not the 1600 one.
    assert not chosen.endswith("-1600.jpg"), chosen

    # Without JavaScript the search is still a plain form and the product page still shows.
    no_script = new_phone(java_script_enabled=False)
    search_and_open(no_script, live_server.url)
    expect_price(no_script)
    expect(no_script.locator(".gallery img").first).to_be_visible()


def test_english_chosen_on_a_phone_is_remembered(live_server, phone):
    phone.goto(live_server.url + "/san-pham")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    phone.get_by_role("navigation", name="Ngôn ngữ").get_by_role("button", name="EN").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert phone.url.endswith("/san-pham"), phone.url

    # The next page, reached by a link, is still in English.
    phone.locator(".site-header a.brand").click()
    expect(phone).to_have_url(live_server.url + "/")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.locator("nav.lang strong")).to_have_text("EN")
