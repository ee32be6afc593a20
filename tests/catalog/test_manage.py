"""Sellers' forms over HTTP: a listing with photos, and every bad input refused kindly."""

import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from PIL import Image

from app.accounts.models import Role
from app.catalog.models import Product, ProductStatus
from app.extensions import db
from app.media.models import StoredImage
from tests.catalog.test_search import names_on_page
from tests.factories import CooperativeFactory, ProducerFactory, ProductFactory, UserFactory, category


def jpeg_bytes(size=(1200, 900), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (240, 140, 30))
    image.save(out, "JPEG", quality=85, **({"exif": exif} if exif else {}))
    return out.getvalue()


def form(**overrides):
    data = {
        "producer_id": "",
        "name": "Cam Xã Đoài",
        "category_id": "",
        "unit": "box",
        "net_weight": "10 kg",
        "price": "450.000",
        "stock": "20",
        "min_order": "1",
        "status": "on_sale",
        "description": "Cam ngọt, hái sáng.",
        "harvest_months": ["10", "11"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def seller(app, auth):
    with app.app_context():
        user = UserFactory(roles=[Role.PRODUCER])
        producer = ProducerFactory(user=user)
        cam = category("cam")
        db.session.commit()
        ids = {"email": user.email, "producer_id": str(producer.id), "category_id": str(cam.id)}
    auth.login(ids["email"])
    return ids


def post_product(client, seller, files=(), **overrides):
    data = form(**{"producer_id": seller["producer_id"], "category_id": seller["category_id"], **overrides})
    if files:
        data["photos"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/quan-ly/san-pham/moi", data=data, content_type="multipart/form-data")


def product_count(app) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count(Product.id))).scalar_one()


def test_a_producer_lists_a_product_with_a_photo(app, client, seller):
    response = post_product(client, seller, files=[("cam.jpg", jpeg_bytes())])
    assert response.status_code == 302
    with app.app_context():
        product = db.session.execute(sa.select(Product)).scalar_one()
        assert (product.name, product.price_vnd, product.net_weight_grams) == ("Cam Xã Đoài", 450_000, 10_000)
        assert product.harvest_month_list == [10, 11]
        assert len(product.photos) == 1
        slug = product.slug
    page = client.get(f"/san-pham/{slug}").get_data(as_text=True)
    assert "450.000\u00a0₫" in page and "/media/" in page


def test_a_visitor_must_log_in_first(client):
    response = client.get("/quan-ly/san-pham/moi")
    assert response.status_code == 302
    assert "/dang-nhap" in response.headers["Location"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "0"),
        ("price", "-5000"),
        ("price", "12.5"),
        ("price", "999999999999"),
        ("price", "một trăm"),
        ("name", ""),
        ("stock", "-1"),
        ("stock", "2.5"),
        ("net_weight", "mười ký"),
        ("net_weight", "10 tấn"),
        ("category_id", ""),  # nothing is chosen for the seller
        ("stock", ""),  # 0 must be typed, not assumed
    ],
)
def test_bad_values_are_refused_with_the_form_kept_and_nothing_saved(app, client, seller, field, value):
    response = post_product(client, seller, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'class="[^"]*field-error[^"]*"[^>]*>\s*<label for="{field}"', html) or f'id="{field}-error"' in html
    assert "Cam ngọt, hái sáng." in html  # what was typed comes back
    assert product_count(app) == 0


def test_bad_value_messages_are_in_the_visitors_language(client, seller):
    html = post_product(client, seller, price="0").get_data(as_text=True)
    assert "Giá phải lớn hơn 0 đồng." in html
    tampered = post_product(client, seller, unit="tấn")  # a choice the form never offered
    assert tampered.status_code == 400
    assert "Lựa chọn không hợp lệ" in tampered.get_data(as_text=True)
    client.get("/ngon-ngu/en")
    assert "Invalid choice. Please pick one from the list." in post_product(client, seller, unit="tấn").get_data(as_text=True)


def bomb_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    return out.getvalue()


# Each bad file is made by the test that sends it, not when the tests are collected: a run that
# selects none of these never builds a 30 MB string or a 400-megapixel image.
BAD_PHOTOS = {
    "not-an-image": ("ghi-chu.jpg", lambda: b"day khong phai anh", "không phải ảnh JPEG, PNG hoặc WebP"),
    "cut-short": ("cut.jpg", lambda: jpeg_bytes()[:3000], "Ảnh bị hỏng"),
    "decompression-bomb": ("bom.png", bomb_png, "quá nhiều điểm ảnh"),
    "too-large": ("to.jpg", lambda: b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024), "lớn hơn 10 MB"),
}


@pytest.fixture(params=BAD_PHOTOS, ids=str)
def bad_photo(request):
    name, make, message = BAD_PHOTOS[request.param]
    return name, make(), message


def test_bad_photos_are_refused_with_a_clear_message_and_no_listing_saved(app, client, seller, bad_photo):
    name, content, message = bad_photo
    response = post_product(client, seller, files=[("tot.jpg", jpeg_bytes()), (name, content)])
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'value="Cam Xã Đoài"' in html
    assert product_count(app) == 0
    with app.app_context():
        # Only the good photo is stored, kept for the next try (tests/catalog/test_kept_photos.py).
        assert db.session.execute(sa.select(sa.func.count(StoredImage.id))).scalar_one() == 1


def test_gps_position_in_a_phone_photo_is_not_published(app, client, seller):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (16.0, 28.0, 0.0), 3: "E", 4: (107.0, 30.0, 0.0)})
    assert post_product(client, seller, files=[("gps.jpg", jpeg_bytes(exif=exif.tobytes()))]).status_code == 302
    with app.app_context():
        image = db.session.execute(sa.select(StoredImage)).scalar_one()
        paths = [image.variant_path(w) for w in image.variant_widths]
    for path in paths:
        served = client.get(f"/media/{path}").data
        with Image.open(io.BytesIO(served)) as stored:
            assert not stored.getexif()
            assert "exif" not in stored.info
        assert b"PhoneMaker" not in served


def test_editing_another_producers_product_is_refused_and_nothing_changes(app, client, seller):
    with app.app_context():
        other = ProductFactory(name="Quýt của người khác", price_vnd=60_000)
        db.session.commit()
        product_id = other.id
    edit = client.get(f"/quan-ly/san-pham/{product_id}/sua")
    assert edit.status_code == 403
    response = client.post(f"/quan-ly/san-pham/{product_id}/sua", data=form(price="1"))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Product, product_id).price_vnd == 60_000


def test_a_cooperative_manager_lists_for_a_member(app, client, auth):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        member = ProducerFactory(cooperative=coop, user=None)
        ProducerFactory(cooperative=coop, user=None)
        outsider = ProducerFactory()
        cam = category("cam")
        db.session.commit()
        email, member_id, outsider_id, manager_id, cam_id = manager.email, member.id, outsider.id, manager.id, cam.id
        member_name, outsider_name = member.display_name, outsider.display_name
    auth.login(email)
    new_page = client.get("/quan-ly/san-pham/moi").get_data(as_text=True)
    assert member_name in new_page and outsider_name not in new_page
    response = client.post(
        "/quan-ly/san-pham/moi", data=form(producer_id=str(member_id), category_id=str(cam_id))
    )
    assert response.status_code == 302
    refused = client.post("/quan-ly/san-pham/moi", data=form(producer_id=str(outsider_id), category_id=str(cam_id)))
    assert refused.status_code == 400
    with app.app_context():
        product = db.session.execute(sa.select(Product)).scalar_one()
        assert product.producer_id == member_id
        assert product.created_by_id == manager_id


def test_edit_keeps_values_and_adds_photos_up_to_eight(app, client, seller):
    post_product(client, seller, files=[(f"{n}.jpg", jpeg_bytes((1200 + n, 900))) for n in range(5)])
    with app.app_context():
        product_id = db.session.execute(sa.select(Product.id)).scalar_one()
    page = client.get(f"/quan-ly/san-pham/{product_id}/sua").get_data(as_text=True)
    assert 'value="Cam Xã Đoài"' in page and 'value="450.000"' in page
    too_many = client.post(
        f"/quan-ly/san-pham/{product_id}/sua",
        data={**form(producer_id=seller["producer_id"], category_id=seller["category_id"]),
              "photos": [(io.BytesIO(jpeg_bytes((1300 + n, 900))), f"x{n}.jpg") for n in range(4)]},
        content_type="multipart/form-data",
    )
    assert too_many.status_code == 400
    assert "tối đa 8 ảnh" in too_many.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(Product, product_id).photos) == 5


def test_removing_a_photo_and_choosing_the_cover(app, client, seller):
    post_product(client, seller, files=[("a.jpg", jpeg_bytes((1200, 900))), ("b.jpg", jpeg_bytes((1300, 900)))])
    with app.app_context():
        product = db.session.execute(sa.select(Product)).scalar_one()
        first, second = [p.id for p in product.photos]
        product_id = product.id
    assert client.post(f"/quan-ly/san-pham/{product_id}/anh/{second}/dau").status_code == 303
    with app.app_context():
        assert db.session.get(Product, product_id).photos[0].id == second
    confirmed = {"confirm": "xoa-anh"}
    assert client.post(f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa", data=confirmed).status_code == 303
    with app.app_context():
        assert [p.id for p in db.session.get(Product, product_id).photos] == [second]
    again = client.post(f"/quan-ly/san-pham/{product_id}/anh/{first}/xoa", data=confirmed, follow_redirects=True)
    assert again.status_code == 200 and "Không tìm thấy ảnh này." in again.get_data(as_text=True)
    producer_photo = client.post(f"/quan-ly/nha-vuon/{seller['producer_id']}/anh/999/xoa", data=confirmed,
                                 follow_redirects=True)
    assert producer_photo.status_code == 200 and "Không tìm thấy ảnh này." in producer_photo.get_data(as_text=True)


def test_status_draft_hides_the_listing(app, client, seller):
    post_product(client, seller, status="draft")
    with app.app_context():
        assert db.session.execute(sa.select(Product.status)).scalar_one() == ProductStatus.DRAFT
    assert names_on_page(client.get("/san-pham")) == []


def test_a_producer_edits_their_profile_and_the_phone_is_normalised(app, client, seller):
    with app.app_context():
        from app.catalog.models import Producer
        from app.places.models import Commune, Province

        hue = db.session.execute(sa.select(Province).filter_by(slug="hue")).scalar_one()
        kim_tra = db.session.execute(sa.select(Commune).filter_by(slug="phuong-kim-tra")).scalar_one()
        ha_noi = db.session.execute(sa.select(Province).filter_by(slug="ha-noi")).scalar_one()
        ids = {"hue": hue.id, "kim_tra": kim_tra.id, "ha_noi": ha_noi.id}
    url = f"/quan-ly/nha-vuon/{seller['producer_id']}/sua"
    data = {
        "display_name": "Vườn cam ông Hòa", "story": "Ba đời trồng cam.", "province_id": ids["hue"],
        "commune_id": ids["kim_tra"], "village": "Thôn Quang Lộc", "street": "", "old_district": "",
        "crops": "cam V2", "harvest_months": ["10"], "cooperative_id": "0",
        "contact_phone": "0912 345 678", "contact_public": "y",
    }
    assert client.post(url, data=data).status_code == 302
    with app.app_context():
        producer = db.session.get(Producer, int(seller["producer_id"]))
        assert (producer.display_name, producer.contact_phone, producer.contact_public) == (
            "Vườn cam ông Hòa", "+84912345678", True)
    wrong_place = client.post(url, data={**data, "province_id": ids["ha_noi"]})
    assert wrong_place.status_code == 400
    assert "không thuộc tỉnh/thành" in wrong_place.get_data(as_text=True)
    bad_phone = client.post(url, data={**data, "contact_phone": "12345"})
    assert bad_phone.status_code == 400
    assert 'value="Vườn cam ông Hòa"' in bad_phone.get_data(as_text=True)


def _profile(**overrides):
    data = {"display_name": "Vườn ổi cô Lan", "story": "", "province_id": "0", "commune_id": "0", "village": "",
            "street": "", "old_district": "", "crops": "ổi", "cooperative_id": "0", "contact_phone": ""}
    data.update(overrides)
    return data


def test_a_new_producer_creates_their_own_profile_once(app, client, auth):
    from app.catalog.models import Producer

    with app.app_context():
        email = UserFactory(roles=[Role.BUYER, Role.PRODUCER]).email
        db.session.commit()
    auth.login(email)
    assert "Tạo hồ sơ nhà vườn" in client.get("/quan-ly/").get_data(as_text=True)
    assert client.post("/quan-ly/nha-vuon/moi", data=_profile()).status_code == 302
    with app.app_context():
        producer = db.session.execute(sa.select(Producer)).scalar_one()
        assert producer.user.email == email and producer.cooperative_id is None
    assert client.get("/quan-ly/nha-vuon/moi").status_code == 403  # one profile per producer


def test_a_manager_creates_a_members_profile_but_not_in_another_cooperative(app, client, auth):
    from app.catalog.models import Producer

    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        own, other = CooperativeFactory(managers=[manager]), CooperativeFactory()
        db.session.commit()
        email, own_id, other_id = manager.email, own.id, other.id
    auth.login(email)
    refused = client.post("/quan-ly/nha-vuon/moi", data=_profile(cooperative_id=str(other_id)))
    assert refused.status_code == 400
    assert client.post("/quan-ly/nha-vuon/moi", data=_profile(cooperative_id=str(own_id))).status_code == 302
    with app.app_context():
        producer = db.session.execute(sa.select(Producer)).scalar_one()
        assert (producer.cooperative_id, producer.user_id) == (own_id, None)


def test_a_buyer_cannot_create_a_producer_profile(app, client, auth):
    with app.app_context():
        email = UserFactory(roles=[Role.BUYER]).email
        db.session.commit()
    auth.login(email)
    assert client.get("/quan-ly/nha-vuon/moi").status_code == 403
    assert client.post("/quan-ly/nha-vuon/moi", data=_profile()).status_code == 403


def test_fields_explain_what_to_type(client, seller):
    html = client.get("/quan-ly/san-pham/moi").get_data(as_text=True)
    assert "Ví dụ: 10 cho một thùng 10 kg" in html
    assert 'aria-describedby="net_weight-hint"' in html


def test_updated_date_is_the_sellers_last_change(app, client, auth, seller, clock):
    """"Cập nhật" follows the seller's edits on Vietnam's calendar, and nothing else moves it."""
    clock.set(datetime(2026, 11, 28, 20, 30, tzinfo=UTC))  # already 29 November in Huế
    auth.login(seller["email"])  # a session started months before this moment has expired
    post_product(client, seller)
    with app.app_context():
        product = db.session.execute(sa.select(Product)).scalar_one()
        product_id, slug = product.id, product.slug
    assert "Cập nhật 29 thg 11, 2026" in client.get(f"/san-pham/{slug}").get_data(as_text=True)

    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    with app.app_context():
        product = db.session.get(Product, product_id)
        product.stock -= 1  # a write that is not the seller's, such as a sale
        db.session.commit()
    assert "Cập nhật 29 thg 11, 2026" in client.get(f"/san-pham/{slug}").get_data(as_text=True)

    edit = client.post(
        f"/quan-ly/san-pham/{product_id}/sua",
        data=form(producer_id=seller["producer_id"], category_id=seller["category_id"], price="480.000"),
        content_type="multipart/form-data",
    )
    assert edit.status_code == 302
    assert "Cập nhật 3 thg 12, 2026" in client.get(f"/san-pham/{slug}").get_data(as_text=True)


def test_a_product_without_a_category_is_refused_on_that_box(app, client, seller):
    page = client.get("/quan-ly/san-pham/moi").get_data(as_text=True)
    # Nothing is chosen for the seller: the category starts on "— Chọn loại —" and the stock empty.
    assert re.search(r'<option (selected )?value="">— Chọn loại —</option>', page)
    assert not re.search(r'<option selected value="\d+">', page[page.index('id="category_id"'):][:2000])
    assert re.search(r'<input[^>]*id="stock"[^>]*value=""', page)
    response = post_product(client, seller, category_id="")
    assert response.status_code == 400
    assert 'id="category_id-error">Hãy chọn loại sản phẩm.' in response.get_data(as_text=True)
    assert product_count(app) == 0


def test_the_error_summary_links_to_each_box_at_fault(app, client, seller):
    response = post_product(client, seller, name="", price="một trăm")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = html[html.index("error-summary"):html.index("</div>", html.index("error-summary"))]
    assert 'role="alert" tabindex="-1"' in html[html.index("error-summary") - 60:html.index("error-summary") + 80]
    assert "Biểu mẫu còn 2 lỗi" in summary
    assert '<a href="#name">Hãy nhập tên sản phẩm.</a>' in summary
    assert '<a href="#price">Hãy nhập số đồng nguyên, ví dụ 1.500.000.</a>' in summary
    # The summary comes before the first box, and the old one-line notice is gone.
    assert html.index("error-summary") < html.index('id="name"')
    assert "Biểu mẫu còn lỗi, hãy sửa" not in html


def test_number_boxes_open_the_number_pad_and_money_is_grouped(app, client, seller):
    page = client.get("/quan-ly/san-pham/moi").get_data(as_text=True)
    price = re.search(r'<input[^>]*id="price"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in price and "data-money" in price and 'type="text"' in price
    for box in ("stock", "min_order"):
        assert 'inputmode="numeric"' in re.search(rf'<input[^>]*id="{box}"[^>]*>', page).group(0)
    assert 'inputmode="decimal"' in re.search(r'<input[^>]*id="net_weight"[^>]*>', page).group(0)
    assert "js/money.js" in page


@pytest.mark.parametrize("typed", ["150.000", "150 000", "150000", "150.000 đ", "150.000đ"])
def test_a_grouped_price_is_stored_as_whole_dong(app, client, seller, typed):
    assert post_product(client, seller, price=typed, net_weight="0,5").status_code == 302
    with app.app_context():
        product = db.session.execute(sa.select(Product)).scalar_one()
        assert (product.price_vnd, product.net_weight_grams) == (150_000, 500)


def test_a_price_with_an_error_elsewhere_comes_back_grouped(client, seller):
    html = post_product(client, seller, name="", price="450000").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="price"[^>]*value="450.000"', html)
