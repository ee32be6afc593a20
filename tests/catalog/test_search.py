"""Search folds Vietnamese, reaches producers and villages, ranks, and uses the index."""

import re

import pytest
import sqlalchemy as sa

from app.catalog import profiles
from app.catalog.models import ProductStatus
from app.catalog.search import match_products
from app.extensions import db
from tests.factories import ProducerFactory, ProductFactory, category


def names_on_page(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h3><a href="/san-pham/[^"]+">([^<]+)</a></h3>', html)


@pytest.fixture
def catalogue(app):
    with app.app_context():
        loc = ProducerFactory(display_name="Vườn nhà ông Hòa", village="Thôn Quang Lộc")
        mai = ProducerFactory(display_name="Vườn ổi chị Mai", village="Thôn Tây Xuân")
        ProductFactory(name="Cam Xã Đoài", producer=loc)
        ProductFactory(name="Quýt Thanh Bình", producer=loc, category=category("quyt"))
        ProductFactory(name="Ổi VietGAP Hương Xuân", producer=mai, category=category("oi"))
        ProductFactory(name="Cam Xã Đoài bản nháp", producer=loc, status=ProductStatus.DRAFT)
        db.session.commit()


@pytest.mark.parametrize("query", ["cam xa doai", "CAM XÃ ĐOÀI", "Cam Xa Đoai", "cam   xã", "doai"])
def test_diacritics_and_case_do_not_matter(client, catalogue, query):
    response = client.get("/san-pham", query_string={"q": query})
    assert response.status_code == 200
    assert names_on_page(response) == ["Cam Xã Đoài"]


def test_words_are_matched_as_prefixes(client, catalogue):
    assert names_on_page(client.get("/san-pham?q=thanh+bi")) == ["Quýt Thanh Bình"]


def test_producer_and_village_names_are_searched_too(client, catalogue):
    assert set(names_on_page(client.get("/san-pham?q=quang+loc"))) == {"Cam Xã Đoài", "Quýt Thanh Bình"}
    assert names_on_page(client.get("/san-pham?q=chi+mai")) == ["Ổi VietGAP Hương Xuân"]


def test_a_match_in_the_name_ranks_above_a_match_elsewhere(client, app):
    with app.app_context():
        orange_grower = ProducerFactory(display_name="Vườn cam bác Tư", village="Thôn Cam Lộ")
        ProductFactory(name="Bưởi da xanh", producer=orange_grower, category=category("buoi"))
        ProductFactory(name="Cam V2", producer=ProducerFactory(display_name="Vườn chú Sáu"))
        db.session.commit()
    assert names_on_page(client.get("/san-pham?q=cam")) == ["Cam V2", "Bưởi da xanh"]


def test_nothing_found_says_so(client, catalogue):
    response = client.get("/san-pham?q=sau+rieng")
    assert names_on_page(response) == []
    assert "Không tìm thấy sản phẩm nào" in response.get_data(as_text=True)


def test_search_syntax_in_the_query_is_just_text(client, catalogue):
    for query in ['"cam', "cam*", "cam OR quyt", "NEAR(cam)", "cam & !quyt", "':*"]:
        assert client.get("/san-pham", query_string={"q": query}).status_code == 200


def test_renaming_a_producer_updates_what_their_products_are_found_by(client, app, catalogue):
    from app.accounts.models import Role
    from app.catalog.models import Producer
    from tests.factories import UserFactory

    with app.app_context():
        admin = UserFactory(roles=[Role.ADMIN])
        producer = db.session.execute(sa.select(Producer).filter_by(display_name="Vườn ổi chị Mai")).scalar_one()
        profiles.update_producer(
            admin,
            producer,
            profiles.ProducerValues(display_name="Vườn ổi cô Lan", village="Thôn Tây Xuân",
                                    province_id=producer.province_id, commune_id=producer.commune_id),
        )
        db.session.commit()
    assert names_on_page(client.get("/san-pham?q=co+lan")) == ["Ổi VietGAP Hương Xuân"]
    assert names_on_page(client.get("/san-pham?q=chi+mai")) == []


def test_search_is_served_by_the_full_text_index(app, catalogue):
    with app.app_context():
        dialect = db.session.get_bind().dialect.name
        match = match_products("cam xa doai", dialect)
        compiled = match.ids.compile(db.engine, compile_kwargs={"literal_binds": True})
        connection = db.session.connection()
        if dialect == "sqlite":
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
            assert "VIRTUAL TABLE INDEX" in plan
        else:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
            assert "ix_products_search" in plan
        assert "LIKE" not in str(compiled).upper()
