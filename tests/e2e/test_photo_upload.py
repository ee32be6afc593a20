"""A farmer lists a product with a photo straight from a phone camera, on a 390×844 phone.

The photo is shrunk in the browser before it is sent (a 12-megapixel, several-MB photo leaves
the phone as well under 1 MB), survives a form error without being chosen again, and ends up on
the product page. A file the browser cannot shrink and that is over the limit is refused before
anything is uploaded. Bytes are measured on the server, as the request arrives.
"""

from __future__ import annotations

import os
import random

import pytest
import sqlalchemy as sa
from flask import request
from PIL import Image, ImageChops, ImageDraw
from playwright.sync_api import expect

from app.extensions import db
from app.media.models import StoredImage
from tests.e2e.steps import log_in
from tests.e2e.test_sell_and_find import VARIANT_URL

pytestmark = pytest.mark.e2e

PHONE_390 = {"viewport": {"width": 390, "height": 844}}
NEW_PRODUCT = "/quan-ly/san-pham/moi"
ONE_MB = 1024 * 1024




@pytest.fixture
def uploads_received(live_server) -> list[int]:
    """The size of every POST to the product form, as the server receives it."""
    sizes: list[int] = []

    @live_server.app.before_request
    def measure():
        if request.method == "POST" and request.path == NEW_PRODUCT:
            sizes.append(request.content_length or 0)

    return sizes


@pytest.fixture
def camera_photo(tmp_path):
    """4000×3000 like a phone camera's, with sensor-like noise so it weighs several MB."""
    image = Image.new("RGB", (4000, 3000), (96, 140, 60))
    draw = ImageDraw.Draw(image)
    rng = random.Random(11)
    for _ in range(60):
        x, y, r = rng.randrange(0, 4000), rng.randrange(0, 3000), rng.randrange(120, 320)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(240, 140 + rng.randrange(0, 40), 20))
    noise = Image.merge("RGB", [Image.effect_noise((4000, 3000), 20) for _ in range(3)])
    image = ImageChops.add(image, noise, offset=-128)
    path = tmp_path / "IMG_20260610_0815.jpg"
    image.save(path, "JPEG", quality=92)
    assert path.stat().st_size > 4 * ONE_MB
    return path


def fill_everything_but_the_name(page) -> None:
    page.get_by_label("Loại", exact=True).select_option(label="Quýt")
    page.get_by_label("Đơn vị bán").select_option(label="kg")
    page.get_by_label("Giá mỗi đơn vị (đồng)").fill("60.000")
    page.get_by_label("Số lượng còn (đơn vị)").fill("200")


def test_a_camera_photo_is_shrunk_on_the_phone_kept_across_an_error_and_published(
    live_server, new_phone, producer_login, camera_photo, uploads_received
):
    page = new_phone(**PHONE_390)
    log_in(page, live_server.url, producer_login)
    page.goto(live_server.url + NEW_PRODUCT)
    fill_everything_but_the_name(page)
    page.get_by_label("Ảnh (tối đa 8)").set_input_files(str(camera_photo))
    page.get_by_role("button", name="Đăng sản phẩm").click()  # waits while the photo is shrunk

    expect(page.locator("#name-error")).to_have_text("Hãy nhập tên sản phẩm.")
    expect(page.get_by_role("link", name="Hãy nhập tên sản phẩm.")).to_be_visible()  # in the summary
    thumbnail = page.locator(".kept-photos img")
    expect(thumbnail).to_have_count(1)
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    assert len(uploads_received) == 1
    assert uploads_received[0] < ONE_MB, f"{uploads_received[0]} bytes sent for one photo"
    with live_server.app.app_context():
        stored = db.session.execute(sa.select(StoredImage)).scalar_one()
        assert (stored.width, stored.height) == (1600, 1200)  # shrunk in the browser, not upscaled back
        db.session.remove()

    page.get_by_label("Tên sản phẩm").fill("Quýt hồng Lai Vung trồng ở Hương Trà")
    page.get_by_role("button", name="Đăng sản phẩm").click()
    expect(page.get_by_role("status").filter(has_text="Đã đăng sản phẩm")).to_be_visible()
    assert len(uploads_received) == 2 and uploads_received[1] < 10_000  # only the reference, no file

    page.get_by_role("link", name="Xem trang sản phẩm").click()
    expect(page.get_by_role("heading", name="Quýt hồng Lai Vung trồng ở Hương Trà")).to_be_visible()
    photo = page.locator("main img").first
    expect(photo).to_have_attribute("src", VARIANT_URL)


def test_a_file_too_large_that_cannot_be_shrunk_is_refused_before_any_upload(
    live_server, new_phone, producer_login, tmp_path, uploads_received
):
    not_a_photo = tmp_path / "video-vuon-quyt.jpg"  # a phone video renamed: no browser decodes it
    not_a_photo.write_bytes(os.urandom(11 * ONE_MB))
    page = new_phone(**PHONE_390)
    log_in(page, live_server.url, producer_login)
    page.goto(live_server.url + NEW_PRODUCT)
    page.get_by_label("Tên sản phẩm").fill("Quýt hồng")
    fill_everything_but_the_name(page)
    page.get_by_label("Ảnh (tối đa 8)").set_input_files(str(not_a_photo))

    message = "Ảnh “video-vuon-quyt.jpg” lớn hơn 10 MB nên không gửi được. Hãy chọn ảnh nhỏ hơn."
    expect(page.get_by_text(message)).to_be_visible()
    page.get_by_role("button", name="Đăng sản phẩm").click()
    expect(page.get_by_text(message)).to_be_visible()
    page.wait_for_timeout(300)  # time enough for a request to have started, had one been sent
    assert uploads_received == []
    assert page.url == live_server.url + NEW_PRODUCT
