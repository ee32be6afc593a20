"""The product list's filters offer only values that public products have, and keep a chosen one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.catalog.models import Certification, ProductStatus
from app.extensions import db
from tests.factories import ProducerFactory, ProductFactory, category, commune


@pytest.fixture
def market(app):
    with app.app_context():
        vietgap = db.session.execute(select(Certification).filter_by(code="vietgap")).scalar_one()
        kim_tra = ProducerFactory(commune=commune("phuong-kim-tra"))
        binh_dien = ProducerFactory(commune=commune("xa-binh-dien"))
        ProductFactory(producer=kim_tra, category=category("oi"), certifications=[vietgap])
        ProductFactory(producer=kim_tra, category=category("buoi"), stock=0, status=ProductStatus.SOLD_OUT)
        # A draft or an archived product offers nothing: a visitor could never see it.
        ProductFactory(producer=binh_dien, category=category("cam"), status=ProductStatus.DRAFT)
        db.session.commit()


def options(page: str, name: str) -> list[str]:
    select_html = re.search(rf'<select id="[^"]*" name="{name}">(.*?)</select>', page, re.S).group(1)
    return [value for value in re.findall(r'<option value="([^"]*)"', select_html) if value]


def test_only_values_of_public_products_are_offered(client, market):
    page = client.get("/san-pham").get_data(as_text=True)
    assert options(page, "province") == ["hue"]
    assert options(page, "commune") == ["phuong-kim-tra"]
    assert set(options(page, "category")) == {"oi", "buoi"}
    assert options(page, "cert") == ["vietgap"]


def test_a_chosen_value_without_products_stays_offered_so_it_can_be_unchosen(client, market):
    response = client.get("/san-pham?province=ha-noi&category=cam&cert=vietgap")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert set(options(page, "province")) == {"hue", "ha-noi"}
    assert re.search(r'<option value="ha-noi"\s+selected', page)
    assert set(options(page, "category")) == {"oi", "buoi", "cam"}


def test_a_value_whose_products_are_gone_is_no_longer_offered(app, client, market):
    assert "cam" not in options(client.get("/san-pham").get_data(as_text=True), "category")
    with app.app_context():
        ProductFactory(category=category("cam"))
        db.session.commit()
    assert "cam" in options(client.get("/san-pham").get_data(as_text=True), "category")
