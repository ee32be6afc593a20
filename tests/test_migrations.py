"""The schema comes only from the Alembic revisions; they must describe the models exactly."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.catalog.models import Category, Certification
from app.extensions import db
from tests.factories import ProducerFactory, ProductFactory, category, commune, hue


def _differences(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _include_object},
        )
        return compare_metadata(context, db.metadata)


def _include_object(obj, name, type_, reflected, compare_to):
    # The search index objects are hand-made per database; see migrations/env.py.
    return not (name in {"product_search", "ix_products_search"} or (name or "").startswith("product_search_"))


def test_models_and_migrations_agree(app):
    assert _differences(app) == []


def test_reference_data_is_loaded(app):
    with app.app_context():
        provinces = db.session.execute(sa.text("SELECT count(*) FROM provinces")).scalar_one()
        categories = db.session.execute(sa.text("SELECT slug FROM categories")).scalars().all()
    assert provinces == 34
    assert {"cam", "quyt", "buoi", "thanh-tra", "oi", "com"} <= set(categories)


def test_downgrade_to_nothing_and_back(app):
    with app.app_context():
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
    assert _differences(app) == []


def test_downgrading_the_reference_data_keeps_the_rows_listings_use(app):
    with app.app_context():
        product = ProductFactory(producer=ProducerFactory(province=hue(), commune=commune()), category=category("cam"))
        db.session.commit()
        used = (product.category_id, product.producer.province_id, product.producer.commune_id)
        db.session.remove()  # the migration takes its own connection; no transaction may hold the tables
        downgrade(revision="0002")
        left = {
            table: db.session.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
            for table in ("categories", "provinces", "communes")
        }
        db.session.remove()
        upgrade()
    assert (left["categories"], left["provinces"], left["communes"]) == ([used[0]], [used[1]], [used[2]])


def test_a_row_others_point_at_cannot_be_deleted(app):
    """On SQLite as on PostgreSQL: the database refuses, whatever the code forgot."""
    with app.app_context():
        product = ProductFactory(category=category("cam"))
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text("DELETE FROM categories WHERE id = :id"), {"id": product.category_id})
            db.session.flush()
        db.session.rollback()
        assert db.session.get(Category, product.category_id) is not None


def test_deleting_a_product_takes_its_certifications_with_it(app):
    """ON DELETE CASCADE holds on SQLite too, so no link row is left pointing at nothing."""
    with app.app_context():
        product = ProductFactory()
        certification = db.session.execute(sa.select(Certification)).scalars().first()
        product.certifications.append(certification)
        db.session.commit()
        db.session.execute(sa.text("DELETE FROM products WHERE id = :id"), {"id": product.id})
        db.session.commit()
        links = db.session.execute(sa.text("SELECT count(*) FROM product_certifications")).scalar_one()
    assert links == 0


def test_order_lines_get_unit_codes_from_the_words_they_stored(app):
    """0008: the unit words written on old lines, in either language, become the catalog's codes;
    a word that matches no unit is kept as written, and the downgrade writes Vietnamese back."""
    from app.orders import cart as carts
    from app.orders import checkout
    from tests.factories import delivery_plan
    from tests.orders.helpers import values

    with app.app_context():
        product = ProductFactory(stock=50, min_order=1)
        plan = delivery_plan(product.producer)
        cart = carts.find_or_create(None, None)
        carts.add(cart, product, 1)
        placed = checkout.place(cart, values({product.producer_id: str(plan.pickup_points[0].id)}))
        order_id = placed.orders[0].id
        # Three more lines of the same order, to be given the words older versions wrote.
        for line_id in (101, 102, 103):
            db.session.execute(sa.text(
                "INSERT INTO order_lines (id, order_id, product_name, unit, unit_price_vnd, quantity, line_total_vnd)"
                " VALUES (:id, :order_id, 'Cam', 'kg', 1000, 1, 1000)"), {"id": line_id, "order_id": order_id})
        db.session.commit()
        db.session.remove()
        downgrade(revision="0007")
        stored = db.session.execute(sa.text("SELECT unit FROM order_lines ORDER BY id")).scalars().all()
        for line_id, word in ((101, "Box"), (102, "nải/bó"), (103, "giỏ")):
            db.session.execute(sa.text("UPDATE order_lines SET unit = :word WHERE id = :id"),
                               {"word": word, "id": line_id})
        db.session.commit()
        db.session.remove()
        upgrade()
        converted = db.session.execute(sa.text("SELECT unit, unit_text FROM order_lines ORDER BY id")).all()
    assert stored == ["thùng", "kg", "kg", "kg"]
    assert [tuple(row) for row in converted] == [("box", None), ("box", None), ("bunch", None), (None, "giỏ")]
