"""Slugs for addresses: folded from a name, unique within a table."""

from __future__ import annotations

import sqlalchemy as sa

from app.common.text import make_slug
from app.extensions import db


def unique_slug(model, text: str, exclude_id: int | None = None) -> str:
    """A slug folded from text, with -2, -3... added when another row already uses it."""
    base = make_slug(text)
    taken_query = sa.select(model.slug).where(sa.or_(model.slug == base, model.slug.like(f"{base}-%")))
    if exclude_id is not None:
        taken_query = taken_query.where(model.id != exclude_id)
    taken = set(db.session.execute(taken_query).scalars())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
