"""Photos of any shape on a 390×844 phone: cards keep one shape (the photo cropped to fit), and a
product page's first screen shows the name, price, stock and the buy action even when the farmer's
photo is a tall portrait straight from the phone's camera.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from app.accounts.models import Role
from app.catalog.listing import add_product_photos
from app.catalog.profiles import add_producer_photos
from app.extensions import db
from app.media.images import store_image
from tests.factories import ProducerFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.e2e

PHONE_390 = {"viewport": {"width": 390, "height": 844}}
SHAPES = {"portrait": (900, 1600), "landscape": (1600, 900), "square": (1200, 1200), "tall": (600, 1800)}


def _photo(size: tuple[int, int], shade: int):
    image = Image.new("RGB", size, (90, 140 + shade, 60))
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(240, 150, 20))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=80)
    data.seek(0)
    return data


@pytest.fixture
def orchard(live_server) -> dict:
    """Two farms whose photos come in every shape, stored through the upload pipeline."""
    slugs = {}
    with live_server.app.app_context():
        for farm, shapes in (("Vườn ảnh đứng", ("portrait", "tall")), ("Vườn ảnh ngang", ("landscape", "square"))):
            user = UserFactory(roles=[Role.PRODUCER])
            producer = ProducerFactory(user=user, display_name=farm)
            add_producer_photos(user, producer, [store_image(_photo(SHAPES[shapes[0]], len(farm)), uploaded_by=user)])
            for index, shape in enumerate(shapes):
                product = ProductFactory(producer=producer, name=f"Bưởi ảnh {shape}", stock=40)
                add_product_photos(user, product, [store_image(_photo(SHAPES[shape], index * 20), uploaded_by=user)])
                slugs[shape] = product.slug
        ProductFactory(name="Cam chưa có ảnh")
        db.session.commit()
        db.session.remove()
    return slugs


def _cards(page: Page) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.grid > .card')).map((card) => {
             const c = card.getBoundingClientRect(), cover = card.querySelector('a.cover');
             const r = cover && cover.getBoundingClientRect();
             return {top: Math.round(c.top), height: c.height, cover: r ? r.width / r.height : null};
           })"""
    )


@pytest.mark.parametrize("path, ratio", [("/san-pham", 4 / 3), ("/nha-vuon", 4 / 3)])
def test_cards_keep_one_shape_whatever_the_photo(live_server, new_phone, orchard, path, ratio):
    page = new_phone(**PHONE_390)
    page.goto(live_server.url + path)
    cards = _cards(page)
    assert len(cards) >= 2, f"{path} shows {len(cards)} cards"
    covers = [card["cover"] for card in cards if card["cover"] is not None]
    assert covers and all(abs(cover - ratio) < 0.02 for cover in covers), f"{path}: cover shapes {covers}"
    rows: dict[int, list[float]] = {}
    for card in cards:
        rows.setdefault(card["top"], []).append(card["height"])
    uneven = {top: heights for top, heights in rows.items() if max(heights) - min(heights) > 1}
    assert not uneven, f"{path}: cards of one row with different heights {uneven}"


@pytest.mark.parametrize("shape", ["portrait", "tall", "landscape"])
def test_a_product_pages_first_screen_shows_name_price_stock_and_the_buy_action(live_server, new_phone, orchard, shape):
    page = new_phone(**PHONE_390, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(live_server.url + f"/san-pham/{orchard[shape]}")
    expect(page.get_by_role("img", name=f"Bưởi ảnh {shape}")).to_be_visible()
    essentials = {
        "name": page.get_by_role("heading", level=1, name=f"Bưởi ảnh {shape}"),
        "price": page.locator(".product-page .price"),
        "stock": page.get_by_text("Còn hàng: 40 thùng"),
        "quantity": page.get_by_label("Số lượng"),
        "buy": page.get_by_role("button", name="Thêm vào giỏ"),
    }
    below = {}
    for what, locator in essentials.items():
        box = locator.bounding_box()
        assert box is not None, f"no {what} on the page"
        if box["y"] + box["height"] > 844:
            below[what] = round(box["y"] + box["height"])
    assert not below, f"below the first screen (844 px) with a {shape} photo: {below}"
