"""Removing a photo cannot be undone: it is asked on a page of its own that works without
JavaScript, a POST without the confirmation removes nothing, and photos kept across a form error
are never dropped by a per-photo action. The photo hints quote the configured size limit."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from app.catalog.models import Producer, Product
from app.extensions import db
from tests.catalog.test_kept_photos import KEPT, make_seller, post
from tests.catalog.test_manage import jpeg_bytes
from tests.sessions import sign_in

CONFIRMED = {"confirm": "xoa-anh"}


def _product_with_photos(app, client, count: int = 2) -> tuple[dict, int, list[int]]:
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    files = [(f"cam{n}.jpg", jpeg_bytes((1200 + n, 900))) for n in range(count)]
    assert post(client, seller, files=files).status_code == 302
    with app.app_context():
        product = db.session.execute(sa.select(Product)).scalar_one()
        return seller, product.id, [p.id for p in product.photos]


def _photo_ids(app, product_id: int) -> list[int]:
    with app.app_context():
        return [p.id for p in db.session.get(Product, product_id).photos]


def test_the_edit_form_links_to_a_confirmation_not_a_one_tap_removal(app, client):
    _, product_id, (first, second) = _product_with_photos(app, client)
    page = client.get(f"/quan-ly/san-pham/{product_id}/sua").get_data(as_text=True)
    removal = f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa"
    assert f'<a class="button secondary danger" href="{removal}">' in page
    assert f'formaction="{removal}"' not in page  # no button of the main form removes a photo
    # Choosing the cover posts a small form of its own, so no chosen file is uploaded with it.
    assert re.search(rf'<form id="photo-cover-{second}" method="post" action="[^"]*/anh/{second}/dau"', page)
    assert f'form="photo-cover-{second}"' in page


def test_the_confirmation_page_shows_the_photo_and_what_is_lost(app, client):
    _, product_id, (first, _second) = _product_with_photos(app, client)
    response = client.get(f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Việc xoá không hoàn tác được" in page and "Đây là ảnh đại diện" in page
    assert '<button type="submit" class="button danger">Xoá ảnh</button>' in page
    assert 'name="confirm" value="xoa-anh"' in page
    assert f'href="/quan-ly/san-pham/{product_id}/sua">Không xoá, quay lại' in page
    assert _photo_ids(app, product_id) == [first, _second]  # asking removes nothing


def test_a_post_without_the_confirmation_removes_nothing(app, client):
    _, product_id, photos = _product_with_photos(app, client)
    response = client.post(f"/quan-ly/san-pham/{product_id}/anh/{photos[0]}/xoa")
    assert response.status_code == 400
    assert "Việc xoá không hoàn tác được" in response.get_data(as_text=True)  # asked again
    wrong = client.post(f"/quan-ly/san-pham/{product_id}/anh/{photos[0]}/xoa", data={"confirm": "yes"})
    assert wrong.status_code == 400
    assert _photo_ids(app, product_id) == photos


def test_after_confirming_the_photo_is_gone(app, client):
    _, product_id, (first, second) = _product_with_photos(app, client)
    response = client.post(f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa", data=CONFIRMED)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/quan-ly/san-pham/{product_id}/sua")
    assert _photo_ids(app, product_id) == [second]
    page = client.get(f"/quan-ly/san-pham/{product_id}/sua").get_data(as_text=True)
    assert "Đã xoá ảnh." in page and f"/anh/{first}/xoa" not in page


def test_the_last_photo_says_the_listing_will_have_none(app, client):
    _, product_id, (only,) = _product_with_photos(app, client, count=1)
    page = client.get(f"/quan-ly/san-pham/{product_id}/anh/{only}/xoa").get_data(as_text=True)
    assert "sẽ không còn ảnh nào" in page


def test_a_photo_already_removed_sends_the_seller_back_to_the_form(app, client):
    _, product_id, (first, _second) = _product_with_photos(app, client)
    client.post(f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa", data=CONFIRMED)
    again = client.get(f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa", follow_redirects=True)
    assert again.status_code == 200 and "Không tìm thấy ảnh này." in again.get_data(as_text=True)


def test_another_sellers_photo_cannot_be_removed(app, client):
    _, product_id, photos = _product_with_photos(app, client)
    other = make_seller(app)
    sign_in(client, other["user_id"])
    assert client.get(f"/quan-ly/san-pham/{product_id}/anh/{photos[0]}/xoa").status_code == 403
    assert client.post(f"/quan-ly/san-pham/{product_id}/anh/{photos[0]}/xoa", data=CONFIRMED).status_code == 403
    assert _photo_ids(app, product_id) == photos


def test_a_producer_photo_is_removed_only_once_confirmed(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    producer_id = int(seller["producer_id"])
    url = f"/quan-ly/nha-vuon/{producer_id}/sua"
    profile = {"display_name": "Vườn cam bác Lộc", "province_id": "0", "commune_id": "0", "cooperative_id": "0"}
    saved = client.post(url, data={**profile, "photos": [(io.BytesIO(jpeg_bytes((1400, 900))), "vuon.jpg")]},
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context():
        [photo_id] = [p.id for p in db.session.get(Producer, producer_id).photos]
    removal = f"/quan-ly/nha-vuon/{producer_id}/anh/{photo_id}/xoa"
    assert f'href="{removal}"' in client.get(url).get_data(as_text=True)
    confirm_page = client.get(removal)
    assert confirm_page.status_code == 200 and "Vườn cam bác Lộc" in confirm_page.get_data(as_text=True)
    assert client.post(removal).status_code == 400
    with app.app_context():
        assert len(db.session.get(Producer, producer_id).photos) == 1
    assert client.post(removal, data=CONFIRMED).status_code == 303
    with app.app_context():
        assert db.session.get(Producer, producer_id).photos == []


def test_per_photo_actions_wait_while_kept_photos_are_not_saved(app, client):
    seller, product_id, (first, second) = _product_with_photos(app, client)
    url = f"/quan-ly/san-pham/{product_id}/sua"
    failed = post(client, seller, url=url, name="", files=[("moi.jpg", jpeg_bytes((1500, 900)))])
    page = failed.get_data(as_text=True)
    assert failed.status_code == 400 and len(KEPT.findall(page)) == 1
    assert "Lưu biểu mẫu trước" in page
    assert f"/anh/{first}/xoa" not in page and f"/anh/{second}/dau" not in page


def test_per_photo_actions_still_work_on_a_form_shown_again_without_kept_photos(app, client):
    seller, product_id, (first, second) = _product_with_photos(app, client)
    url = f"/quan-ly/san-pham/{product_id}/sua"
    failed = post(client, seller, url=url, name="")
    page = failed.get_data(as_text=True)
    assert failed.status_code == 400 and "Lưu biểu mẫu trước" not in page
    assert f'href="/quan-ly/san-pham/{product_id}/anh/{first}/xoa"' in page
    assert client.get(f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa").status_code == 200
    assert client.post(f"/quan-ly/san-pham/{product_id}/anh/{second}/dau").status_code == 303
    assert _photo_ids(app, product_id) == [second, first]


def test_the_photo_hint_quotes_the_configured_limit(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    app.config["MAX_IMAGE_BYTES"] = 12 * 1024 * 1024 + 512 * 1024
    page = client.get("/quan-ly/san-pham/moi").get_data(as_text=True)
    assert "mỗi ảnh tối đa 12.5 MB" in page and "10 MB" not in page
    assert "mỗi ảnh tối đa 12.5 MB" in client.get(f"/quan-ly/nha-vuon/{seller['producer_id']}/sua").get_data(
        as_text=True)
    client.get("/ngon-ngu/en")
    english = client.get("/quan-ly/san-pham/moi").get_data(as_text=True)
    assert "at most 12.5 MB each" in english
    assert "up to 12.5 MB" in client.get("/quan-ly/livestream/moi").get_data(as_text=True)
