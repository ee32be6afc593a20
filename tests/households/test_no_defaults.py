"""Choices that change how a household is classified or counted start on "— Chọn … —": the
officer answers them, a household sent without them is refused with every missing answer at once,
and editing shows the answers already stored."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.households.models import RecognisedStatus, SupportedHousehold, SupportRecord
from app.households.registry import create_household
from tests.households.factories import admin, household_values, officer
from tests.households.test_pages import household_form
from tests.sessions import sign_in


@pytest.fixture
def setting(app):
    with app.app_context():
        user, boss = officer(), admin()
        household = create_household(user, household_values(area_type="urban"))
        db.session.commit()
        return {"officer": user.id, "admin": boss.id, "household": household.id}


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no select {name}"
    return match.group(1)


def _chosen_option(page: str, name: str) -> str | None:
    """The value of the option the page marks as chosen, None when none is (the browser then shows the first)."""
    match = re.search(r'<option (?:selected value="([^"]*)"|value="([^"]*)" selected)', _select(page, name))
    return None if match is None else (match.group(1) or match.group(2))


def _first_option(page: str, name: str) -> str:
    return re.search(r'<option[^>]*value="([^"]*)"', _select(page, name)).group(1)


def _households(app) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count()).select_from(SupportedHousehold)).scalar_one()


def test_a_new_household_starts_with_nothing_chosen_for_the_officer(client, setting):
    sign_in(client, setting["officer"])
    page = client.get("/ho-ho-tro/moi").get_data(as_text=True)
    for name in ("area_type", "group_id", "commune_id"):
        assert _first_option(page, name) == "" and _chosen_option(page, name) in (None, ""), name
    assert "— Chọn khu vực —" in page and "— Chọn nhóm hộ —" in page


def test_a_household_without_area_type_is_refused_on_that_field_and_nothing_is_stored(app, client, setting):
    sign_in(client, setting["officer"])
    with app.app_context():
        form = household_form(area_type="")
    response = client.post("/ho-ho-tro/moi", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<select[^>]*aria-invalid="true"[^>]*name="area_type"|<select[^>]*name="area_type"[^>]*aria-invalid="true"',
                     page)
    assert 'id="area_type-error">Hãy chọn khu vực nông thôn hoặc thành thị.' in page
    assert '<a href="#area_type">' in page  # the summary at the top links to the box
    assert "Lê Văn Tám" in page  # what was typed comes back
    assert _households(app) == 1


def test_every_missing_answer_is_shown_on_one_submit(app, client, setting):
    sign_in(client, setting["officer"])
    with app.app_context():
        form = household_form(area_type="", group_id="", code="", commune_id="")
    page = client.post("/ho-ho-tro/moi", data=form).get_data(as_text=True)
    assert "Biểu mẫu còn 4 lỗi" in page
    for box in ("code", "commune_id", "area_type", "group_id"):
        assert f'<a href="#{box}">' in page, box
    assert _households(app) == 1


def test_a_household_posted_without_the_choices_at_all_gets_one_message_each(app, client, setting):
    sign_in(client, setting["officer"])
    with app.app_context():
        form = household_form()
    del form["area_type"], form["group_id"]
    page = client.post("/ho-ho-tro/moi", data=form).get_data(as_text=True)
    assert "Biểu mẫu còn 2 lỗi" in page and "Lựa chọn không hợp lệ" not in page


def test_editing_shows_the_stored_answers(client, setting):
    sign_in(client, setting["officer"])
    page = client.get(f"/ho-ho-tro/{setting['household']}/sua").get_data(as_text=True)
    assert _chosen_option(page, "area_type") == "urban"
    assert _chosen_option(page, "group_id") not in (None, "")


def test_the_status_and_support_forms_start_with_nothing_chosen(client, setting):
    sign_in(client, setting["officer"])
    page = client.get(f"/ho-ho-tro/{setting['household']}").get_data(as_text=True)
    for name in ("status", "kind"):
        assert _first_option(page, name) == "" and _chosen_option(page, name) in (None, ""), name
    assert re.search(r'<input[^>]*name="recognised_on"[^>]*value=""|<input(?![^>]*value=)[^>]*name="recognised_on"', page)


@pytest.mark.parametrize(
    ("path", "form", "message", "model"),
    [
        ("trang-thai", {"status": "", "recognised_on": "2026-01-05", "decision_number": "12/QĐ-UBND"},
         "Hãy chọn trạng thái được công nhận.", RecognisedStatus),
        ("trang-thai", {"status": "poor", "recognised_on": "", "decision_number": "12/QĐ-UBND"},
         "Hãy nhập ngày trên quyết định công nhận.", RecognisedStatus),
        ("ho-tro", {"kind": "", "given_on": "2026-03-01", "provider": "VNPT Huế", "value": ""},
         "Hãy chọn loại hỗ trợ.", SupportRecord),
    ],
)
def test_a_status_or_support_without_its_choice_is_refused(app, client, setting, path, form, message, model):
    sign_in(client, setting["officer"])
    response = client.post(f"/ho-ho-tro/{setting['household']}/{path}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and "Ngày không đúng dạng" not in page
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one() == 0
