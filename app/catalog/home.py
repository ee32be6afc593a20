"""The catalogue's part of the home page.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.catalog.models import Category, Producer, Product, ProductStatus
from app.catalog.queries import listing_options
from app.common.timezone import to_local, utcnow
from app.extensions import db


def current_month(today: date | None = None) -> int:
    return (today or to_local(utcnow()).date()).month


def home_page(today: date | None = None, limit: int = 8) -> dict:
    """The catalogue's part of the home page: what is in season now, featured listings, who grows them."""
    month_bit = 1 << (current_month(today) - 1)
    base = (
        sa.select(Product)
        .where(Product.status == ProductStatus.ON_SALE)
        .options(*listing_options())
        .limit(limit)
    )
    in_season = db.session.execute(
        base.where(Product.harvest_months.op("&")(month_bit) != 0).order_by(
            Product.created_at.desc(), Product.id.desc()
        )
    ).scalars().all()
    featured = db.session.execute(
        base.where(Product.featured.is_(True)).order_by(Product.updated_at.desc(), Product.id.desc())
    ).scalars().all()
    producers = db.session.execute(
        sa.select(Producer)
        .options(joinedload(Producer.commune), selectinload(Producer.photos))
        .order_by(Producer.created_at.desc(), Producer.id.desc())
        .limit(6)
    ).scalars().all()
    categories = db.session.execute(sa.select(Category).order_by(Category.position)).scalars().all()
    return {
        "in_season": in_season,
        "featured": featured,
        "producers": producers,
        "categories": categories,
        "month": current_month(today),
    }
