"""What the database itself refuses, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.common.timezone import utcnow
from app.extensions import db
from app.households.models import (
    AnnualReview,
    ConsentKind,
    HouseholdMember,
    ProducerLink,
    RecognisedStatus,
    ReviewState,
    SupportedHousehold,
)
from tests.factories import ProducerFactory, commune
from tests.households.factories import OTHER_COMMUNE, HouseholdFactory


def _refused(row) -> None:
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(row)
        db.session.flush()


def _link(producer, household, **changes) -> ProducerLink:
    fields = dict(producer_id=producer.id, household_id=household.id, consent_kind=ConsentKind.PRODUCER_CONFIRMED,
                  consent_given_on=date(2026, 5, 1), purpose="Báo cáo doanh thu")
    fields.update(changes)
    return ProducerLink(**fields)


def test_one_active_link_per_producer_and_withdrawn_links_stay_as_history(app):
    with app.app_context():
        producer, household, other = ProducerFactory(), HouseholdFactory(), HouseholdFactory()
        first = _link(producer, household)
        db.session.add(first)
        db.session.flush()
        _refused(_link(producer, other))
        first.withdrawn_at = utcnow()
        db.session.flush()
        db.session.add(_link(producer, other))
        db.session.flush()
        second_producer = ProducerFactory()
        db.session.add(_link(second_producer, household))  # a household may have several producers
        db.session.flush()
        assert db.session.execute(sa.select(sa.func.count()).select_from(ProducerLink)).scalar_one() == 3


def test_a_paper_consent_needs_its_reference(app):
    with app.app_context():
        _refused(_link(ProducerFactory(), HouseholdFactory(), consent_kind=ConsentKind.PAPER, paper_reference=""))


def test_a_code_is_unique_within_a_commune(app):
    with app.app_context():
        HouseholdFactory(code="HT-1")
        _refused(SupportedHousehold(**_household_fields(code="HT-1")))
        db.session.add(SupportedHousehold(**_household_fields(code="HT-1", commune_id=commune(OTHER_COMMUNE).id)))
        db.session.flush()


def _household_fields(**changes) -> dict:
    factory = HouseholdFactory.build()
    fields = dict(code=factory.code, head_name="Lê Thị Hoa", head_name_key="le thi hoa",
                  province_id=factory.province.id, commune_id=factory.commune.id, area_type=factory.area_type,
                  group_id=factory.group.id)
    fields.update(changes)
    return fields


@pytest.mark.parametrize("year", [1899, 2101])
def test_a_birth_year_out_of_range_is_refused(app, year):
    with app.app_context():
        household = HouseholdFactory()
        _refused(HouseholdMember(household_id=household.id, name="Lê An", birth_year=year))


def test_support_cannot_end_before_it_is_recognised(app):
    with app.app_context():
        household = HouseholdFactory()
        _refused(RecognisedStatus(household_id=household.id, status="out_of_poverty", recognised_on=date(2026, 1, 1),
                                  support_until=date(2025, 12, 31)))


def test_a_submitted_review_has_its_income_and_verdict(app):
    with app.app_context():
        household = HouseholdFactory()
        standard_id = db.session.execute(sa.text("SELECT min(id) FROM poverty_standards")).scalar_one()
        _refused(AnnualReview(household_id=household.id, year=2026, reviewed_on=date(2026, 6, 1),
                              standard_id=standard_id, state=ReviewState.SUBMITTED, submitted_at=utcnow()))
        _refused(AnnualReview(household_id=household.id, year=2026, reviewed_on=date(2026, 6, 1),
                              standard_id=standard_id, income_per_person_vnd=-1))
