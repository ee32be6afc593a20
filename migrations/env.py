"""Alembic environment: the schema is built only from these revisions, on SQLite and PostgreSQL."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db

# Search-index objects are made by hand in the revisions, differently per database (an FTS5
# table and its triggers on SQLite, an expression GIN index on PostgreSQL); SQLAlchemy's
# metadata does not describe them, so autogenerate must not try to drop them.
HAND_MADE = {"product_search", "ix_products_search"}


def include_object(obj, name, type_, reflected, compare_to):
    if name in HAND_MADE or (name or "").startswith("product_search_"):
        return False
    return True


def render_item(type_, obj, autogen_context):
    """Write the UTC column type as a plain DateTime, so revisions never import app code."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def get_engine():
    return target_db.engine


def run_migrations_offline():
    context.configure(
        url=get_engine().url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
        include_object=include_object,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args["include_object"] = include_object
    conf_args["render_item"] = render_item
    conf_args.setdefault("compare_type", True)

    with get_engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by building a new copy and dropping the old one (batch
            # mode); with foreign keys enforced, that drop would cascade into the rows that
            # point at it. SQLite's own recipe: keys off for the change (the pragma is ignored
            # inside a transaction, so before it), every key checked after it, then on again.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left rows pointing at missing rows: {broken[:5]}")
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
