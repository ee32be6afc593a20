"""A product page: what a buyer reads, and what search engines and chat apps read."""

import json
import re
from datetime import UTC

import pytest

from app.accounts.models import Role
from app.catalog.models import ProductPhoto, ProductStatus
from app.extensions import db
from app.media.models import StoredImage
from tests.factories import CooperativeFactory, ProducerFactory, ProductFactory, UserFactory


@pytest.fixture
def product(app):
    with app.app_context():
        producer = ProducerFactory(
            display_name="Vườn cam ông Hòa", village="Thôn Quang Lộc", cooperative=CooperativeFactory(),
            contact_phone="+84912345678", contact_public=True,
        )
        product = ProductFactory(
            name="Cam Xã Đoài", producer=producer, price_vnd=450_000, stock=12, harvest_months=0b111 << 9,
            description="Cam ngọt.\nHái buổi sáng.\n\n<script>alert('x')</script>",
        )
        for n, letter in enumerate("ab"):
            image = StoredImage(digest=letter * 64, width=1600, height=1200, variant_widths=[320, 800, 1600])
            product.photos.append(ProductPhoto(image=image, position=n))
        db.session.commit()
        return product.slug


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def meta(html: str, prop: str) -> str:
    return re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html).group(1)


def test_price_stock_producer_and_season_are_shown(client, product):
    response = client.get(f"/san-pham/{product}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'alt="Cam Xã Đoài 2"' in html  # the second photo, in the thumbnails
    assert "450.000\u00a0₫" in html
    assert "thùng 10 kg" in html
    assert "Còn hàng: 12" in html
    assert "Vườn cam ông Hòa" in html and "Thôn Quang Lộc" in html
    assert "Tháng 10, Tháng 11, Tháng 12" in html
    assert 'href="tel:+84912345678"' in html and "https://zalo.me/0912345678" in html
    assert "Gọi 0912 345 678" in html


def test_description_html_is_shown_as_text_with_line_breaks(client, product):
    html = client.get(f"/san-pham/{product}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "Cam ngọt.<br>Hái buổi sáng." in html


def test_structured_data_has_a_plain_integer_price_in_vnd(client, product):
    data = json_ld(client.get(f"/san-pham/{product}").get_data(as_text=True))
    assert data["@type"] == "Product"
    assert data["name"] == "Cam Xã Đoài"
    assert data["offers"]["price"] == 450000
    assert data["offers"]["priceCurrency"] == "VND"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["image"][0].endswith("-1600.jpg")


def test_script_in_a_name_cannot_break_out_of_the_structured_data(app, client):
    with app.app_context():
        slug = ProductFactory(name="Cam </script><script>alert(1)</script>").slug
        db.session.commit()
    html = client.get(f"/san-pham/{slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "Cam </script><script>alert(1)</script>"


def test_open_graph_preview_and_canonical_address(client, product):
    html = client.get(f"/san-pham/{product}").get_data(as_text=True)
    assert meta(html, "og:title").startswith("Cam Xã Đoài")
    assert meta(html, "og:url") == f"http://localhost/san-pham/{product}"
    assert meta(html, "og:image").endswith("-1600.jpg")
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1600", "1200")
    assert f'<link rel="canonical" href="http://localhost/san-pham/{product}">' in html


def test_phone_is_hidden_unless_the_producer_opted_in(app, client):
    with app.app_context():
        producer = ProducerFactory(contact_phone="+84912345678", contact_public=False)
        slug = ProductFactory(producer=producer).slug
        db.session.commit()
    html = client.get(f"/san-pham/{slug}").get_data(as_text=True)
    assert "0912345678" not in html and "+84912345678" not in html


def test_dates_are_shown_on_vietnams_clock(app, client):
    from datetime import datetime

    with app.app_context():
        # 20:30 UTC on 28 November is already 03:30 on 29 November in Huế.
        product = ProductFactory(updated_at=datetime(2026, 11, 28, 20, 30, tzinfo=UTC))
        db.session.commit()
        slug = product.slug
    assert "Cập nhật 29 thg 11, 2026" in client.get(f"/san-pham/{slug}").get_data(as_text=True)
    client.get("/ngon-ngu/en")
    assert "Updated Nov 29, 2026" in client.get(f"/san-pham/{slug}").get_data(as_text=True)


def test_a_sold_out_product_says_so(app, client):
    with app.app_context():
        slug = ProductFactory(stock=0, status=ProductStatus.SOLD_OUT).slug
        db.session.commit()
    response = client.get(f"/san-pham/{slug}")
    assert "Hết hàng" in response.get_data(as_text=True)
    assert json_ld(response.get_data(as_text=True))["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_unknown_slug_is_a_404_in_the_visitors_language(client):
    response = client.get("/san-pham/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)
    client.get("/ngon-ngu/en")
    response = client.get("/san-pham/khong-co")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_draft_is_seen_only_by_those_who_manage_it(app, client, auth):
    with app.app_context():
        owner = UserFactory(roles=[Role.PRODUCER])
        slug = ProductFactory(producer=ProducerFactory(user=owner), status=ProductStatus.DRAFT).slug
        stranger = UserFactory(roles=[Role.PRODUCER])
        db.session.commit()
        owner_email, stranger_email = owner.email, stranger.email
    assert client.get(f"/san-pham/{slug}").status_code == 404
    auth.login(stranger_email)
    assert client.get(f"/san-pham/{slug}").status_code == 404
    auth.logout()
    auth.login(owner_email)
    assert client.get(f"/san-pham/{slug}").status_code == 200


def test_producer_and_cooperative_pages_list_their_products(app, client):
    with app.app_context():
        coop = CooperativeFactory(name="Hợp tác xã Cốm An Thuận")
        producer = ProducerFactory(display_name="Cơ sở cốm bà Tư", cooperative=coop)
        ProductFactory(name="Cốm An Thuận", producer=producer)
        ProductFactory(name="Cam nơi khác")
        db.session.commit()
        producer_slug, coop_slug = producer.slug, coop.slug
    producer_page = client.get(f"/nha-vuon/{producer_slug}").get_data(as_text=True)
    coop_page = client.get(f"/hop-tac-xa/{coop_slug}").get_data(as_text=True)
    for html in (producer_page, coop_page):
        assert "Cốm An Thuận" in html and "Cam nơi khác" not in html
    assert "Cơ sở cốm bà Tư" in coop_page
    assert client.get("/nha-vuon/khong-co").status_code == 404
    assert client.get("/hop-tac-xa/khong-co").status_code == 404
