"""Cooperatives: writing them, and reading them with their members (who manages one: access.py)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, RoleGrant, User
from app.catalog.listing import refresh_search_fields
from app.catalog.models import Producer
from app.common import audit
from app.common.errors import NotAllowed, RuleBroken
from app.common.slugs import unique_slug
from app.cooperatives.access import may_edit_cooperative
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.places.services import commune_in_province


class InvalidCooperative(RuleBroken):
    pass


@dataclass
class CooperativeValues:
    name: str
    description: str = ""
    province_id: int | None = None
    commune_id: int | None = None
    village: str = ""
    street: str = ""
    old_district: str = ""
    contact_phone: str | None = None


def _fields(values: CooperativeValues) -> dict:
    name = " ".join((values.name or "").split())
    if not name or len(name) > 160:
        raise InvalidCooperative(_l("Tên hợp tác xã cần từ 1 đến 160 ký tự."), "name")
    if not commune_in_province(values.commune_id, values.province_id):
        raise InvalidCooperative(_l("Xã/phường không thuộc tỉnh/thành đã chọn."), "commune")
    return {
        "name": name,
        "description": (values.description or "").strip(),
        "province_id": values.province_id,
        "commune_id": values.commune_id,
        "village": values.village.strip(),
        "street": values.street.strip(),
        "old_district": values.old_district.strip(),
        "contact_phone": values.contact_phone or None,
    }


def create_cooperative(actor: User | None, values: CooperativeValues, managers: list[User] = ()) -> Cooperative:
    """A new cooperative; only an admin (or the command line, actor None) makes one."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise NotAllowed(_l("Chỉ ban quản trị mới tạo được hợp tác xã."))
    fields = _fields(values)
    cooperative = Cooperative(slug=unique_slug(Cooperative, fields["name"]), **fields)
    db.session.add(cooperative)
    for manager in managers:
        add_manager(actor, cooperative, manager)
    db.session.flush()
    audit.record(actor, "cooperative.created", cooperative, {"name": cooperative.name})
    return cooperative


def update_cooperative(actor: User, cooperative: Cooperative, values: CooperativeValues) -> Cooperative:
    if not may_edit_cooperative(actor, cooperative):
        raise NotAllowed(_l("Bạn không quản lý hợp tác xã này."))
    changes = audit.diff(cooperative, _fields(values))
    if changes:
        db.session.flush()
        # The cooperative's name is part of its members' products' search text.
        for member in cooperative.members:
            for product in member.products:
                refresh_search_fields(product)
        audit.record(actor, "cooperative.updated", cooperative, changes)
    return cooperative


def add_manager(actor: User | None, cooperative: Cooperative, user: User) -> None:
    """Make user a manager of cooperative, granting the role if they lack it."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise NotAllowed(_l("Chỉ ban quản trị mới thêm được người quản lý."))
    if not user.has_role(Role.COOPERATIVE_MANAGER):
        user.role_grants.append(RoleGrant(role=Role.COOPERATIVE_MANAGER))
    if user not in cooperative.managers:
        cooperative.managers.append(user)
        db.session.flush()
        audit.record(actor, "cooperative.manager_added", cooperative, {"user_id": user.id})


def home_cooperatives(limit: int = 6) -> list[Cooperative]:
    """The cooperatives the home page introduces."""
    return list(
        db.session.execute(
            sa.select(Cooperative).options(joinedload(Cooperative.commune)).order_by(Cooperative.name).limit(limit)
        ).scalars()
    )


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
