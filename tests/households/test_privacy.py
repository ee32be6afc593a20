"""Deleting a household on request deletes its data and keeps the access log; no log holds a personal value."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from app.common.audit import AuditEntry
from app.extensions import db
from app.households import registry
from app.households.models import (
    AccessAction,
    AnnualReview,
    ConsentKind,
    HouseholdAccessLog,
    HouseholdMember,
    HouseholdStatus,
    ProducerLink,
    RecognisedStatus,
    ReviewIndicator,
    SupportedHousehold,
    SupportRecord,
)
from app.households.registry import MemberValues, create_household, likely_duplicates, update_household
from app.households.reviews import ReviewValues, save_review
from tests.factories import ProducerFactory
from tests.households.factories import admin, household_values, officer

PERSONAL = {
    "head_name": "Phan Thị Quỳnh Như",
    "phone": "0935 111 222",
    "street": "Kiệt 14 Kim Trà",
    "notes": "Con trai bị tai nạn lao động",
    "member": "Phan Văn Khôi",
}
PERSONAL_VALUES = [*PERSONAL.values(), "+84935111222", "0935111222", "phan thi quynh nhu", "1234567"]

HOUSEHOLD_TABLES = (HouseholdMember, AnnualReview, ReviewIndicator, RecognisedStatus, SupportRecord, ProducerLink)


def _a_household_with_a_life(user):
    household = create_household(user, household_values(
        code="KT-0042", head_name=PERSONAL["head_name"], phone=PERSONAL["phone"], street=PERSONAL["street"],
        notes=PERSONAL["notes"], members=[MemberValues(PERSONAL["member"], 1990, "con")],
    ))
    update_household(user, household, household_values(
        code="KT-0042", head_name=PERSONAL["head_name"] + " ", phone=PERSONAL["phone"], street=PERSONAL["street"] + " A",
        notes=PERSONAL["notes"] + ".", members=[MemberValues(PERSONAL["member"], 1991, "con trai")],
    ))
    create_household(user, household_values(code="KT-0043", head_name=PERSONAL["head_name"], phone=""))
    likely_duplicates(user, household)
    save_review(user, household, ReviewValues(
        year=2026, reviewed_on=date(2026, 6, 1), income="1.234.567", lacking=["latrine", "telecom", "nutrition"],
        causes=["illness"], submission_key="phone-key-000042",
    ), submit=True)
    registry.record_status(user, household, HouseholdStatus.POOR, date(2025, 12, 1), "12/QĐ-UBND")
    registry.record_support(user, household, "telecom", date(2026, 2, 1), "1.234.567", "VNPT", PERSONAL["notes"])
    db.session.add(ProducerLink(
        producer=ProducerFactory(), household=household, consent_kind=ConsentKind.PAPER,
        consent_given_on=date(2026, 5, 1), paper_reference="Biên bản 3/2026", purpose="Báo cáo bán hàng",
        recorded_by_id=user.id,
    ))
    db.session.flush()
    return household


def _logs_as_text() -> str:
    rows = db.session.execute(sa.select(HouseholdAccessLog)).scalars().all()
    audit = db.session.execute(sa.select(AuditEntry)).scalars().all()
    return json.dumps(
        [[r.action.value, r.attempted and r.attempted.value, r.fields, r.household_ref] for r in rows]
        + [[a.action, a.subject_type, a.changes] for a in audit],
        ensure_ascii=False,
    ).lower()


def test_no_personal_value_reaches_the_access_log_or_the_audit_log(app):
    with app.app_context():
        _a_household_with_a_life(officer())
        db.session.commit()
        text = _logs_as_text()
        assert "head_name" in text  # the names of the fields are there, their values are not
        for value in PERSONAL_VALUES:
            assert value.lower() not in text, value


def test_deleting_a_household_deletes_its_data_and_keeps_its_access_log(app):
    with app.app_context():
        household = _a_household_with_a_life(officer())
        household_id = household.id
        db.session.commit()
        before = db.session.execute(sa.select(sa.func.count()).select_from(HouseholdAccessLog)).scalar_one()

        person = admin()
        registry.delete_household(person, household)
        db.session.commit()
        db.session.expire_all()

        assert db.session.get(SupportedHousehold, household_id) is None
        for model in HOUSEHOLD_TABLES:
            assert db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one() == 0, model
        entries = db.session.execute(
            sa.select(HouseholdAccessLog).where(HouseholdAccessLog.household_ref == household_id)
            .order_by(HouseholdAccessLog.id)
        ).scalars().all()
        assert len(db.session.execute(sa.select(HouseholdAccessLog)).scalars().all()) == before + 1
        assert all(entry.household_id is None for entry in entries)
        assert (entries[-1].action, entries[-1].actor_id) == (AccessAction.DELETE, person.id)
        assert entries[0].action == AccessAction.CREATE

        # What is left of the household anywhere in the database: nothing personal.
        dump = json.dumps([
            list(row) for table in db.metadata.sorted_tables
            for row in db.session.execute(sa.select(table)).all()
        ], default=str, ensure_ascii=False).lower()
        for value in [PERSONAL["head_name"], PERSONAL["street"], PERSONAL["notes"], PERSONAL["member"], "+84935111222"]:
            # The second household (same head name) was not deleted; it holds the name, not the rest.
            if value == PERSONAL["head_name"]:
                assert dump.count(value.lower()) == 1
            else:
                assert value.lower() not in dump, value
