"""Who manages which cooperative, and what the catalogue is told about it.

The catalogue lets a cooperative's managers change its members' listings but cannot import this
package (cooperatives build on the catalogue), so register() hands it a CooperativeDirectory when
the cooperatives blueprint is registered.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import Role, User
from app.catalog.access import CooperativeDirectory, cooperative_directory
from app.cooperatives.models import Cooperative, cooperative_managers
from app.extensions import db


def managed_cooperative_ids(user: User) -> set[int]:
    if not user.has_role(Role.COOPERATIVE_MANAGER):
        return set()
    rows = db.session.execute(
        sa.select(cooperative_managers.c.cooperative_id).where(cooperative_managers.c.user_id == user.id)
    )
    return set(rows.scalars())


def may_edit_cooperative(user: User | None, cooperative: Cooperative) -> bool:
    """A cooperative's page is kept by its managers; an admin may change any."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_role(Role.ADMIN) or cooperative.id in managed_cooperative_ids(user)


def managed_by(user: User) -> list[Cooperative]:
    if user.has_role(Role.ADMIN):
        query = sa.select(Cooperative)
    else:
        query = sa.select(Cooperative).where(Cooperative.id.in_(managed_cooperative_ids(user) or {-1}))
    return list(db.session.execute(query.order_by(Cooperative.name)).scalars())


def cooperative_choices(ids: set[int] | None) -> list[tuple[int, str]]:
    query = sa.select(Cooperative.id, Cooperative.name).order_by(Cooperative.name)
    if ids is not None:
        query = query.where(Cooperative.id.in_(ids))
    return [(row.id, row.name) for row in db.session.execute(query)]


DIRECTORY = CooperativeDirectory(managed_ids=managed_cooperative_ids, managed=managed_by, choices=cooperative_choices)


def register(app: Flask) -> None:
    cooperative_directory.add(app, DIRECTORY)
