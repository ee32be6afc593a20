"""The officers' pages through HTTP: create, edit, read, review, status, support; bad input refused."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.households.models import (
    AccessAction,
    AnnualReview,
    Classification,
    HouseholdAccessLog,
    RecognisedStatus,
    ReviewState,
    SupportedHousehold,
    SupportRecord,
)
from app.households.registry import create_household
from tests.factories import commune
from tests.households.factories import OTHER_COMMUNE, admin, group, household_values, officer
from tests.sessions import sign_in

# Dates in the forms below are judged against "today" (support dated in the future is refused).
MID_2026 = datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def setting(app):
    with app.app_context():
        user, stranger, boss = officer(), officer(OTHER_COMMUNE), admin()
        household = create_household(user, household_values())
        db.session.commit()
        return {"officer": user.id, "stranger": stranger.id, "admin": boss.id, "household": household.id}


def household_form(**changes):
    with_place = commune("phuong-huong-tra")
    form = {
        "code": "HT-0100", "head_name": "Lê Văn Tám", "province_id": str(with_place.province_id),
        "commune_id": str(with_place.id), "village": "Thôn Quang Lộc", "street": "", "old_district": "",
        "area_type": "rural", "phone": "0987 654 321", "group_id": str(group().id), "notes": "",
        "members-0-name": "Lê Thị Hoa", "members-0-birth_year": "1990", "members-0-relation": "vợ",
        "members-1-name": "", "members-1-birth_year": "", "members-1-relation": "",
    }
    form.update(changes)
    return form


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def test_an_officer_creates_edits_and_reads_a_household(app, client, setting):
    sign_in(client, setting["officer"])
    assert client.get("/ho-ho-tro/moi").status_code == 200
    with app.app_context():
        form = household_form()
    response = client.post("/ho-ho-tro/moi", data=form)
    assert response.status_code == 303
    with app.app_context():
        household = db.session.execute(sa.select(SupportedHousehold).filter_by(code="HT-0100")).scalar_one()
        assert [m.name for m in household.members] == ["Lê Thị Hoa"]
        new_id = household.id
    page = client.get(f"/ho-ho-tro/{new_id}").get_data(as_text=True)
    assert "Lê Văn Tám" in page and "Lê Thị Hoa" in page
    assert client.get(f"/ho-ho-tro/{new_id}/sua").status_code == 200
    with app.app_context():
        form = household_form(head_name="Lê Văn Tâm")
    assert client.post(f"/ho-ho-tro/{new_id}/sua", data=form).status_code == 303
    with app.app_context():
        assert db.session.get(SupportedHousehold, new_id).head_name == "Lê Văn Tâm"
        actions = db.session.execute(
            sa.select(HouseholdAccessLog.action).where(HouseholdAccessLog.household_id == new_id)
        ).scalars().all()
        assert {AccessAction.CREATE, AccessAction.READ, AccessAction.UPDATE} <= set(actions)


def test_a_likely_duplicate_is_shown_not_merged(app, client, setting):
    sign_in(client, setting["officer"])
    with app.app_context():
        form = household_form(code="HT-0200", head_name="Hồ Thị Mai", phone="")
    response = client.post("/ho-ho-tro/moi", data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Có thể trùng với" in page and "HT-0001" in page
    assert count(app, SupportedHousehold) == 2


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"code": ""}, "Hãy nhập mã hộ"),
        ({"code": "HT-0001"}, "đã có ở xã/phường này"),
        ({"phone": "12345"}, "10 chữ số"),
        ({"members-0-birth_year": "1800"}, "Năm sinh phải từ 1900"),
    ],
)
def test_bad_household_input_is_refused_and_kept(app, client, setting, changes, field_text):
    sign_in(client, setting["officer"])
    with app.app_context():
        form = household_form(**changes)
    response = client.post("/ho-ho-tro/moi", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_text in page and "Lê Văn Tám" in page and 'aria-invalid="true"' in page
    assert count(app, SupportedHousehold) == 1


def test_an_officer_cannot_place_a_household_in_a_commune_not_covered(app, client, setting):
    sign_in(client, setting["officer"])
    with app.app_context():
        other = commune(OTHER_COMMUNE)
        form = household_form(commune_id=str(other.id), province_id=str(other.province_id))
    assert client.post("/ho-ho-tro/moi", data=form).status_code == 400
    assert count(app, SupportedHousehold) == 1


def review_form(**changes):
    form = {"reviewed_on": "2026-06-09", "income": "1.400.000", "lacking": ["health_insurance", "latrine", "telecom"],
            "causes": ["capital"], "b1_score": "40", "b2_score": "", "submission_key": "khoa-gui-0001-abcdef",
            "action": "submit"}
    form.update(changes)
    return form


def test_a_review_is_saved_classified_by_the_server_and_shown_with_its_rule(app, client, setting):
    sign_in(client, setting["officer"])
    hid = setting["household"]
    page = client.get(f"/ho-ho-tro/{hid}/ra-soat/2026").get_data(as_text=True)
    assert 'name="submission_key"' in page and 'inputmode="numeric"' in page and "review.js" in page
    response = client.post(f"/ho-ho-tro/{hid}/ra-soat/2026", data=review_form())
    assert response.status_code == 303
    with app.app_context():
        review = db.session.execute(sa.select(AnnualReview)).scalar_one()
        assert (review.classification, review.state) == (Classification.POOR, ReviewState.SUBMITTED)
    page = client.get(f"/ho-ho-tro/{hid}").get_data(as_text=True)
    assert "thiếu 3 chỉ số ≥ 3: hộ nghèo" in page


def test_a_draft_is_finished_later(app, client, setting):
    sign_in(client, setting["officer"])
    hid = setting["household"]
    draft = review_form(income="", action="draft", submission_key="khoa-nhap-0001-abc")
    assert client.post(f"/ho-ho-tro/{hid}/ra-soat/2026", data=draft).status_code == 303
    assert "health_insurance\" checked" in client.get(f"/ho-ho-tro/{hid}/ra-soat/2026").get_data(as_text=True)
    assert client.post(f"/ho-ho-tro/{hid}/ra-soat/2026", data=review_form()).status_code == 303
    with app.app_context():
        review = db.session.execute(sa.select(AnnualReview)).scalar_one()
        assert review.state == ReviewState.SUBMITTED


def test_a_review_sent_twice_makes_one_review(app, client, setting):
    sign_in(client, setting["officer"])
    hid = setting["household"]
    first = client.post(f"/ho-ho-tro/{hid}/ra-soat/2026", data=review_form())
    again = client.post(f"/ho-ho-tro/{hid}/ra-soat/2026", data=review_form())
    assert first.status_code == again.status_code == 303
    assert count(app, AnnualReview) == 1


@pytest.mark.parametrize(
    ("year", "changes", "message"),
    [
        (2031, {}, "Chưa có chuẩn nghèo cho năm 2031"),
        (2026, {"income": "-5"}, "không thể âm"),
        (2026, {"income": "nhiều lắm"}, "số đồng nguyên"),
        (2026, {"income": "5.000.000.000"}, "quá lớn"),
        (2026, {"lacking": ["waste"]}, "không có chỉ số"),
    ],
)
def test_bad_review_input_is_refused_and_nothing_saved(app, client, setting, year, changes, message):
    sign_in(client, setting["officer"])
    response = client.post(f"/ho-ho-tro/{setting['household']}/ra-soat/{year}", data=review_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, AnnualReview) == 0


def test_status_and_support_are_recorded(app, client, setting):
    sign_in(client, setting["officer"])
    hid = setting["household"]
    status = {"status": "poor", "recognised_on": "2026-01-05", "decision_number": "12/QĐ-UBND"}
    assert client.post(f"/ho-ho-tro/{hid}/trang-thai", data=status).status_code == 303
    out = {"status": "out_of_poverty", "recognised_on": "2026-05-05", "decision_number": "30/QĐ-UBND"}
    assert client.post(f"/ho-ho-tro/{hid}/trang-thai", data=out).status_code == 303
    support = {"kind": "telecom", "given_on": "2026-03-01", "provider": "VNPT Huế", "value": "1.200.000"}
    assert client.post(f"/ho-ho-tro/{hid}/ho-tro", data=support).status_code == 303
    page = client.get(f"/ho-ho-tro/{hid}").get_data(as_text=True)
    assert "30/QĐ-UBND" in page and "VNPT Huế" in page
    with app.app_context():
        latest = db.session.execute(sa.select(RecognisedStatus).order_by(RecognisedStatus.id.desc())).scalars().first()
        assert latest.support_until is not None and latest.support_until.year == 2029


@pytest.mark.parametrize(
    ("path", "form", "message"),
    [
        ("trang-thai", {"status": "out_of_poverty", "recognised_on": "2026-01-05", "decision_number": "1"},
         "trạng thái đầu tiên"),
        ("trang-thai", {"status": "poor", "recognised_on": "2026-01-05", "decision_number": ""}, "số quyết định"),
        ("ho-tro", {"kind": "telecom", "given_on": "2026-03-01", "value": "-3"}, "không thể âm"),
        ("ho-tro", {"kind": "telecom", "given_on": "2027-03-01", "value": ""}, "chưa tới"),
    ],
)
def test_bad_status_or_support_is_refused(app, client, setting, path, form, message, clock):
    clock.set(MID_2026)  # "2027-03-01" above must still be to come
    sign_in(client, setting["officer"])
    response = client.post(f"/ho-ho-tro/{setting['household']}/{path}", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, RecognisedStatus) == 0 and count(app, SupportRecord) == 0


def test_the_list_is_searched_and_filtered_in_a_fixed_number_of_queries(app, client, setting, count_queries):
    sign_in(client, setting["officer"])
    assert "HT-0001" in client.get("/ho-ho-tro/?q=ho thi mai").get_data(as_text=True)
    assert "HT-0001" not in client.get("/ho-ho-tro/?q=khong-co").get_data(as_text=True)
    assert "HT-0001" not in client.get("/ho-ho-tro/?xep-loai=poor").get_data(as_text=True)
    with count_queries() as few:
        client.get("/ho-ho-tro/")
    with app.app_context():
        user = db.session.get(User, setting["officer"])
        for n in range(8):
            create_household(user, household_values(code=f"HT-09{n}", phone=""))
        db.session.commit()
    with count_queries() as many:
        page = client.get("/ho-ho-tro/").get_data(as_text=True)
    assert "HT-097" in page
    assert len(many) == len(few)
    sign_in(client, setting["stranger"])
    assert "HT-0001" not in client.get("/ho-ho-tro/").get_data(as_text=True)


def test_an_admin_deletes_on_request_after_confirming(app, client, setting):
    sign_in(client, setting["admin"])
    hid = setting["household"]
    assert "Xoá theo yêu cầu" in client.get(f"/ho-ho-tro/{hid}").get_data(as_text=True)
    assert client.get(f"/ho-ho-tro/{hid}/xoa").status_code == 200
    assert client.post(f"/ho-ho-tro/{hid}/xoa", data={}).status_code == 400
    assert count(app, SupportedHousehold) == 1
    assert client.post(f"/ho-ho-tro/{hid}/xoa", data={"confirm": "y"}).status_code == 303
    assert count(app, SupportedHousehold) == 0
    assert count(app, HouseholdAccessLog, HouseholdAccessLog.action == AccessAction.DELETE) == 1
    log = client.get("/ho-ho-tro/nhat-ky").get_data(as_text=True)
    assert "household_members.name" in log or "head_name" in log
