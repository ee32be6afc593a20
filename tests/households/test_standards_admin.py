"""Poverty standards as data: an admin adds the next period in the site; bad figures, overlapping
periods and changes to a standard already used are refused, with nothing saved."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.common.audit import AuditEntry
from app.extensions import db
from app.households.classification import NoStandardForYear
from app.households.models import AreaType, Classification, PovertyStandard, StandardIndicator
from app.households.registry import create_household
from app.households.reviews import ReviewValues, save_review
from tests.households.factories import admin, household_values, officer
from tests.sessions import sign_in

BASE = "/ho-ho-tro/chuan-ngheo"




@pytest.fixture
def people(app):
    with app.app_context():
        user, boss = officer(), admin()
        db.session.commit()
        return {"officer": user.id, "admin": boss.id}


def new_period(**changes) -> dict:
    """What an admin types for 2031–2035, rural and urban, with three indicators and a blank row."""
    form = {
        "period": "2031–2035 (Nghị định 99/2030/NĐ-CP)", "decree": "Nghị định 99/2030/NĐ-CP",
        "area_types": ["rural", "urban"], "first_year": "2031", "last_year": "2035",
        "poor_ceiling": "3.000.000", "average_ceiling": "", "threshold": "2",
    }
    rows = [("health_insurance", "Y tế", "Health", "Bảo hiểm y tế", "Health insurance"),
            ("latrine", "Nhà ở", "Housing", "Nhà tiêu hợp vệ sinh", "Hygienic latrine"),
            ("internet", "Thông tin", "Information", "Sử dụng Internet", "Internet use"),
            ("", "", "", "", "")]
    for index, row in enumerate(rows):
        for name, value in zip(("code", "dimension_vi", "dimension_en", "name_vi", "name_en"), row, strict=True):
            form[f"indicators-{index}-{name}"] = value
    form.update(changes)
    return form


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def test_an_admin_adds_a_period_and_reviews_for_it_are_classified_with_it(app, client, people):
    with app.app_context():
        worker = db.session.get(User, people["officer"])
        household = create_household(worker, household_values())
        with pytest.raises(NoStandardForYear):
            save_review(worker, household, ReviewValues(year=2031, reviewed_on=date(2026, 6, 9), income="2.900.000"),
                        submit=True)
        db.session.rollback()
    sign_in(client, people["admin"])
    page = client.get(f"{BASE}/moi").get_data(as_text=True)
    assert 'value="2031"' in page and "health_insurance" in page  # prefilled from the latest standard
    assert page.count('inputmode="numeric"') >= 5
    assert client.post(f"{BASE}/moi", data=new_period()).status_code == 303
    listing = client.get(f"{BASE}/").get_data(as_text=True)
    assert "2031–2035" in listing and "3.000.000" in listing and "2022–2035" in listing
    with app.app_context():
        added = db.session.execute(sa.select(PovertyStandard).where(PovertyStandard.first_year == 2031)).scalars().all()
        assert {s.area_type for s in added} == {AreaType.RURAL, AreaType.URBAN}
        assert [i.code for i in added[0].indicators] == ["health_insurance", "latrine", "internet"]
        assert count(app, AuditEntry, AuditEntry.action == "poverty_standard.created") == 2
        worker = db.session.get(User, people["officer"])
        household = create_household(worker, household_values(code="HT-0002", head_name="Trần Văn Bình"))
        review = save_review(worker, household, ReviewValues(
            year=2031, reviewed_on=date(2026, 6, 9), income="2.900.000", lacking=["latrine", "internet"],
        ), submit=True)
        assert review.standard.first_year == 2031
        assert review.classification == Classification.POOR  # 2.9 M ≤ 3 M and 2 lacking ≥ threshold 2


def test_an_overlapping_period_is_refused_naming_the_one_it_overlaps(app, client, people):
    sign_in(client, people["admin"])
    response = client.post(f"{BASE}/moi", data=new_period(first_year="2030", area_types=["urban"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2027–2030 (Nghị định 351/2025/NĐ-CP)" in page and 'aria-invalid="true"' in page
    assert 'value="2031–2035 (Nghị định 99/2030/NĐ-CP)"' in page  # what was typed is kept
    assert count(app, PovertyStandard, PovertyStandard.last_year == 2035) == 0


@pytest.mark.parametrize(("changes", "message"), [
    ({"poor_ceiling": "0"}, "lớn hơn 0"),
    ({"poor_ceiling": "2.500.000,5"}, "số đồng nguyên"),
    ({"average_ceiling": "2.000.000"}, "cao hơn chuẩn nghèo"),
    ({"threshold": "4"}, "từ 1 đến 3"),
    ({"threshold": "0"}, "từ 1 đến 3"),
    ({"first_year": "2036"}, "Năm cuối không được trước năm đầu"),
    ({"last_year": "2101"}, "từ 2000 đến 2100"),
    ({"indicators-3-code": "latrine", "indicators-3-dimension_vi": "Nhà ở", "indicators-3-name_vi": "Lặp"},
     "đã dùng ở một dòng khác"),
    ({"indicators-0-code": "Bảo hiểm"}, "chữ thường không dấu"),
    ({"area_types": []}, "khu vực áp dụng"),
    ({f"indicators-{i}-drop": "y" for i in range(3)}, "ít nhất một chỉ số"),
])
def test_bad_figures_are_refused_and_nothing_is_saved(app, client, people, changes, message):
    sign_in(client, people["admin"])
    response = client.post(f"{BASE}/moi", data=new_period(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, PovertyStandard, PovertyStandard.first_year >= 2031) == 0
    assert count(app, AuditEntry, AuditEntry.action == "poverty_standard.created") == 0


def test_a_dropped_indicator_is_left_out_and_a_standard_not_used_can_be_corrected(app, client, people):
    sign_in(client, people["admin"])
    response = client.post(f"{BASE}/moi", data=new_period(**{"indicators-2-drop": "y", "area_types": ["rural"]}))
    assert response.status_code == 303
    with app.app_context():
        standard = db.session.execute(sa.select(PovertyStandard).filter_by(first_year=2031)).scalar_one()
        assert [i.code for i in standard.indicators] == ["health_insurance", "latrine"]
        standard_id = standard.id
    assert client.get(f"{BASE}/{standard_id}/sua").status_code == 200
    response = client.post(f"{BASE}/{standard_id}/sua", data=new_period(poor_ceiling="3.100.000",
                                                                       average_ceiling="4.000.000"))
    assert response.status_code == 303
    with app.app_context():
        standard = db.session.get(PovertyStandard, standard_id)
        assert (standard.poor_income_ceiling_vnd, standard.average_income_ceiling_vnd) == (3_100_000, 4_000_000)
        assert standard.area_type == AreaType.RURAL and len(standard.indicators) == 3
        assert count(app, AuditEntry, AuditEntry.action == "poverty_standard.updated") == 1


def test_a_standard_a_review_uses_cannot_be_changed(app, client, people):
    with app.app_context():
        worker = db.session.get(User, people["officer"])
        household = create_household(worker, household_values())
        review = save_review(worker, household, ReviewValues(year=2026, reviewed_on=date(2026, 6, 9)), submit=False)
        standard_id, ceiling = review.standard_id, review.standard.poor_income_ceiling_vnd
        indicators = count(app, StandardIndicator, StandardIndicator.standard_id == standard_id)
        db.session.commit()
    sign_in(client, people["admin"])
    page = client.get(f"{BASE}/{standard_id}/sua").get_data(as_text=True)
    assert "chỉ xem, không sửa được" in page and "Lưu chuẩn nghèo" not in page
    form = new_period(first_year="2022", last_year="2026", poor_ceiling="1.000.000")
    response = client.post(f"{BASE}/{standard_id}/sua", data=form)
    assert response.status_code == 400 and "không sửa được nữa" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PovertyStandard, standard_id).poor_income_ceiling_vnd == ceiling
    assert count(app, StandardIndicator, StandardIndicator.standard_id == standard_id) == indicators


def test_officers_and_others_cannot_reach_the_standards(app, client, people):
    sign_in(client, people["admin"])
    assert f'href="{BASE}/"' in client.get("/ho-ho-tro/").get_data(as_text=True)
    sign_in(client, people["officer"])
    assert f'href="{BASE}/"' not in client.get("/ho-ho-tro/").get_data(as_text=True)
    assert client.get(f"{BASE}/").status_code == 403
    assert client.post(f"{BASE}/moi", data=new_period()).status_code == 403
    assert count(app, PovertyStandard, PovertyStandard.first_year >= 2031) == 0
    client.delete_cookie("session")
    assert client.get(f"{BASE}/").status_code == 302
