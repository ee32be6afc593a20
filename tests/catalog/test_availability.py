""""Available to buy" is one rule with two faces, Python for a page and SQL for a filter; they agree."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.catalog.models import Product, ProductStatus, available_condition, available_to_buy
from app.extensions import db
from tests.factories import ProductFactory

CASES = [
    # (status, stock, min_order, available)
    (ProductStatus.ON_SALE, 20, 1, True),
    (ProductStatus.ON_SALE, 5, 5, True),  # exactly one minimum order left
    (ProductStatus.ON_SALE, 4, 5, False),  # stock below the minimum order
    (ProductStatus.ON_SALE, 0, 1, False),
    (ProductStatus.SOLD_OUT, 20, 1, False),  # the seller said so, whatever the count
    (ProductStatus.DRAFT, 20, 1, False),
    (ProductStatus.ARCHIVED, 20, 1, False),
    (ProductStatus.DRAFT, 0, 1, False),
]


@pytest.mark.parametrize(("status", "stock", "min_order", "available"), CASES)
def test_python_and_sql_say_the_same(app, status, stock, min_order, available):
    with app.app_context():
        product = ProductFactory(status=status, stock=stock, min_order=min_order)
        in_sql = db.session.execute(
            sa.select(Product.id).where(Product.id == product.id, available_condition())
        ).scalar_one_or_none()
        assert available_to_buy(product) is available
        assert product.in_stock is available
        assert (in_sql is not None) is available


def test_the_in_stock_filter_and_the_product_page_use_the_rule(app, client):
    with app.app_context():
        ProductFactory(name="Cam còn hàng", stock=10, min_order=2)
        ProductFactory(name="Cam sắp hết", stock=1, min_order=2)
        db.session.commit()
    page = client.get("/san-pham?in_stock=1").get_data(as_text=True)
    assert "Cam còn hàng" in page and "Cam sắp hết" not in page
    product = client.get("/san-pham/cam-sap-het").get_data(as_text=True)
    assert "https://schema.org/OutOfStock" in product
