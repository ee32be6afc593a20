"""The public product list: filters in the URL, sorts, pages, and a fixed number of queries."""

import re

import pytest

from app.catalog.models import ProductStatus, SellingUnit
from app.extensions import db
from tests.catalog.test_search import names_on_page
from tests.factories import CooperativeFactory, ProducerFactory, ProductFactory, category, commune


@pytest.fixture
def market(app):
    with app.app_context():
        from sqlalchemy import select

        from app.catalog.models import Certification

        vietgap = db.session.execute(select(Certification).filter_by(code="vietgap")).scalar_one()
        kim_tra = ProducerFactory(display_name="Vườn Kim Trà", commune=commune("phuong-kim-tra"))
        binh_dien = ProducerFactory(display_name="Vườn Bình Điền", commune=commune("xa-binh-dien"))
        ProductFactory(name="Cam V2", producer=binh_dien, price_vnd=350_000)
        ProductFactory(name="Ổi VietGAP", producer=kim_tra, category=category("oi"), price_vnd=25_000,
                       certifications=[vietgap], unit=SellingUnit.KG, net_weight_grams=None)
        ProductFactory(name="Đu đủ", producer=kim_tra, category=category("trai-cay-khac"), price_vnd=30_000)
        ProductFactory(name="Bưởi da xanh", producer=binh_dien, category=category("buoi"), price_vnd=70_000,
                       stock=0, status=ProductStatus.SOLD_OUT)
        ProductFactory(name="Dưa hấu", producer=binh_dien, category=category("trai-cay-khac"), price_vnd=20_000)
        ProductFactory(name="Cam lưu trữ", producer=binh_dien, status=ProductStatus.ARCHIVED)
        ProductFactory(name="Cam nháp", producer=binh_dien, status=ProductStatus.DRAFT)
        db.session.commit()


def test_only_products_on_sale_or_sold_out_are_listed(client, market):
    names = names_on_page(client.get("/san-pham"))
    assert set(names) == {"Cam V2", "Ổi VietGAP", "Đu đủ", "Bưởi da xanh", "Dưa hấu"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=oi", {"Ổi VietGAP"}),
        ("province=hue&commune=phuong-kim-tra", {"Ổi VietGAP", "Đu đủ"}),
        ("province=ha-noi", set()),
        ("cert=vietgap", {"Ổi VietGAP"}),
        ("price_min=30.000&price_max=100000", {"Đu đủ", "Bưởi da xanh"}),
        ("in_stock=1&category=buoi", set()),
        ("in_stock=1", {"Cam V2", "Ổi VietGAP", "Đu đủ", "Dưa hấu"}),
        ("q=cam&province=hue", {"Cam V2"}),
    ],
)
def test_filters(client, market, query, expected):
    response = client.get(f"/san-pham?{query}")
    assert response.status_code == 200
    assert set(names_on_page(response)) == expected


def test_sorting_by_name_follows_the_vietnamese_alphabet(client, market):
    assert names_on_page(client.get("/san-pham?sort=name")) == ["Bưởi da xanh", "Cam V2", "Dưa hấu", "Đu đủ", "Ổi VietGAP"]


def test_sorting_by_price(client, market):
    assert names_on_page(client.get("/san-pham?sort=price_asc")) == ["Dưa hấu", "Ổi VietGAP", "Đu đủ", "Bưởi da xanh", "Cam V2"]
    assert names_on_page(client.get("/san-pham?sort=price_desc"))[0] == "Cam V2"


def test_newest_first_by_default(client, market):
    assert names_on_page(client.get("/san-pham"))[0] == "Dưa hấu"


@pytest.mark.parametrize("query", ["price_min=abc", "price_min=12.5", "price_min=300000&price_max=1000"])
def test_a_price_that_cannot_be_read_is_explained_and_the_form_kept(client, market, query):
    response = client.get(f"/san-pham?{query}&category=cam")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-text"' in html
    assert '<option value="cam" selected>' in html
    assert "Cam V2" in names_on_page(response)


def test_pages_keep_the_filters_in_their_links(app, client):
    with app.app_context():
        producer = ProducerFactory()
        for n in range(30):
            ProductFactory(name=f"Cam số {n}", producer=producer)
        db.session.commit()
    first = client.get("/san-pham?category=cam&sort=name")
    assert len(names_on_page(first)) == 24
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first.get_data(as_text=True)).group(1)
    assert "category=cam" in next_link and "sort=name" in next_link and "page=2" in next_link
    second = client.get(next_link.replace("&amp;", "&"))
    assert len(names_on_page(second)) == 6
    assert client.get("/san-pham?page=99").status_code == 200
    assert client.get("/san-pham?page=abc").status_code == 200


def _listing_queries(client, count_queries, url):
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_a_listing_runs_the_same_number_of_queries_whatever_its_length(app, client, count_queries):
    from app.catalog.models import ALL_MONTHS, Certification, ProductPhoto
    from app.media.models import StoredImage

    with app.app_context():
        coop = CooperativeFactory()
        coop_url = f"/hop-tac-xa/{coop.slug}"
        certs = db.session.query(Certification).all()

        def add(n):
            for i in range(n):
                producer = ProducerFactory(cooperative=coop)
                # Featured and in season, so the home page's sections grow with the catalogue too.
                product = ProductFactory(
                    name=f"Cam {n} {i}", producer=producer, certifications=certs[:2], featured=True,
                    harvest_months=ALL_MONTHS,
                )
                image = StoredImage(digest=f"{product.id:064x}", width=800, height=600, variant_widths=[320, 800])
                product.photos.append(ProductPhoto(image=image, position=0))
            db.session.commit()
        add(2)
    few = _listing_queries(client, count_queries, "/san-pham?q=cam&sort=name")
    few_coop = _listing_queries(client, count_queries, coop_url)
    few_home = _listing_queries(client, count_queries, "/")
    with app.app_context():
        add(20)
    many = _listing_queries(client, count_queries, "/san-pham?q=cam&sort=name")
    many_coop = _listing_queries(client, count_queries, coop_url)
    many_home = _listing_queries(client, count_queries, "/")
    assert few == many
    assert few_coop == many_coop
    assert few_home == many_home
