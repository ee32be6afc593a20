"""The classification against the decrees' table, at and just around each ceiling and count."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.households.classification import NoStandardForYear, classify, standard_for
from app.households.models import AreaType, Classification, PovertyStandard

RURAL, URBAN = AreaType.RURAL, AreaType.URBAN
POOR, NEAR, AVERAGE, ABOVE = (
    Classification.POOR, Classification.NEAR_POOR, Classification.AVERAGE, Classification.ABOVE,
)

TABLE = [
    # 2022–2026 rural: poor and near-poor ≤ 1,500,000; average ≤ 2,250,000; poor lacks ≥ 3
    (2026, RURAL, 1_500_000, 3, POOR),
    (2026, RURAL, 1_499_999, 3, POOR),
    (2026, RURAL, 1_500_000, 2, NEAR),
    (2026, RURAL, 1_500_000, 12, POOR),
    (2026, RURAL, 0, 0, NEAR),
    (2026, RURAL, 1_500_001, 3, AVERAGE),
    (2026, RURAL, 1_500_001, 12, AVERAGE),
    (2026, RURAL, 2_250_000, 0, AVERAGE),
    (2026, RURAL, 2_250_001, 0, ABOVE),
    (2026, RURAL, 2_250_001, 12, ABOVE),
    (2022, RURAL, 1_500_000, 3, POOR),
    # 2022–2026 urban: ≤ 2,000,000; average ≤ 3,000,000
    (2026, URBAN, 1_500_001, 3, POOR),
    (2026, URBAN, 2_000_000, 3, POOR),
    (2026, URBAN, 2_000_000, 2, NEAR),
    (2026, URBAN, 2_000_001, 3, AVERAGE),
    (2026, URBAN, 3_000_000, 0, AVERAGE),
    (2026, URBAN, 3_000_001, 0, ABOVE),
    # 2027–2030 rural: ≤ 2,200,000; the average ceiling is not confirmed, so there is no "average"
    (2027, RURAL, 1_500_001, 3, POOR),
    (2027, RURAL, 2_200_000, 3, POOR),
    (2027, RURAL, 2_200_000, 2, NEAR),
    (2027, RURAL, 2_199_999, 4, POOR),
    (2027, RURAL, 2_200_001, 3, ABOVE),
    (2027, RURAL, 2_250_000, 0, ABOVE),
    # 2027–2030 urban: ≤ 2,800,000
    (2027, URBAN, 2_000_001, 3, POOR),
    (2027, URBAN, 2_800_000, 3, POOR),
    (2027, URBAN, 2_800_000, 2, NEAR),
    (2027, URBAN, 2_800_001, 3, ABOVE),
    (2027, URBAN, 3_000_000, 0, ABOVE),
    (2030, URBAN, 2_800_000, 3, POOR),
]


@pytest.mark.parametrize(("year", "area", "income", "lacking", "expected"), TABLE)
def test_classification_follows_the_decrees(app, year, area, income, lacking, expected):
    with app.app_context():
        verdict = classify(standard_for(year, area), income, lacking)
    assert verdict.classification == expected
    assert verdict.figures["income_per_person_vnd"] == income
    assert verdict.figures["lacking_count"] == lacking


@pytest.mark.parametrize("year", [2021, 2031, 1990])
def test_a_year_no_standard_covers_is_refused_with_a_clear_message(app, year):
    with app.app_context(), pytest.raises(NoStandardForYear) as refused:
        standard_for(year, RURAL)
    assert f"Chưa có chuẩn nghèo cho năm {year}" in str(refused.value.message)
    assert refused.value.field == "year"


def test_the_rule_text_says_which_rule_and_figures_decided(app):
    with app.app_context():
        rural_2026 = standard_for(2026, RURAL)
        poor = classify(rural_2026, 1_400_000, 4)
        near = classify(rural_2026, 1_500_000, 2)
        average = classify(rural_2026, 2_000_000, 5)
        above = classify(rural_2026, 2_250_001, 0)
        unset = classify(standard_for(2027, URBAN), 2_800_001, 3)
        texts = {name: str(v.rule_text) for name, v in
                 {"poor": poor, "near": near, "average": average, "above": above, "unset": unset}.items()}
        with force_locale("en"):
            english = str(poor.rule_text)
    nbsp = "\xa0"
    assert texts["poor"] == (
        f"Thu nhập 1.400.000{nbsp}₫/người/tháng ≤ 1.500.000{nbsp}₫ (nông thôn, 2022–2026) và thiếu 4 chỉ số ≥ 3: hộ nghèo."
    )
    assert "thiếu 2 chỉ số < 3: hộ cận nghèo" in texts["near"]
    assert f"> 1.500.000{nbsp}₫ và ≤ 2.250.000{nbsp}₫" in texts["average"]
    assert f"> 2.250.000{nbsp}₫ (nông thôn, 2022–2026): trên mức sống trung bình" in texts["above"]
    assert "(thành thị, 2027–2030)" in texts["unset"]
    assert "chưa được đặt" in texts["unset"]
    assert "₫1,400,000" in english and "₫1,500,000" in english and "poor household" in english


def test_standards_are_data_a_new_period_needs_no_code(app):
    """An admin adds 2031–2035; reviews for 2031 then find it."""
    with app.app_context():
        db.session.add(PovertyStandard(
            period="2031–2035", first_year=2031, last_year=2035, area_type=RURAL,
            poor_income_ceiling_vnd=3_000_000, average_income_ceiling_vnd=None, deprivation_threshold=4,
        ))
        db.session.flush()
        standard = standard_for(2031, RURAL)
        assert classify(standard, 3_000_000, 3).classification == NEAR
        assert classify(standard, 3_000_000, 4).classification == POOR
        with pytest.raises(NoStandardForYear):
            standard_for(2031, URBAN)


def test_negative_figures_are_a_programming_error_not_a_household(app):
    with app.app_context():
        standard = standard_for(2026, RURAL)
        with pytest.raises(ValueError):
            classify(standard, -1, 0)
        with pytest.raises(ValueError):
            classify(standard, 0, -1)
