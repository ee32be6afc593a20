"""Who sees which household: the one rule, refused by default, and the households' access log.

Admins see every household; an officer sees the households of the communes/wards they are
assigned to; everyone else sees none. Every query for households starts from
`visible_households(user)`, so a page or report cannot forget the rule. A household outside a
person's scope is answered as if it did not exist (`HouseholdNotFound`), and the attempt is
written to the access log. The log keeps field names, never values.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapper

from app.accounts.models import Role
from app.common.errors import RuleBroken
from app.extensions import db
from app.households import models
from app.households.duplicate_model import DuplicateCheck
from app.households.models import AccessAction, HouseholdAccessLog, OfficerAssignment, SupportedHousehold


class HouseholdNotFound(RuleBroken):
    """No such household, or none this person may see: the two are not told apart."""


def _signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and hasattr(user, "has_role")


def is_admin(user) -> bool:
    return _signed_in(user) and user.has_role(Role.ADMIN)


def is_officer(user) -> bool:
    return _signed_in(user) and user.has_role(Role.OFFICER)


def covered_communes(user) -> sa.Select:
    """The ids of the communes/wards an officer is assigned to, as a subquery."""
    return sa.select(OfficerAssignment.commune_id).where(OfficerAssignment.user_id == user.id)


def visible_households(user) -> sa.Select:
    """A select() of the households user may see; add filters, ordering and loading to it."""
    query = sa.select(SupportedHousehold)
    if is_admin(user):
        return query
    if is_officer(user):
        return query.where(SupportedHousehold.commune_id.in_(covered_communes(user)))
    return query.where(sa.false())


def may_cover_commune(user, commune_id: int | None) -> bool:
    """Whether user may keep households in this commune/ward (create them there, move them there)."""
    if commune_id is None:
        return False
    if is_admin(user):
        return True
    if not is_officer(user):
        return False
    return db.session.execute(
        sa.select(sa.literal(True)).where(
            OfficerAssignment.user_id == user.id, OfficerAssignment.commune_id == commune_id
        )
    ).scalar() is True


def require_household(user, household_id, action: AccessAction) -> SupportedHousehold:
    """The household, if user may see it; otherwise HouseholdNotFound, with the refusal logged.

    Only the refusal is logged here: the caller logs what it then reads or changes, with the
    fields it touched. A caller that answers the refusal must still commit the session, or the
    refusal's log entry is lost with the rest.
    """
    household = None
    if _is_id(household_id):
        household = db.session.execute(
            visible_households(user).where(SupportedHousehold.id == household_id)
        ).scalar_one_or_none()
    if household is None:
        log_refusal(user, household_id, action)
        raise HouseholdNotFound(_l("Không tìm thấy hộ này, hoặc hộ không thuộc địa bàn bạn phụ trách."))
    return household


def log_refusal(user, household_id, attempted: AccessAction) -> HouseholdAccessLog:
    """Write down that user tried to reach a household (or make one) outside their scope."""
    asked = household_id if _is_id(household_id) else None
    existing = None
    if asked is not None:
        # Only whether the row exists, for the log's foreign key; nothing of it reaches the caller.
        existing = db.session.execute(
            sa.select(SupportedHousehold.id).where(SupportedHousehold.id == asked)
        ).scalar_one_or_none()
    entry = HouseholdAccessLog(
        actor_id=_actor_id(user),
        household_id=existing,
        household_ref=asked,
        action=AccessAction.REFUSED,
        attempted=attempted,
        fields=[],
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def log_access(actor, household: SupportedHousehold | None, action: AccessAction, fields: Iterable[str] = ()):
    """Write one access log entry: who, which household, what they did, and which fields (names only).

    Names are checked against the households' columns ("head_name", or "annual_reviews.year" for a
    related record), so no caller can slip a value in where a name belongs.
    """
    names = sorted(set(fields))
    unknown = [name for name in names if name not in known_fields()]
    if unknown:
        raise ValueError(f"not field names of the household records: {unknown}")
    entry = HouseholdAccessLog(
        actor_id=_actor_id(actor),
        household_id=household.id if household is not None else None,
        household_ref=household.id if household is not None else None,
        action=action,
        fields=names,
    )
    db.session.add(entry)
    return entry


@cache
def known_fields() -> frozenset[str]:
    """The names a log entry may hold: the household's columns, and table.column of its records."""
    names: set[str] = set()
    for model in (
        models.SupportedHousehold,
        models.HouseholdMember,
        models.AnnualReview,
        models.ReviewIndicator,
        models.RecognisedStatus,
        models.SupportRecord,
        models.ProducerLink,
        DuplicateCheck,
    ):
        mapper: Mapper = sa.inspect(model)
        for attribute in mapper.column_attrs:
            if model is models.SupportedHousehold:
                names.add(attribute.key)
            names.add(f"{model.__tablename__}.{attribute.key}")
    return frozenset(names)


def _is_id(value) -> bool:
    # A number from a URL may be anything; only one that fits the id column is looked up or logged.
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _actor_id(user) -> int | None:
    return user.id if _signed_in(user) else None
