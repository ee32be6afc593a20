"""Who may change a producer's profile and listings.

A producer may belong to a cooperative (Producer.cooperative_id), and the cooperative's managers
help its members with their listings. Which cooperatives a person manages is for app.cooperatives
to say, and cooperatives build on the catalogue, so the catalogue does not import them: it asks
the CooperativeDirectory registered at `cooperative_directory` (see app.cooperatives.access).
Without one registered nobody manages a cooperative, so access is refused rather than widened.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import Role, User
from app.catalog.errors import NotAllowed
from app.catalog.models import Producer
from app.common.extension_points import ExtensionPoint
from app.extensions import db


@dataclass(frozen=True)
class CooperativeDirectory:
    """What the catalogue asks about cooperatives."""

    # The ids of the cooperatives a person manages.
    managed_ids: Callable[[User], set[int]]
    # The cooperatives a person manages, for their dashboard (objects with id, slug and name).
    managed: Callable[[User], list]
    # (id, name) of the given cooperatives, or of all when None, in the order a list shows them.
    choices: Callable[[set[int] | None], list[tuple[int, str]]]


NO_COOPERATIVES = CooperativeDirectory(managed_ids=lambda user: set(), managed=lambda user: [], choices=lambda ids: [])

cooperative_directory = ExtensionPoint(
    "catalog.cooperative_directory", "The CooperativeDirectory app.cooperatives registers."
)


def cooperatives() -> CooperativeDirectory:
    return cooperative_directory.first(NO_COOPERATIVES)


def managed_cooperative_ids(user: User) -> set[int]:
    if not user.has_role(Role.COOPERATIVE_MANAGER):
        return set()
    return cooperatives().managed_ids(user)


class Action(enum.Enum):
    CREATE_PRODUCT = "create_product"
    EDIT_PRODUCT = "edit_product"
    EDIT_PRODUCER = "edit_producer"


def may_manage_producer(user: User | None, producer: Producer) -> bool:
    """The one rule for changing a producer's profile and listings.

    An admin may change any; a producer their own; a cooperative manager those of the
    cooperative's members, because many farmers need help with a phone.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.ADMIN):
        return True
    if user.has_role(Role.PRODUCER) and producer.user_id == user.id:
        return True
    return producer.cooperative_id is not None and producer.cooperative_id in managed_cooperative_ids(user)


def may(user: User | None, action: Action, producer: Producer) -> bool:
    # Creating, editing a listing and editing the profile share one owner rule today; the
    # action is named so a future difference (say, only admins archive) has one place to go.
    return may_manage_producer(user, producer)


def require(user: User | None, action: Action, producer: Producer) -> None:
    if not may(user, action, producer):
        raise NotAllowed(_l("Bạn không có quyền sửa sản phẩm của nhà vườn này."))


def producers_managed_by(user: User) -> list[Producer]:
    """Producers whose listings this person may change, for their dashboard."""
    query = sa.select(Producer).options(joinedload(Producer.cooperative)).order_by(Producer.display_name)
    if not user.has_role(Role.ADMIN):
        conditions = []
        if user.has_role(Role.PRODUCER):
            conditions.append(Producer.user_id == user.id)
        coop_ids = managed_cooperative_ids(user)
        if coop_ids:
            conditions.append(Producer.cooperative_id.in_(coop_ids))
        if not conditions:
            return []
        query = query.where(sa.or_(*conditions))
    return list(db.session.execute(query).scalars())


def may_place_in_cooperative(user: User, cooperative_id: int | None) -> bool:
    """Joining a cooperative is the cooperative's decision: only its manager or an admin moves a producer in."""
    if cooperative_id is None or user.has_role(Role.ADMIN):
        return True
    return cooperative_id in managed_cooperative_ids(user)


def may_create_producer(user: User) -> bool:
    """An admin, a cooperative manager (for members), or a producer who has no profile yet."""
    if user.has_role(Role.ADMIN) or managed_cooperative_ids(user):
        return True
    own = db.session.execute(sa.select(Producer.id).where(Producer.user_id == user.id)).first()
    return user.has_role(Role.PRODUCER) and own is None
