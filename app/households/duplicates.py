"""Likely duplicates an officer has checked: a pair found to be two households stops being flagged.

The site never merges households. When two really are one, an officer corrects one record by
hand and has the other deleted on request; when they are two, the officer says so here and the
warning goes from both pages. Both households must be visible to the officer (the access rule),
and each change is written to the households' access log with field names only. Functions flush,
never commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.households import values as read
from app.households.access import log_access, require_household
from app.households.duplicate_model import DuplicateCheck, DuplicateVerdict
from app.households.models import AccessAction, SupportedHousehold
from app.households.registry import DUPLICATE_FIELDS, InvalidHousehold, LikelyDuplicate, find_likely_duplicates

A = AccessAction
NOTE_LIMIT = 500
CHECK_FIELDS = ("duplicate_checks.other_household_id", "duplicate_checks.verdict", "duplicate_checks.checked_at")


def _pair(first_id: int, second_id: int) -> tuple[int, int]:
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def check_of(first_id: int, second_id: int) -> DuplicateCheck | None:
    low, high = _pair(first_id, second_id)
    return db.session.execute(
        sa.select(DuplicateCheck).where(DuplicateCheck.household_id == low, DuplicateCheck.other_household_id == high)
    ).scalar_one_or_none()


def mark_not_duplicate(actor, household: SupportedHousehold, other: SupportedHousehold,
                       note: str = "") -> DuplicateCheck:
    """Record that the two are different households; marking a pair again changes nothing."""
    household = require_household(actor, household.id, A.UPDATE)
    other = require_household(actor, other.id, A.UPDATE)
    if household.id == other.id:
        raise InvalidHousehold(_l("Một hộ không thể trùng với chính nó."))
    note = read.text(note, NOTE_LIMIT, "note")
    existing = check_of(household.id, other.id)
    if existing is not None:
        return existing
    low, high = _pair(household.id, other.id)
    check = DuplicateCheck(household_id=low, other_household_id=high, verdict=DuplicateVerdict.NOT_DUPLICATE,
                           checked_by_id=actor.id, note=note)
    db.session.add(check)
    db.session.flush()
    written = CHECK_FIELDS + (("duplicate_checks.note",) if note else ())
    log_access(actor, household, A.UPDATE, written)
    log_access(actor, other, A.UPDATE, written)
    return check


def _checked_with(household_id: int) -> set[int]:
    """The households checked and found different from this one."""
    rows = db.session.execute(
        sa.select(DuplicateCheck.household_id, DuplicateCheck.other_household_id).where(
            DuplicateCheck.verdict == DuplicateVerdict.NOT_DUPLICATE,
            sa.or_(DuplicateCheck.household_id == household_id, DuplicateCheck.other_household_id == household_id),
        )
    ).all()
    return {low if high == household_id else high for low, high in rows}


def open_duplicates(actor, household: SupportedHousehold) -> list[LikelyDuplicate]:
    """The likely duplicates of the household not yet checked; those shown are logged read."""
    checked = _checked_with(household.id)
    duplicates = [d for d in find_likely_duplicates(actor, household) if d.household.id not in checked]
    for duplicate in duplicates:
        log_access(actor, duplicate.household, A.READ, DUPLICATE_FIELDS)
    return duplicates
