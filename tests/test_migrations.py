"""The schema comes only from the Alembic revisions; they must describe the models exactly."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db


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
