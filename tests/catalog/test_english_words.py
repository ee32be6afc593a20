"""English that reads as English: counted units with their plurals, and times said to be Vietnam's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.catalog.models import SellingUnit
from app.catalog.units import quantity_text
from app.extensions import db
from app.main.templating import local_datetime
from tests.factories import LivestreamFactory, ProductFactory


@pytest.mark.parametrize(
    ("count", "unit", "grams", "vietnamese", "english"),
    [
        (200, SellingUnit.KG, None, "200 kg", "200 kg"),
        (1, SellingUnit.KG, 1000, "1 kg", "1 kg"),
        (30, SellingUnit.BOX, 10_000, "30 thùng 10 kg", "30 boxes of 10 kg"),
        (1, SellingUnit.BOX, 10_000, "1 thùng 10 kg", "1 box of 10 kg"),
        (3, SellingUnit.BAG, 500, "3 túi 500 g", "3 bags of 500 g"),
        (2, SellingUnit.BUNCH, None, "2 nải/bó", "2 bunches"),
        (1500, SellingUnit.PIECE, None, "1.500 quả", "1,500 pieces"),
    ],
)
def test_counted_units(app, count, unit, grams, vietnamese, english):
    with app.test_request_context():
        assert quantity_text(count, unit, grams) == vietnamese
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert quantity_text(count, unit, grams) == english


@pytest.fixture
def english(client):
    client.get("/ngon-ngu/en")
    return client


def test_a_product_page_in_english(app, english):
    with app.app_context():
        product = ProductFactory(unit=SellingUnit.BOX, net_weight_grams=10_000, stock=30, min_order=2)
        kilos = ProductFactory(unit=SellingUnit.KG, net_weight_grams=None, stock=200)
        db.session.commit()
        box_slug, kg_slug = product.slug, kilos.slug
    page = english.get(f"/san-pham/{box_slug}").get_data(as_text=True)
    assert "In stock: 30 boxes of 10 kg" in page
    assert "Minimum order: 2 boxes of 10 kg" in page
    assert "/ 10 kg box" in page
    assert "In stock: 200 kg" in english.get(f"/san-pham/{kg_slug}").get_data(as_text=True)


def test_a_live_page_in_english_says_the_time_is_vietnams(app, english):
    with app.app_context():
        product = ProductFactory(unit=SellingUnit.BOX, net_weight_grams=10_000, stock=30)
        # 12:30 UTC on Saturday 12 December 2026 is 19:30 in Huế.
        start = datetime(2026, 12, 12, 12, 30, tzinfo=UTC)
        live = LivestreamFactory(starts_at=start, ends_at=start + timedelta(hours=1), products=[product])
        db.session.commit()
        slug = live.slug
    page = english.get(f"/livestream/{slug}").get_data(as_text=True)
    assert "Saturday, Dec 12, 2026, 19:30–20:30 Vietnam time" in page
    assert "30 boxes of 10 kg left" in page


def test_vietnamese_times_stay_as_they_are(app, client):
    with app.app_context():
        start = datetime(2026, 12, 12, 12, 30, tzinfo=UTC)
        slug = LivestreamFactory(starts_at=start, ends_at=start + timedelta(hours=1)).slug
        db.session.commit()
    page = client.get(f"/livestream/{slug}").get_data(as_text=True)
    assert "19:30–20:30, Thứ Bảy 12/12/2026" in page
    assert "giờ Việt Nam" not in page.split("<main", 1)[1].split("</time>", 1)[0]


def test_the_local_time_filter_names_the_zone_in_english_only(app):
    moment = datetime(2026, 12, 12, 12, 30, tzinfo=UTC)
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert local_datetime(moment) == "Sat 12 Dec 2026, 19:30 Vietnam time"
        assert local_datetime(moment, "short") == "12 Dec 2026, 19:30 Vietnam time"
    with app.test_request_context():
        assert "19:30" in local_datetime(moment) and "Việt Nam" not in local_datetime(moment)
