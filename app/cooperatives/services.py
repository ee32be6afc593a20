"""Reading cooperatives and their members; who manages which."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.catalog.models import Producer
from app.cooperatives.models import Cooperative
from app.extensions import db


def list_cooperatives() -> list[Cooperative]:
    return list(
        db.session.execute(
            sa.select(Cooperative)
            .options(joinedload(Cooperative.commune), joinedload(Cooperative.province))
            .order_by(Cooperative.name)
        ).scalars()
    )


def cooperative_by_slug(slug: str) -> Cooperative | None:
    return db.session.execute(
        sa.select(Cooperative)
        .where(Cooperative.slug == slug)
        .options(
            joinedload(Cooperative.commune),
            joinedload(Cooperative.province),
            selectinload(Cooperative.members).joinedload(Producer.commune),
            selectinload(Cooperative.members).selectinload(Producer.photos),
        )
    ).scalar_one_or_none()


def add_manager(cooperative: Cooperative, user) -> None:
    if user not in cooperative.managers:
        cooperative.managers.append(user)
        db.session.flush()
