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
