"""Photos already uploaded survive a form error: the seller never chooses (and uploads) them twice."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from app.accounts.models import Role
from app.catalog.models import Producer, Product
from app.extensions import db
from app.media.kept import reference_for
from app.media.models import StoredImage
from tests.catalog.test_manage import form, jpeg_bytes, product_count
from tests.factories import ProducerFactory, UserFactory, category
from tests.sessions import sign_in

NEW_PRODUCT = "/quan-ly/san-pham/moi"
KEPT = re.compile(r'<input type="hidden" name="photos-kept" value="([^"]+)">')


def make_seller(app) -> dict:
    with app.app_context():
        user = UserFactory(roles=[Role.PRODUCER])
        producer = ProducerFactory(user=user)
        cam = category("cam")
        db.session.commit()
        return {"user_id": user.id, "producer_id": str(producer.id), "category_id": str(cam.id)}


def post(client, seller, url=NEW_PRODUCT, files=(), kept=(), drop=(), **overrides):
    data = form(producer_id=seller["producer_id"], category_id=seller["category_id"], **overrides)
    data["photos"] = [(io.BytesIO(content), name) for name, content in files]
    data["photos-kept"] = list(kept)
    data["photos-drop"] = list(drop)
    return client.post(url, data=data, content_type="multipart/form-data")


def stored_count(app) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count(StoredImage.id))).scalar_one()


def product_photo_sizes(app) -> list[tuple[int, int]]:
    with app.app_context():
        product = db.session.execute(sa.select(Product)).scalar_one()
        return [(p.image.width, p.image.height) for p in product.photos]


def test_a_photo_sent_with_a_missing_name_is_kept_and_saved_with_the_next_try(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])

    failed = post(client, seller, name="", files=[("cam.jpg", jpeg_bytes((1200, 900)))])
    html = failed.get_data(as_text=True)
    assert failed.status_code == 400
    assert "Hãy nhập tên sản phẩm." in html
    assert "hãy chọn lại ảnh" not in html
    references = KEPT.findall(html)
    assert len(references) == 1
    assert re.search(r'<img src="/media/[0-9a-f]{2}/[0-9a-f]{64}-320\.jpg"', html)  # the thumbnail
    assert "Bỏ ảnh này" in html
    assert product_count(app) == 0 and stored_count(app) == 1

    saved = post(client, seller, kept=references)  # no file sent this time
    assert saved.status_code == 302
    assert product_photo_sizes(app) == [(1200, 900)]


def test_kept_photos_are_attached_in_the_order_shown_before_new_ones_and_a_dropped_one_is_not(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    failed = post(client, seller, price="", files=[(f"{n}.jpg", jpeg_bytes((1200 + n, 900))) for n in range(3)])
    first, second, third = KEPT.findall(failed.get_data(as_text=True))

    saved = post(client, seller, kept=[third, first, second], drop=[first], files=[("moi.jpg", jpeg_bytes((1500, 900)))])
    assert saved.status_code == 302
    assert product_photo_sizes(app) == [(1202, 900), (1201, 900), (1500, 900)]


def test_a_bad_photo_is_refused_and_the_good_one_beside_it_kept(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    response = post(client, seller, files=[("tot.jpg", jpeg_bytes()), ("ghi-chu.jpg", b"day khong phai anh")])
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ảnh “ghi-chu.jpg”: Tệp này không phải ảnh JPEG, PNG hoặc WebP." in html
    # said once beside the field (and once in the summary at the top), not once per attempt
    assert html.count("Ảnh “ghi-chu.jpg”") == 2
    assert 'href="#photos">Ảnh “ghi-chu.jpg”' in html
    assert len(KEPT.findall(html)) == 1
    assert product_count(app) == 0


def test_a_tampered_reference_attaches_nothing_and_says_to_choose_the_photo_again(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    (reference,) = KEPT.findall(post(client, seller, name="", files=[("cam.jpg", jpeg_bytes())]).get_data(as_text=True))
    with app.app_context():
        other = StoredImage(digest="f" * 64, width=1600, height=1200, variant_widths=[320, 800, 1600])
        db.session.add(other)
        db.session.commit()
        forged = reference_for(other, seller["user_id"])
    tampered = forged[:-3] + ("AAA" if forged[-3:] != "AAA" else "BBB")  # the signature no longer matches

    for bad in (tampered, "khong-phai-chu-ky", reference + "x"):
        response = post(client, seller, kept=[bad])
        assert response.status_code == 400
        assert "Một ảnh đã chọn ở lần gửi trước không dùng được nữa" in response.get_data(as_text=True)
        assert product_count(app) == 0


def test_another_sellers_reference_is_refused(app, client):
    owner, thief = make_seller(app), make_seller(app)
    sign_in(client, owner["user_id"])
    (reference,) = KEPT.findall(post(client, owner, name="", files=[("cam.jpg", jpeg_bytes())]).get_data(as_text=True))

    sign_in(client, thief["user_id"])
    response = post(client, thief, kept=[reference])
    assert response.status_code == 400
    assert "không dùng được nữa" in response.get_data(as_text=True)
    assert product_count(app) == 0


def test_a_reference_expires_after_twelve_hours(app, client, clock):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    (reference,) = KEPT.findall(post(client, seller, name="", files=[("cam.jpg", jpeg_bytes())]).get_data(as_text=True))
    clock.advance(hours=12, minutes=1)
    response = post(client, seller, kept=[reference])
    assert response.status_code == 400
    assert "không dùng được nữa" in response.get_data(as_text=True)
    assert product_count(app) == 0


def test_a_producer_profile_keeps_its_photos_too(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    url = f"/quan-ly/nha-vuon/{seller['producer_id']}/sua"
    failed = client.post(
        url,
        data={"display_name": "", "photos": [(io.BytesIO(jpeg_bytes((1400, 900))), "vuon.jpg")]},
        content_type="multipart/form-data",
    )
    assert failed.status_code == 400
    references = KEPT.findall(failed.get_data(as_text=True))
    assert len(references) == 1
    saved = client.post(
        url, data={"display_name": "Vườn cam bác Lộc", "province_id": "0", "commune_id": "0", "cooperative_id": "0",
                   "photos-kept": references},
    )
    assert saved.status_code == 302
    with app.app_context():
        producer = db.session.get(Producer, int(seller["producer_id"]))
        assert [(p.image.width, p.image.height) for p in producer.photos] == [(1400, 900)]


def test_a_request_over_the_size_limit_gets_a_clear_page_with_a_way_back(app, client):
    seller = make_seller(app)
    sign_in(client, seller["user_id"])
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    response = post(client, seller, files=[("to.jpg", b"\xff\xd8\xff" + b"\0" * (3 * 1024 * 1024))])
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "mỗi lần gửi tối đa 2 MB, mỗi ảnh tối đa 10 MB" in html
    assert f'href="{NEW_PRODUCT}"' in html and "Quay lại biểu mẫu" in html
    assert product_count(app) == 0

    client.get("/ngon-ngu/en")
    english = post(client, seller, files=[("to.jpg", b"\xff\xd8\xff" + b"\0" * (3 * 1024 * 1024))])
    assert english.status_code == 413
    assert "at most 2 MB per upload and 10 MB per photo" in english.get_data(as_text=True)
