"""Yearly reviews: an officer's record of a household for a year, and the classification it gives.

A review can be saved as a draft at the household and finished later, then submitted; a
submitted review is final. A review sent from a phone carries a submission key: sent twice
(offline, then again when the signal returns), it is accepted once and the second sending gets
the first review back unchanged. If both arrive at the same moment, the unique key makes the
second commit fail: the caller rolls back and answers with `review_by_submission_key`.

The server decides the classification, with the standard in force for the review's year and
the household's area type; whatever the phone showed is not trusted. Functions flush, never
commit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.common.errors import RuleBroken
from app.common.i18n import current_language
from app.common.money import format_vnd
from app.common.timezone import utcnow
from app.extensions import db
from app.households import values as read
from app.households.access import log_access, require_household
from app.households.classification import classify, standard_for
from app.households.models import (
    AccessAction,
    AnnualReview,
    ReviewIndicator,
    ReviewState,
    SupportedHousehold,
)

# The causes of poverty a review may record, in the order the form lists them.
CAUSES = {
    "land": _l("Thiếu đất sản xuất"),
    "capital": _l("Thiếu vốn"),
    "labour": _l("Thiếu lao động"),
    "tools": _l("Thiếu công cụ, phương tiện sản xuất"),
    "knowledge": _l("Thiếu kiến thức sản xuất"),
    "skills": _l("Thiếu kỹ năng lao động"),
    "illness": _l("Ốm đau, bệnh nặng, tai nạn"),
    "other": _l("Nguyên nhân khác"),
}

# Income per person per month above which the figure is taken for a typing mistake.
ABSURD_INCOME_VND = 1_000_000_000


class InvalidReview(RuleBroken):
    pass


class UnknownIndicator(InvalidReview):
    field = "lacking"


class ReviewAlreadySubmitted(InvalidReview):
    """A submitted review is final; it is not changed by a later save."""


@dataclass
class ReviewValues:
    year: int | str
    reviewed_on: date
    income: int | str | None = None  # đồng per person per month, as typed or as a number
    lacking: Collection[str] = ()  # codes of the standard's indicators the household lacks
    causes: Collection[str] = ()
    b1_score: int | str | None = None
    b2_score: int | str | None = None
    submission_key: str | None = None


def review_by_submission_key(key: str | None) -> AnnualReview | None:
    if not key:
        return None
    return db.session.execute(
        sa.select(AnnualReview).where(AnnualReview.submission_key == key)
    ).scalar_one_or_none()


def _year(value) -> int:
    year = read.whole_number(value, "year")
    if year is None:
        raise InvalidReview(_l("Hãy chọn năm rà soát."), "year")
    return year


def _income(value, required: bool) -> int | None:
    income = read.amount(value, "income")
    if income is None:
        if required:
            raise InvalidReview(_l("Hãy nhập thu nhập bình quân đầu người mỗi tháng."), "income")
        return None
    if income > ABSURD_INCOME_VND:
        language = current_language()
        raise InvalidReview(
            _l(
                "Thu nhập %(income)s/người/tháng là quá lớn (tối đa %(limit)s): hãy kiểm tra lại số đã nhập.",
                income=format_vnd(income, language),
                limit=format_vnd(ABSURD_INCOME_VND, language),
            ),
            "income",
        )
    return income


def _score(value, field_name: str) -> int | None:
    score = read.whole_number(value, field_name)
    if score is not None and not 0 <= score <= 100:
        raise InvalidReview(_l("Điểm phải từ 0 đến 100."), field_name)
    return score


def _codes(codes: Collection[str] | str | None) -> list[str]:
    # One code sent alone is one code, not a string of letters to check one by one.
    return [codes] if isinstance(codes, str) else list(codes or ())


def _causes(codes: Collection[str]) -> list[str]:
    chosen = set()
    for code in _codes(codes):
        if code not in CAUSES:
            raise InvalidReview(_l("Không có nguyên nhân nghèo “%(code)s”.", code=str(code)[:40]), "causes")
        chosen.add(code)
    return [code for code in CAUSES if code in chosen]


def _submission_key(value) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not 8 <= len(value) <= 64:
        raise InvalidReview(_l("Mã gửi phiếu không hợp lệ."), "submission_key")
    return value


def save_review(actor, household: SupportedHousehold, values: ReviewValues, submit: bool) -> AnnualReview:
    """Save the household's review for the year as a draft, or submit it; return the review.

    A draft may still lack its income; submitting needs it. A review submitted before is
    refused ("đã nộp"), except when this is the same sending again (same submission key): then
    the review already received is returned unchanged.
    """
    household = require_household(actor, household.id, AccessAction.UPDATE)
    key = _submission_key(values.submission_key)
    earlier = review_by_submission_key(key)
    if earlier is not None:
        if earlier.household_id != household.id:
            raise InvalidReview(_l("Mã gửi phiếu này đã dùng cho một hộ khác."), "submission_key")
        return earlier

    year = _year(values.year)
    reviewed_on = read.day(values.reviewed_on, "reviewed_on")
    income = _income(values.income, required=submit)
    b1_score = _score(values.b1_score, "b1_score")
    b2_score = _score(values.b2_score, "b2_score")
    causes = _causes(values.causes)
    standard = standard_for(year, household.area_type)
    indicators = {indicator.code: indicator for indicator in standard.indicators}
    lacking = set()
    for code in _codes(values.lacking):
        if code not in indicators:
            raise UnknownIndicator(
                _l("Chuẩn nghèo %(period)s không có chỉ số “%(code)s”.", period=standard.years, code=str(code)[:40])
            )
        lacking.add(code)
    verdict = classify(standard, income, len(lacking)) if income is not None else None

    review = db.session.execute(
        sa.select(AnnualReview).where(AnnualReview.household_id == household.id, AnnualReview.year == year)
    ).scalar_one_or_none()
    if review is not None and review.state == ReviewState.SUBMITTED:
        raise ReviewAlreadySubmitted(
            _l("Phiếu rà soát năm %(year)d của hộ này đã nộp, không sửa được nữa.", year=year), "year"
        )
    action = AccessAction.UPDATE if review is not None else AccessAction.CREATE
    if review is None:
        review = AnnualReview(household=household, year=year)
        db.session.add(review)
    review.reviewed_on = reviewed_on
    review.reviewer_id = actor.id
    review.income_per_person_vnd = income
    review.b1_score = b1_score
    review.b2_score = b2_score
    review.causes = causes
    review.standard = standard
    review.classification = verdict.classification if verdict else None
    review.deprivation_count = len(lacking)
    if key is not None:
        review.submission_key = key
    _mark_indicators(review, indicators, lacking)
    if submit:
        review.state = ReviewState.SUBMITTED
        review.submitted_at = utcnow()
    else:
        review.state = ReviewState.DRAFT
    db.session.flush()

    written = ["annual_reviews.year", "annual_reviews.reviewed_on", "annual_reviews.deprivation_count",
               "annual_reviews.causes", "annual_reviews.state", "review_indicators.lacking"]
    written += [f"annual_reviews.{name}" for name in ("income_per_person_vnd", "classification", "b1_score",
                                                     "b2_score", "submitted_at") if getattr(review, name) is not None]
    log_access(actor, household, action, written)
    return review


def _mark_indicators(review: AnnualReview, indicators: dict, lacking: set[str]) -> None:
    """One row per indicator of the standard, lacking or not; rows of another standard go."""
    wanted = {indicator.id: code for code, indicator in indicators.items()}
    kept = []
    for row in review.indicators:
        if row.indicator_id in wanted:
            row.lacking = wanted[row.indicator_id] in lacking
            kept.append(row.indicator_id)
    review.indicators = [row for row in review.indicators if row.indicator_id in wanted]
    for indicator_id, code in wanted.items():
        if indicator_id not in kept:
            review.indicators.append(ReviewIndicator(indicator_id=indicator_id, lacking=code in lacking))
