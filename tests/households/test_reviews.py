"""Yearly reviews: checked values, the server's classification, drafts, one review per sending."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.common.errors import RuleBroken
from app.extensions import db
from app.households.access import HouseholdNotFound
from app.households.classification import NoStandardForYear
from app.households.models import (
    AccessAction,
    AnnualReview,
    Classification,
    HouseholdAccessLog,
    ReviewIndicator,
    ReviewState,
)
from app.households.registry import create_household
from app.households.reviews import (
    ReviewAlreadySubmitted,
    ReviewValues,
    UnknownIndicator,
    review_by_submission_key,
    save_review,
)
from tests.households.factories import OTHER_COMMUNE, household_values, officer

# The dates below are judged against "today" (a review or support dated in the future is
# refused), so these tests set the day they were written for.
MID_2026 = datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def setting(app):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        yield user, household


def values(**changes) -> ReviewValues:
    fields = dict(year=2026, reviewed_on=date(2026, 6, 9), income="1.400.000",
                  lacking=["health_insurance", "housing_quality", "latrine", "telecom"], causes=["capital", "land"])
    fields.update(changes)
    return ReviewValues(**fields)


def _reviews() -> list[AnnualReview]:
    return db.session.execute(sa.select(AnnualReview)).scalars().all()


def test_a_submitted_review_is_classified_by_the_server(setting):
    user, household = setting
    review = save_review(user, household, values(b1_score="45", b2_score=30), submit=True)
    assert review.state == ReviewState.SUBMITTED and review.submitted_at is not None
    assert (review.income_per_person_vnd, review.deprivation_count) == (1_400_000, 4)
    assert review.classification == Classification.POOR
    assert review.standard.first_year == 2022
    assert (review.b1_score, review.b2_score) == (45, 30)
    assert review.causes == ["land", "capital"]  # the form's order, whatever order they came in
    assert len(review.indicators) == 12
    assert sorted(r.indicator.code for r in review.indicators if r.lacking) == [
        "health_insurance", "housing_quality", "latrine", "telecom",
    ]
    assert review.reviewer_id == user.id
    entry = db.session.execute(sa.select(HouseholdAccessLog).order_by(HouseholdAccessLog.id.desc())).scalars().first()
    assert entry.action == AccessAction.CREATE
    assert "annual_reviews.income_per_person_vnd" in entry.fields


def test_an_urban_household_in_2027_is_held_to_the_urban_ceiling_of_decree_351(setting):
    user, _ = setting
    household = create_household(user, household_values(code="HT-0009", area_type="urban", phone=""))
    review = save_review(user, household, values(year=2027, income=2_800_000, lacking=["employment", "nutrition"]), True)
    assert review.classification == Classification.NEAR_POOR
    assert review.standard.first_year == 2027 and review.standard.area_type.value == "urban"
    other = save_review(user, household, values(year=2026, income=2_800_001, lacking=[]), True)
    assert other.classification == Classification.AVERAGE


@pytest.mark.parametrize("income", [-1, "-1.500.000", "một triệu", "1,5tr", "1.500.000,50", 1.5, True, "1.000.000.001",
                                    1_000_000_001])
def test_negative_non_numeric_or_absurd_income_is_refused(setting, income):
    user, household = setting
    with pytest.raises(RuleBroken) as refused:
        save_review(user, household, values(income=income), submit=True)
    assert refused.value.field == "income"
    assert _reviews() == []


def test_an_income_at_the_absurd_limit_is_accepted_and_the_message_over_it_names_the_figure(setting):
    user, household = setting
    assert save_review(user, household, values(income=1_000_000_000), True).classification == Classification.ABOVE
    other = create_household(user, household_values(code="HT-0002", phone=""))
    with pytest.raises(RuleBroken) as refused:
        save_review(user, other, values(income="2.000.000.000"), True)
    assert "2.000.000.000" in str(refused.value.message)


def test_submitting_needs_the_income_a_draft_does_not(setting):
    user, household = setting
    with pytest.raises(RuleBroken) as refused:
        save_review(user, household, values(income=""), submit=True)
    assert refused.value.field == "income"
    draft = save_review(user, household, values(income=None), submit=False)
    assert (draft.state, draft.income_per_person_vnd, draft.classification) == (ReviewState.DRAFT, None, None)
    assert draft.deprivation_count == 4


def test_an_unknown_indicator_is_refused_by_name(setting):
    user, household = setting
    with pytest.raises(UnknownIndicator) as refused:
        save_review(user, household, values(lacking=["latrine", "waste_treatment"]), True)
    assert "waste_treatment" in str(refused.value.message)
    assert refused.value.field == "lacking"


@pytest.mark.parametrize("year", [2021, 2031])
def test_a_review_year_with_no_standard_is_refused(setting, year):
    user, household = setting
    with pytest.raises(NoStandardForYear) as refused:
        save_review(user, household, values(year=year), True)
    assert str(year) in str(refused.value.message)
    assert _reviews() == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"b1_score": 101}, "b1_score"),
    ({"b2_score": "-1"}, "b2_score"),
    ({"b1_score": "nhiều"}, "b1_score"),
    ({"causes": ["luck"]}, "causes"),
    ({"year": "năm nay"}, "year"),
    ({"reviewed_on": date(2026, 6, 11)}, "reviewed_on"),
    ({"reviewed_on": "2026-06-01"}, "reviewed_on"),
    ({"submission_key": "short"}, "submission_key"),
])
def test_other_bad_values_are_refused_on_their_field(setting, changes, field, clock):
    clock.set(MID_2026)
    user, household = setting
    with pytest.raises(RuleBroken) as refused:
        save_review(user, household, values(**changes), True)
    assert refused.value.field == field


def test_an_offline_review_sent_twice_gives_one_review(setting):
    user, household = setting
    key = "3f1c2a9e-phone-0001"
    first = save_review(user, household, values(submission_key=key), submit=True)
    db.session.commit()
    again = save_review(user, household, values(submission_key=key, income="9.000.000"), submit=True)
    assert again.id == first.id
    assert again.income_per_person_vnd == 1_400_000
    assert len(_reviews()) == 1
    assert review_by_submission_key(key).id == first.id


def test_a_submission_key_of_another_household_is_refused(setting):
    user, household = setting
    save_review(user, household, values(submission_key="3f1c2a9e-phone-0002"), True)
    other = create_household(user, household_values(code="HT-0002", phone=""))
    with pytest.raises(RuleBroken) as refused:
        save_review(user, other, values(submission_key="3f1c2a9e-phone-0002"), True)
    assert refused.value.field == "submission_key"


def test_a_draft_is_finished_later_and_a_submitted_review_no_longer_changes(setting):
    user, household = setting
    draft = save_review(user, household, values(income=None, lacking=["latrine"]), submit=False)
    again = save_review(user, household, values(income="1.600.000", lacking=["latrine", "telecom"]), submit=False)
    assert again.id == draft.id and again.state == ReviewState.DRAFT
    assert again.classification == Classification.AVERAGE and again.deprivation_count == 2
    submitted = save_review(user, household, values(income="1.500.000", lacking=["latrine", "telecom"]), submit=True)
    assert submitted.id == draft.id and submitted.classification == Classification.NEAR_POOR
    assert db.session.execute(sa.select(sa.func.count()).select_from(ReviewIndicator)).scalar_one() == 12
    with pytest.raises(ReviewAlreadySubmitted) as refused:
        save_review(user, household, values(income="900.000"), submit=False)
    assert "đã nộp" in str(refused.value.message)
    assert submitted.income_per_person_vnd == 1_500_000
    assert len(_reviews()) == 1


def test_an_officer_of_another_commune_cannot_review_the_household(setting):
    _user, household = setting
    outsider = officer(OTHER_COMMUNE)
    with pytest.raises(HouseholdNotFound):
        save_review(outsider, household, values(), True)
    assert _reviews() == []
    entry = db.session.execute(sa.select(HouseholdAccessLog).order_by(HouseholdAccessLog.id.desc())).scalars().first()
    assert (entry.actor_id, entry.action, entry.attempted) == (outsider.id, AccessAction.REFUSED, AccessAction.UPDATE)


def test_one_code_sent_alone_is_read_as_one_code(setting):
    user, household = setting
    review = save_review(user, household, values(lacking="latrine", causes="illness"), submit=True)
    assert (review.deprivation_count, review.causes) == (1, ["illness"])
