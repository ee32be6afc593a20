"""The home page: what is in season now, featured listings, who grows them."""

from datetime import UTC, date, datetime

from app.catalog import home
from app.catalog.models import ALL_MONTHS, ProductStatus, months_to_mask
from app.extensions import db
from tests.factories import CooperativeFactory, ProducerFactory, ProductFactory


def test_in_season_follows_the_month_in_vietnam(app):
    with app.app_context():
        ProductFactory(name="Quýt Hương Cần", harvest_months=months_to_mask([11, 12, 1]))
        ProductFactory(name="Thanh trà", harvest_months=months_to_mask([8, 9, 10]))
        ProductFactory(name="Ổi quanh năm", harvest_months=ALL_MONTHS)
        ProductFactory(name="Quýt nháp", harvest_months=ALL_MONTHS, status=ProductStatus.DRAFT)
        db.session.commit()
        december = {p.name for p in home.home_page(today=date(2026, 12, 5))["in_season"]}
        september = {p.name for p in home.home_page(today=date(2026, 9, 5))["in_season"]}
    assert december == {"Quýt Hương Cần", "Ổi quanh năm"}
    assert september == {"Thanh trà", "Ổi quanh năm"}


def test_home_page_turns_the_month_at_midnight_in_hue(app, client, clock):
    """At 00:30 on 1 January in Huế it is still 31 December in UTC: the page is already January's."""
    with app.app_context():
        ProductFactory(name="Cốm mùa Tết", harvest_months=months_to_mask([1]))
        ProductFactory(name="Quýt cuối năm", harvest_months=months_to_mask([12]))
        db.session.commit()
    clock.set(datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    html = client.get("/").get_data(as_text=True)
    in_season = html.split("Đang vào mùa (Tháng 1)", 1)[1].split("</ul>", 1)[0]
    assert "Cốm mùa Tết" in in_season and "Quýt cuối năm" not in in_season


def test_home_shows_featured_products_producers_and_cooperatives(app, client):
    with app.app_context():
        coop = CooperativeFactory(name="Hợp tác xã Cốm An Thuận")
        producer = ProducerFactory(display_name="Cơ sở cốm bà Tư", cooperative=coop)
        ProductFactory(name="Cốm An Thuận", producer=producer, featured=True)
        ProductFactory(name="Cam thường", producer=producer)
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    featured = html.split("Sản phẩm nổi bật", 1)[1].split("</ul>", 1)[0]
    assert "Cốm An Thuận" in featured and "Cam thường" not in featured
    assert "Cơ sở cốm bà Tư" in html and "Hợp tác xã Cốm An Thuận" in html
