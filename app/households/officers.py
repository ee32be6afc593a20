"""Which communes/wards each officer covers: the one fact every household query is scoped by
(access.visible_households). Only admins assign them.

Functions here flush and audit but never commit; the route commits once.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import Role, RoleGrant, User
from app.common import audit
from app.common.errors import NotAllowed, RuleBroken
from app.extensions import db
from app.households.models import OfficerAssignment
from app.places.models import Commune


class NotAnOfficer(RuleBroken):
    field = "user"


def _require_admin(actor: User) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_l("Chỉ quản trị viên phân công cán bộ."))


def officers() -> list[tuple[User, list[Commune]]]:
    """Every officer with the communes they cover, in two queries."""
    people = list(
        db.session.execute(
            sa.select(User).join(RoleGrant).where(RoleGrant.role == Role.OFFICER).order_by(User.full_name, User.id)
        ).scalars()
    )
    rows = db.session.execute(
        sa.select(OfficerAssignment)
        .where(OfficerAssignment.user_id.in_([u.id for u in people]))
        .options(joinedload(OfficerAssignment.commune))
    ).scalars()
    covered: dict[int, list[Commune]] = {u.id: [] for u in people}
    for row in rows:
        covered[row.user_id].append(row.commune)
    return [(u, sorted(covered[u.id], key=lambda c: c.name)) for u in people]


def assign(actor: User, officer: User, commune: Commune) -> bool:
    """Give an officer a commune; False when they already cover it."""
    _require_admin(actor)
    if not officer.has_role(Role.OFFICER):
        raise NotAnOfficer(_l("Tài khoản này không phải cán bộ giảm nghèo."))
    exists = db.session.execute(
        sa.select(OfficerAssignment.id).where(
            OfficerAssignment.user_id == officer.id, OfficerAssignment.commune_id == commune.id
        )
    ).first()
    if exists:
        return False
    db.session.add(OfficerAssignment(user_id=officer.id, commune_id=commune.id))
    db.session.flush()
    audit.record(actor, "officer.assigned", officer, {"commune_id": commune.id})
    return True


def unassign(actor: User, officer: User, commune: Commune) -> bool:
    """Take a commune away: from now on the officer no longer sees its households."""
    _require_admin(actor)
    removed = db.session.execute(
        sa.delete(OfficerAssignment).where(
            OfficerAssignment.user_id == officer.id, OfficerAssignment.commune_id == commune.id
        )
    ).rowcount
    if removed:
        audit.record(actor, "officer.unassigned", officer, {"commune_id": commune.id})
    return bool(removed)
