"""The registry of supported households: writing them, their statuses and the support they got.

Every function checks the person against the access rule first (app.households.access), then
writes one access log entry naming the fields it read or changed, never their values. Nothing
here writes to the general audit log: a household's personal data must go when the household is
deleted. Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import attributes

from app.accounts.phone import InvalidPhoneNumber, normalize_phone
from app.common.errors import NotAllowed, RuleBroken
from app.common.text import fold
from app.extensions import db
from app.households import status as statuses
from app.households import values as read
from app.households.access import (
    is_admin,
    log_access,
    log_refusal,
    may_cover_commune,
    require_household,
    visible_households,
)
from app.households.models import (
    AccessAction,
    AreaType,
    HouseholdAccessLog,
    HouseholdGroup,
    HouseholdMember,
    HouseholdStatus,
    RecognisedStatus,
    SupportedHousehold,
    SupportKind,
    SupportRecord,
)
from app.places.services import commune_in_province

A = AccessAction


class InvalidHousehold(RuleBroken):
    pass


class DuplicateHouseholdCode(InvalidHousehold):
    field = "code"


class CommuneNotCovered(NotAllowed):
    """An officer placing a household in a commune/ward they are not assigned to."""

    field = "commune_id"


@dataclass
class MemberValues:
    name: str
    birth_year: int | str | None = None
    relation: str = ""


@dataclass
class HouseholdValues:
    code: str
    head_name: str
    province_id: int | None
    commune_id: int | None
    area_type: AreaType | str
    group_id: int | None
    village: str = ""
    street: str = ""
    old_district: str = ""
    phone: str | None = None
    no_working_capacity: bool = False
    revolutionary_merit: bool = False
    notes: str = ""
    # None leaves the members as they are; a list replaces them.
    members: list[MemberValues] | None = None


# What a household page shows, for the log entry of reading it.
READ_FIELDS = (
    "code", "head_name", "province_id", "commune_id", "village", "street", "old_district", "area_type",
    "phone", "group_id", "no_working_capacity", "revolutionary_merit", "notes",
)


def _fields(values: HouseholdValues) -> dict:
    code = read.text(values.code, 30, "code", required=True, label=_l("mã hộ"))
    head_name = read.text(values.head_name, 120, "head_name", required=True, label=_l("họ tên chủ hộ"))
    if values.commune_id is None:
        raise InvalidHousehold(_l("Hãy chọn xã/phường."), "commune_id")
    if not commune_in_province(values.commune_id, values.province_id):
        raise InvalidHousehold(_l("Xã/phường không thuộc tỉnh/thành đã chọn."), "commune_id")
    try:
        area_type = AreaType(values.area_type)
    except ValueError:
        raise InvalidHousehold(_l("Hãy chọn khu vực nông thôn hoặc thành thị."), "area_type") from None
    if values.group_id is None or db.session.get(HouseholdGroup, values.group_id) is None:
        raise InvalidHousehold(_l("Hãy chọn nhóm hộ."), "group_id")
    phone = None
    if values.phone and values.phone.strip():
        try:
            phone = normalize_phone(values.phone)
        except InvalidPhoneNumber:
            raise InvalidHousehold(
                _l("Số điện thoại di động Việt Nam có 10 chữ số, ví dụ 0912 345 678."), "phone"
            ) from None
    return {
        "code": code,
        "head_name": head_name,
        "head_name_key": fold(head_name)[:120],
        "province_id": values.province_id,
        "commune_id": values.commune_id,
        "village": read.text(values.village, 120, "village"),
        "street": read.text(values.street, 200, "street"),
        "old_district": read.text(values.old_district, 120, "old_district"),
        "area_type": area_type,
        "phone": phone,
        "group_id": values.group_id,
        "no_working_capacity": bool(values.no_working_capacity),
        "revolutionary_merit": bool(values.revolutionary_merit),
        "notes": (values.notes or "").strip(),
    }


def _members(values: HouseholdValues) -> list[tuple[str, int | None, str]] | None:
    if values.members is None:
        return None
    members = []
    this_year = read.today().year
    for member in values.members:
        name = read.text(member.name, 120, "members", required=True, label=_l("họ tên thành viên"))
        birth_year = read.whole_number(member.birth_year, "members")
        if birth_year is not None and not 1900 <= birth_year <= this_year:
            raise InvalidHousehold(_l("Năm sinh phải từ 1900 đến %(year)d.", year=this_year), "members")
        members.append((name, birth_year, read.text(member.relation, 60, "members")))
    return members


def _check_code_free(actor, code: str, commune_id: int, household_id: int | None = None) -> None:
    query = visible_households(actor).where(
        SupportedHousehold.commune_id == commune_id, SupportedHousehold.code == code
    )
    if household_id is not None:
        query = query.where(SupportedHousehold.id != household_id)
    if db.session.execute(query.limit(1)).first() is not None:
        raise DuplicateHouseholdCode(_l("Mã hộ %(code)s đã có ở xã/phường này.", code=code))


def _refuse_commune(actor, household_id: int | None, attempted: AccessAction):
    log_refusal(actor, household_id, attempted)
    return CommuneNotCovered(_l("Bạn không phụ trách xã/phường này."))


def create_household(actor, values: HouseholdValues) -> SupportedHousehold:
    """A new household in a commune the actor covers (any, for an admin)."""
    if not may_cover_commune(actor, values.commune_id):
        raise _refuse_commune(actor, None, A.CREATE)
    fields = _fields(values)
    members = _members(values) or []
    _check_code_free(actor, fields["code"], fields["commune_id"])
    household = SupportedHousehold(created_by_id=actor.id, **fields)
    household.members = [HouseholdMember(name=n, birth_year=y, relation=r) for n, y, r in members]
    db.session.add(household)
    db.session.flush()
    written = [name for name in READ_FIELDS if fields[name] not in (None, "", False)]
    if members:
        written += ["household_members.name", "household_members.birth_year", "household_members.relation"]
    log_access(actor, household, A.CREATE, written)
    return household


def update_household(actor, household: SupportedHousehold, values: HouseholdValues) -> SupportedHousehold:
    household = require_household(actor, household.id, A.UPDATE)
    fields = _fields(values)
    members = _members(values)
    if fields["commune_id"] != household.commune_id and not may_cover_commune(actor, fields["commune_id"]):
        raise _refuse_commune(actor, household.id, A.UPDATE)
    _check_code_free(actor, fields["code"], fields["commune_id"], household.id)
    changed = []
    for name, new in fields.items():
        if getattr(household, name) != new:
            setattr(household, name, new)
            if name != "head_name_key":
                changed.append(name)
    current = [(m.name, m.birth_year, m.relation) for m in household.members]
    if members is not None and members != current:
        household.members = [HouseholdMember(name=n, birth_year=y, relation=r) for n, y, r in members]
        changed += ["household_members.name", "household_members.birth_year", "household_members.relation"]
    if changed:
        db.session.flush()
        log_access(actor, household, A.UPDATE, changed)
    return household


def read_household(actor, household_id, fields=READ_FIELDS) -> SupportedHousehold:
    """The household for a page that shows fields, with the read logged."""
    household = require_household(actor, household_id, A.READ)
    log_access(actor, household, A.READ, fields)
    return household


DUPLICATE_FIELDS = ("code", "head_name", "village", "phone")  # what a warning shows of the other


@dataclass
class LikelyDuplicate:
    household: SupportedHousehold
    reasons: set[str] = field(default_factory=set)  # "name_and_village", "phone"


def likely_duplicates(actor, household: SupportedHousehold) -> list[LikelyDuplicate]:
    """Households that may be this one entered twice, for an officer to resolve; never merged here.

    Same head of household (names folded) in the same village of the commune/ward, or the same
    phone number. Only households the actor may see are compared. Each one found is logged read.
    """
    duplicates = find_likely_duplicates(actor, household)
    for duplicate in duplicates:
        log_access(actor, duplicate.household, A.READ, DUPLICATE_FIELDS)
    return duplicates


def find_likely_duplicates(actor, household: SupportedHousehold) -> list[LikelyDuplicate]:
    """likely_duplicates without the log entries, for a caller that logs only what it shows."""
    others = visible_households(actor).where(SupportedHousehold.id != household.id)
    found: dict[int, LikelyDuplicate] = {}
    same_name = others.where(
        SupportedHousehold.commune_id == household.commune_id,
        SupportedHousehold.head_name_key == household.head_name_key,
    )
    village = fold(household.village)
    for other in db.session.execute(same_name).scalars():
        if fold(other.village) == village:
            found.setdefault(other.id, LikelyDuplicate(other)).reasons.add("name_and_village")
    if household.phone:
        for other in db.session.execute(others.where(SupportedHousehold.phone == household.phone)).scalars():
            found.setdefault(other.id, LikelyDuplicate(other)).reasons.add("phone")
    return [found[key] for key in sorted(found)]


def record_status(
    actor,
    household: SupportedHousehold,
    status: HouseholdStatus | str,
    recognised_on: date,
    decision_number: str,
    support_until: date | None = None,
) -> RecognisedStatus:
    """Record a status the authority recognised; newly out of poverty, supported for a while."""
    household = require_household(actor, household.id, A.UPDATE)
    try:
        status = HouseholdStatus(status)
    except ValueError:
        raise statuses.StatusChangeNotAllowed(_l("Trạng thái không hợp lệ.")) from None
    recognised_on = read.day(recognised_on, "recognised_on")
    decision_number = read.text(
        decision_number, 60, "decision_number", required=True, label=_l("số quyết định công nhận")
    )
    statuses.check_move(household.statuses, status, recognised_on)
    if support_until is None and status in statuses.KEEPS_SUPPORT:
        months = current_app.config.get("HOUSEHOLD_SUPPORT_MONTHS", 36)
        support_until = statuses.add_months(recognised_on, months)
    if support_until is not None:
        support_until = read.day(support_until, "support_until", not_after_today=False)
        if support_until < recognised_on:
            raise InvalidHousehold(_l("Ngày hết hỗ trợ phải sau ngày công nhận."), "support_until")
    row = RecognisedStatus(
        status=status,
        recognised_on=recognised_on,
        decision_number=decision_number,
        support_until=support_until,
        recorded_by_id=actor.id,
    )
    household.statuses.append(row)
    db.session.flush()
    written = ["recognised_statuses.status", "recognised_statuses.recognised_on", "recognised_statuses.decision_number"]
    if support_until is not None:
        written.append("recognised_statuses.support_until")
    log_access(actor, household, A.UPDATE, written)
    return row


def record_support(
    actor,
    household: SupportedHousehold,
    kind_code: str,
    given_on: date,
    value_vnd: int | str | None = None,
    provider: str = "",
    note: str = "",
) -> SupportRecord:
    """Record support a household received: its kind, date, provider and value in đồng, if known."""
    household = require_household(actor, household.id, A.UPDATE)
    kind = db.session.execute(sa.select(SupportKind).where(SupportKind.code == kind_code)).scalar_one_or_none()
    if kind is None:
        raise InvalidHousehold(_l("Hãy chọn loại hỗ trợ."), "kind")
    row = SupportRecord(
        kind=kind,
        given_on=read.day(given_on, "given_on"),
        value_vnd=read.amount(value_vnd, "value_vnd"),
        provider=read.text(provider, 160, "provider"),
        note=(note or "").strip(),
        recorded_by_id=actor.id,
    )
    household.support_records.append(row)
    db.session.flush()
    written = ["support_records.kind_id", "support_records.given_on"]
    written += [f"support_records.{name}" for name in ("value_vnd", "provider", "note") if getattr(row, name)]
    log_access(actor, household, A.UPDATE, written)
    return row


def delete_household(actor, household: SupportedHousehold) -> None:
    """Delete a household and everything kept about it, on the person's request; admins only.

    Members, reviews, statuses, support records and producer links go with it. Its access log
    entries stay, with the record's number only, and one more says who deleted it and when.
    """
    if not is_admin(actor):
        log_refusal(actor, household.id, A.DELETE)
        raise NotAllowed(_l("Chỉ quản trị viên mới xoá được hồ sơ hộ."))
    household_id = household.id
    log_access(actor, household, A.DELETE)
    db.session.flush()  # the entry first, while the household it names still exists
    db.session.delete(household)
    db.session.flush()
    # The database emptied household_id in the log (ON DELETE SET NULL); say so to the session too.
    for entry in list(db.session.identity_map.values()):
        if isinstance(entry, HouseholdAccessLog) and entry.household_id == household_id:
            attributes.set_committed_value(entry, "household_id", None)
