"""What the officers' pages show: a household with its records, a review form, and their labels."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.households.access import is_admin
from app.households.classification import AREA_LABELS, CLASSIFICATION_LABELS, classify
from app.households.duplicates import open_duplicates
from app.households.models import AccessAction, AnnualReview, Classification, PovertyStandard, ReviewState
from app.households.registry import READ_FIELDS
from app.households.reviews import CAUSES
from app.households.status import KEEPS_SUPPORT, STATUS_LABELS

REVIEW_FIELDS = (
    "annual_reviews.year", "annual_reviews.reviewed_on", "annual_reviews.income_per_person_vnd",
    "annual_reviews.classification", "annual_reviews.deprivation_count", "annual_reviews.causes",
    "annual_reviews.b1_score", "annual_reviews.b2_score", "annual_reviews.state", "review_indicators.lacking",
)
HOUSEHOLD_PAGE_FIELDS = READ_FIELDS + REVIEW_FIELDS + (
    "household_members.name", "household_members.birth_year", "household_members.relation",
    "recognised_statuses.status", "recognised_statuses.recognised_on", "recognised_statuses.decision_number",
    "recognised_statuses.support_until", "support_records.kind_id", "support_records.given_on",
    "support_records.provider", "support_records.value_vnd",
)

ACTION_LABELS = {
    AccessAction.READ: _l("Xem"),
    AccessAction.CREATE: _l("Tạo"),
    AccessAction.UPDATE: _l("Sửa"),
    AccessAction.DELETE: _l("Xoá"),
    AccessAction.EXPORT: _l("Xuất"),
    AccessAction.REFUSED: _l("Bị từ chối"),
}
STATE_LABELS = {ReviewState.DRAFT: _l("Nháp"), ReviewState.SUBMITTED: _l("Đã nộp")}
DUPLICATE_REASONS = {"name_and_village": _l("cùng tên chủ hộ và thôn"), "phone": _l("cùng số điện thoại")}


def labels() -> dict:
    return {
        "classification_labels": CLASSIFICATION_LABELS,
        "status_labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "state_labels": STATE_LABELS,
        "area_labels": AREA_LABELS,
        "cause_labels": CAUSES,
        "duplicate_reasons": DUPLICATE_REASONS,
        "classifications": list(Classification),
    }


def verdict_of(review: AnnualReview):
    """The server's classification of a review with an income, with the rule that decided it."""
    if review.income_per_person_vnd is None:
        return None
    return classify(review.standard, review.income_per_person_vnd, review.deprivation_count)


def household_page(user, household) -> dict:
    return {
        "household": household,
        "duplicates": open_duplicates(user, household),
        "reviews": [(review, verdict_of(review)) for review in sorted(household.reviews, key=lambda r: -r.year)],
        "statuses": list(reversed(household.statuses)),
        "keeps_support": KEEPS_SUPPORT,
        "support_records": list(reversed(household.support_records)),
        "is_admin": is_admin(user),
        **labels(),
    }


def review_page(household, year: int, standard: PovertyStandard, review: AnnualReview | None,
                lacking=None, causes=None) -> dict:
    """The review form's rows: the standard's indicators by dimension, and what is ticked."""
    if lacking is None:
        lacking = [row.indicator.code for row in review.indicators if row.lacking] if review else []
    if causes is None:
        causes = list(review.causes or []) if review else []
    dimensions: dict[str, list] = {}
    for indicator in standard.indicators:
        dimensions.setdefault(indicator.dimension_vi, []).append(indicator)
    years = db.session.execute(
        sa.select(PovertyStandard.first_year, PovertyStandard.last_year)
        .where(PovertyStandard.area_type == household.area_type)
    ).all()
    return {
        "household": household,
        "year": year,
        "standard": standard,
        "review": review,
        "verdict": verdict_of(review) if review is not None else None,
        "dimensions": dimensions,
        "lacking": set(lacking),
        "causes": set(causes),
        "other_years": sorted({y for first, last in years for y in range(first, last + 1)}),
        **labels(),
    }
