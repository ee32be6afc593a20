"""Product search on the database's own full-text index.

The folded text (see app.common.text.fold) is written to products.search_name and
products.search_context on every change; migration 0002 indexes it with FTS5 on SQLite and
with a GIN expression index on PostgreSQL. A query is folded the same way, so "cam xa doai",
"CAM XÃ ĐOÀI" and "Cam Xa Đoai" ask the index the same question. Every word must match,
as a prefix, so a buyer typing "thanh tr" already finds "Thanh trà".
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from app.catalog.models import Product
from app.common.text import search_tokens

# Identical to the expression indexed by migration 0002; any difference and PostgreSQL
# falls back to reading every row.
POSTGRES_DOCUMENT = (
    "(setweight(to_tsvector('simple'::regconfig, products.search_name), 'A') "
    "|| setweight(to_tsvector('simple'::regconfig, products.search_context), 'B'))"
)

# A match in the product's name counts ten times one in its producer, village or category.
SQLITE_RANK = "bm25(product_search, 10.0, 1.0)"

MAX_TOKENS = 8


@dataclass(frozen=True)
class SearchMatch:
    """What a search adds to a product query.

    Filter with `Product.id.in_(ids)`; join `ranked` (columns product_id, score) only to order
    by relevance. Kept apart because a join without an ORDER BY on the score lets SQLite run
    the text search once per product row instead of once per query.
    """

    ids: sa.Select
    ranked: sa.Subquery

    @property
    def score(self) -> ColumnElement:  # larger is more relevant
        return self.ranked.c.score


def match_products(query: str, dialect: str) -> SearchMatch | None:
    """The products whose folded text contains every word of query, or None for no words."""
    tokens = search_tokens(query)[:MAX_TOKENS]
    if not tokens:
        return None
    if dialect == "postgresql":
        return _postgres(tokens)
    return _sqlite(tokens)


def _sqlite(tokens: list[str]) -> SearchMatch:
    # Tokens hold only [a-z0-9], so quoting them is enough to keep FTS5 syntax out.
    fts_query = " ".join(f'"{token}"*' for token in tokens)
    match = sa.text("product_search MATCH :fts_query").bindparams(fts_query=fts_query)
    rowid = sa.literal_column("product_search.rowid")
    ids = sa.select(rowid).select_from(sa.text("product_search")).where(match)
    ranked = (
        sa.select(rowid.label("product_id"), sa.literal_column(f"-{SQLITE_RANK}").label("score"))
        .select_from(sa.text("product_search"))
        .where(match)
        .subquery("search_matches")
    )
    return SearchMatch(ids=ids, ranked=ranked)


def _postgres(tokens: list[str]) -> SearchMatch:
    ts_query = " & ".join(f"{token}:*" for token in tokens)
    document = sa.literal_column(POSTGRES_DOCUMENT)
    query = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), sa.bindparam("ts_query", ts_query))
    ids = sa.select(Product.id).where(document.op("@@")(query))
    ranked = (
        sa.select(Product.id.label("product_id"), sa.func.ts_rank(document, query).label("score"))
        .where(document.op("@@")(query))
        .subquery("search_matches")
    )
    return SearchMatch(ids=ids, ranked=ranked)
