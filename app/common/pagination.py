"""One page of a long list, counted with a query of its own.

Flask-SQLAlchemy's paginate() counts by wrapping the whole item query; when that query joins
a full-text ranking, the database may then re-run the text search once per row. Counting with
a query that only filters keeps both queries on the index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.extensions import db


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def paginate(items: sa.Select, count: sa.Select, page: int, per_page: int) -> Page:
    """Run count (a select of the rows' ids, unordered) and one page of items."""
    total = db.session.execute(sa.select(sa.func.count()).select_from(count.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(items.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(items=list(rows), page=page, per_page=per_page, total=total)


def page_number(args, name: str = "page") -> int:
    """The page asked for in a query string; 1 for anything that is not a sensible page."""
    text = args.get(name, "1")
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1
