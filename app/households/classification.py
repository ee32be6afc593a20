"""The poverty classification: one rule, read from the standard in force, never from constants.

Within the poor income ceiling a household lacking at least the standard's deprivation threshold
of indicators is poor, one lacking fewer is near-poor; over it, a household within the average
living standard ceiling has an average living standard, and one over that is above. A period
whose average ceiling is not confirmed yet has none: a household over the poor ceiling is then
"above", and the explanation says the average ceiling is not set, rather than guessing one.

The verdict carries its explanation (which rule, which figures), in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l

from app.common.errors import RuleBroken
from app.common.i18n import current_language
from app.common.money import format_vnd
from app.extensions import db
from app.households.models import AreaType, Classification, PovertyStandard

AREA_LABELS = {AreaType.RURAL: _l("nông thôn"), AreaType.URBAN: _l("thành thị")}

CLASSIFICATION_LABELS = {
    Classification.POOR: _l("Hộ nghèo"),
    Classification.NEAR_POOR: _l("Hộ cận nghèo"),
    Classification.AVERAGE: _l("Hộ có mức sống trung bình"),
    Classification.ABOVE: _l("Trên mức sống trung bình"),
}


class NoStandardForYear(RuleBroken):
    field = "year"


def standard_for(year: int, area_type: AreaType) -> PovertyStandard:
    """The standard in force in year for the area type, or NoStandardForYear.

    Should two periods ever overlap, the one that began later wins: a new decree replaces the
    old one from its first year.
    """
    standard = db.session.execute(
        sa.select(PovertyStandard)
        .where(
            PovertyStandard.area_type == area_type,
            PovertyStandard.first_year <= year,
            PovertyStandard.last_year >= year,
        )
        .order_by(PovertyStandard.first_year.desc())
        .limit(1)
    ).scalar_one_or_none()
    if standard is None:
        raise NoStandardForYear(
            _l(
                "Chưa có chuẩn nghèo cho năm %(year)d (khu vực %(area)s). Quản trị viên cần thêm chuẩn "
                "của giai đoạn này trước khi rà soát.",
                year=year,
                area=AREA_LABELS[area_type],
            )
        )
    return standard


@dataclass(frozen=True)
class Verdict:
    classification: Classification
    rule_text: str  # a lazy string: worded when shown, in the reader's language
    figures: dict = field(default_factory=dict)

    @property
    def label(self):
        return CLASSIFICATION_LABELS[self.classification]


def classify(standard: PovertyStandard, income_per_person_vnd: int, lacking_count: int) -> Verdict:
    """Classify a household by its monthly income per person and the number of indicators it lacks."""
    if income_per_person_vnd < 0 or lacking_count < 0:
        raise ValueError("income and the number of indicators lacking cannot be negative")
    poor_ceiling = standard.poor_income_ceiling_vnd
    average_ceiling = standard.average_income_ceiling_vnd
    threshold = standard.deprivation_threshold
    if income_per_person_vnd <= poor_ceiling:
        classification = Classification.POOR if lacking_count >= threshold else Classification.NEAR_POOR
    elif average_ceiling is not None and income_per_person_vnd <= average_ceiling:
        classification = Classification.AVERAGE
    else:
        classification = Classification.ABOVE
    figures = {
        "income_per_person_vnd": income_per_person_vnd,
        "lacking_count": lacking_count,
        "poor_income_ceiling_vnd": poor_ceiling,
        "average_income_ceiling_vnd": average_ceiling,
        "deprivation_threshold": threshold,
        "area_type": standard.area_type.value,
        "years": standard.years,
    }
    return Verdict(classification, LazyString(explain, classification, figures), figures)


def _money(amount: int) -> LazyString:
    return LazyString(lambda: format_vnd(amount, current_language()))


def explain(classification: Classification, figures: dict) -> str:
    """Which rule and which figures decided the classification, worded in the current language."""
    words = {
        "income": _money(figures["income_per_person_vnd"]),
        "poor_ceiling": _money(figures["poor_income_ceiling_vnd"]),
        "area": AREA_LABELS[AreaType(figures["area_type"])],
        "years": figures["years"],
        "lacking": figures["lacking_count"],
        "threshold": figures["deprivation_threshold"],
    }
    average = figures["average_income_ceiling_vnd"]
    if average is not None:
        words["average_ceiling"] = _money(average)
    if classification == Classification.POOR:
        return gettext(
            "Thu nhập %(income)s/người/tháng ≤ %(poor_ceiling)s (%(area)s, %(years)s) và thiếu %(lacking)d "
            "chỉ số ≥ %(threshold)d: hộ nghèo.",
            **words,
        )
    if classification == Classification.NEAR_POOR:
        return gettext(
            "Thu nhập %(income)s/người/tháng ≤ %(poor_ceiling)s (%(area)s, %(years)s) và thiếu %(lacking)d "
            "chỉ số < %(threshold)d: hộ cận nghèo.",
            **words,
        )
    if classification == Classification.AVERAGE:
        return gettext(
            "Thu nhập %(income)s/người/tháng > %(poor_ceiling)s và ≤ %(average_ceiling)s (%(area)s, %(years)s): "
            "hộ có mức sống trung bình.",
            **words,
        )
    if average is None:
        return gettext(
            "Thu nhập %(income)s/người/tháng > %(poor_ceiling)s (%(area)s, %(years)s): không thuộc hộ nghèo "
            "hay cận nghèo. Chuẩn hộ có mức sống trung bình của giai đoạn này chưa được đặt, nên chưa xếp "
            "được vào mức trung bình.",
            **words,
        )
    return gettext(
        "Thu nhập %(income)s/người/tháng > %(average_ceiling)s (%(area)s, %(years)s): trên mức sống trung bình.",
        **words,
    )
