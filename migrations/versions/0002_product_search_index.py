"""product search index: FTS5 on SQLite, a GIN expression index on PostgreSQL

The products table carries folded text (search_name, search_context) written by
catalog.services. Each database indexes it with its own full-text engine, so a search never
scans raw text with LIKE. On SQLite the FTS5 table is kept in step by triggers; a later
revision that rebuilds the products table in batch mode must recreate them (the search tests
fail if it does not).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE product_search USING fts5(
        search_name, search_context, content='products', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER product_search_ai AFTER INSERT ON products BEGIN
        INSERT INTO product_search(rowid, search_name, search_context)
        VALUES (new.id, new.search_name, new.search_context);
    END""",
    """CREATE TRIGGER product_search_ad AFTER DELETE ON products BEGIN
        INSERT INTO product_search(product_search, rowid, search_name, search_context)
        VALUES ('delete', old.id, old.search_name, old.search_context);
    END""",
    """CREATE TRIGGER product_search_au AFTER UPDATE OF search_name, search_context ON products BEGIN
        INSERT INTO product_search(product_search, rowid, search_name, search_context)
        VALUES ('delete', old.id, old.search_name, old.search_context);
        INSERT INTO product_search(rowid, search_name, search_context)
        VALUES (new.id, new.search_name, new.search_context);
    END""",
    "INSERT INTO product_search(product_search) VALUES ('rebuild')",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS product_search_au",
    "DROP TRIGGER IF EXISTS product_search_ad",
    "DROP TRIGGER IF EXISTS product_search_ai",
    "DROP TABLE IF EXISTS product_search",
]

# Must match catalog.search.POSTGRES_DOCUMENT exactly, or the planner will not use the index.
POSTGRES_UP = [
    """CREATE INDEX ix_products_search ON products USING gin ((
        setweight(to_tsvector('simple'::regconfig, search_name), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_context), 'B')))""",
]

POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_products_search"]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRES_UP)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWN)
