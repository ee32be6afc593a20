"""The registry: households made and changed by officers in their communes, duplicates flagged, statuses, support."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.common.errors import NotAllowed, RuleBroken
from app.extensions import db
from app.households import registry
from app.households.access import HouseholdNotFound
from app.households.models import (
    AccessAction,
    AreaType,
    HouseholdAccessLog,
    HouseholdStatus,
    SupportedHousehold,
)
from app.households.registry import (
    CommuneNotCovered,
    DuplicateHouseholdCode,
    MemberValues,
    create_household,
    likely_duplicates,
    update_household,
)
from app.households.status import StatusChangeNotAllowed, StatusOutOfOrder, add_months
from tests.factories import UserFactory
from tests.households.factories import OTHER_COMMUNE, admin, household_values, officer

# The dates below are judged against "today" (a review or support dated in the future is
# refused), so these tests set the day they were written for.
MID_2026 = datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

S = HouseholdStatus


def _entries() -> list[HouseholdAccessLog]:
    return db.session.execute(sa.select(HouseholdAccessLog).order_by(HouseholdAccessLog.id)).scalars().all()


def test_an_officer_registers_a_household_in_their_commune(app):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values(
            head_name="  Hồ  Thị Mai ", members=[MemberValues("Lê Văn An", "2010", "con")],
        ))
        assert household.head_name == "Hồ Thị Mai"
        assert household.head_name_key == "ho thi mai"
        assert household.phone == "+84912345678"
        assert household.area_type == AreaType.RURAL
        assert household.created_by_id == user.id
        assert [(m.name, m.birth_year, m.relation) for m in household.members] == [("Lê Văn An", 2010, "con")]
        [entry] = _entries()
        assert entry.action == AccessAction.CREATE and entry.household_id == household.id
        assert {"code", "head_name", "phone", "street", "notes", "household_members.name"} <= set(entry.fields)


def test_a_household_code_is_unique_within_its_commune_only(app):
    with app.app_context():
        create_household(admin(), household_values(code="HT-0001"))
        with pytest.raises(DuplicateHouseholdCode) as refused:
            create_household(officer(), household_values(code="HT-0001", head_name="Người khác"))
        assert refused.value.field == "code"
        assert "HT-0001" in str(refused.value.message)
        elsewhere = create_household(officer(OTHER_COMMUNE), household_values(code="HT-0001", commune=OTHER_COMMUNE))
        assert elsewhere.id is not None


def test_changing_a_code_to_one_taken_in_the_commune_is_refused(app):
    with app.app_context():
        user = officer()
        create_household(user, household_values(code="HT-0001"))
        second = create_household(user, household_values(code="HT-0002", head_name="Trần Văn Bình", phone=""))
        with pytest.raises(DuplicateHouseholdCode):
            update_household(user, second, household_values(code="HT-0001", head_name="Trần Văn Bình", phone=""))
        # Saving a household with its own code is not a duplicate of itself.
        update_household(user, second, household_values(code="HT-0002", head_name="Trần Văn Bình", phone=""))


def test_an_officer_cannot_register_a_household_in_another_commune(app):
    with app.app_context():
        user = officer()
        with pytest.raises(CommuneNotCovered) as refused:
            create_household(user, household_values(commune=OTHER_COMMUNE))
        assert refused.value.field == "commune_id"
        for outsider in (UserFactory(roles=[Role.PRODUCER]), UserFactory(roles=[Role.BUYER])):
            with pytest.raises(CommuneNotCovered):
                create_household(outsider, household_values())
        assert db.session.execute(sa.select(SupportedHousehold)).first() is None
        entries = _entries()
        assert [(e.action, e.attempted) for e in entries] == [(AccessAction.REFUSED, AccessAction.CREATE)] * 3


@pytest.mark.parametrize(("changes", "field"), [
    ({"code": "  "}, "code"),
    ({"code": "X" * 31}, "code"),
    ({"head_name": ""}, "head_name"),
    ({"phone": "024 3825 1234"}, "phone"),
    ({"phone": "số điện thoại"}, "phone"),
    ({"area_type": "mountain"}, "area_type"),
    ({"group_id": 9999}, "group_id"),
    ({"province_id": None}, "commune_id"),
    ({"members": [MemberValues("Lê An", 1899)]}, "members"),
    ({"members": [MemberValues("Lê An", 2027)]}, "members"),
    ({"members": [MemberValues("Lê An", "hai nghìn")]}, "members"),
    ({"members": [MemberValues("", 2000)]}, "members"),
])
def test_bad_household_values_are_refused_on_their_field(app, changes, field, clock):
    clock.set(MID_2026)
    with app.app_context():
        with pytest.raises(RuleBroken) as refused:
            create_household(officer(), household_values(**changes))
        assert refused.value.field == field


def test_changes_are_logged_by_field_name(app):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        update_household(user, household, household_values(
            phone="0987 654 321", village="Thôn Quang Lộc", street="Kiệt 7", members=[MemberValues("Lê Văn An")],
        ))
        assert household.phone == "+84987654321"
        entry = _entries()[-1]
        assert entry.action == AccessAction.UPDATE
        assert entry.fields == sorted(["phone", "street", "household_members.name", "household_members.birth_year",
                                       "household_members.relation"])
        update_household(user, household, household_values(
            phone="0987654321", street="Kiệt 7", members=[MemberValues("Lê Văn An")],
        ))
        assert len(_entries()) == 2  # nothing changed, nothing logged


def test_an_officer_of_another_commune_cannot_change_a_household(app):
    with app.app_context():
        household = create_household(officer(), household_values())
        outsider = officer(OTHER_COMMUNE)
        with pytest.raises(HouseholdNotFound):
            update_household(outsider, household, household_values(head_name="Đổi tên"))
        assert household.head_name == "Hồ Thị Mai"
        entry = _entries()[-1]
        assert (entry.actor_id, entry.action, entry.attempted) == (outsider.id, AccessAction.REFUSED, AccessAction.UPDATE)


def test_an_officer_cannot_move_a_household_out_of_their_area(app):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        with pytest.raises(CommuneNotCovered):
            update_household(user, household, household_values(commune=OTHER_COMMUNE))
        db.session.refresh(household)
        assert household.commune.slug == "phuong-huong-tra"


def test_likely_duplicates_are_flagged_never_merged(app):
    with app.app_context():
        user = officer()
        first = create_household(user, household_values(code="HT-0001", head_name="Hồ Văn Lộc", phone="0912 345 678"))
        same_name = create_household(user, household_values(
            code="HT-0002", head_name="hồ văn  lộc", village="thôn quang lộc", phone="",
        ))
        same_phone = create_household(user, household_values(
            code="HT-0003", head_name="Nguyễn Thị Hoa", village="Thôn Khác", phone="+84 912 345 678",
        ))
        create_household(user, household_values(code="HT-0004", head_name="Hồ Văn Lộc", village="Thôn Khác", phone=""))
        found = likely_duplicates(user, first)
        assert [(d.household.id, d.reasons) for d in found] == [
            (same_name.id, {"name_and_village"}),
            (same_phone.id, {"phone"}),
        ]
        assert db.session.execute(sa.select(sa.func.count()).select_from(SupportedHousehold)).scalar_one() == 4
        reads = [e for e in _entries() if e.action == AccessAction.READ]
        assert {e.household_id for e in reads} == {same_name.id, same_phone.id}


def test_duplicates_are_looked_for_only_where_the_officer_may_see(app):
    with app.app_context():
        mine = create_household(officer(), household_values(phone="0912 345 678"))
        create_household(officer(OTHER_COMMUNE), household_values(commune=OTHER_COMMUNE, phone="0912 345 678"))
        assert likely_duplicates(officer(), mine) == []
        assert len(likely_duplicates(admin(), mine)) == 1


def test_status_history_and_support_for_36_months_after_leaving_poverty(app):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        registry.record_status(user, household, S.POOR, date(2024, 12, 20), "123/QĐ-UBND")
        left = registry.record_status(user, household, "out_of_poverty", date(2025, 12, 18), "456/QĐ-UBND")
        assert left.support_until == date(2028, 12, 18)
        assert [s.status for s in household.statuses] == [S.POOR, S.OUT_OF_POVERTY]
        back = registry.record_status(user, household, S.NEAR_POOR, date(2026, 1, 5), "7/QĐ-UBND")
        assert back.support_until is None
        assert _entries()[-1].fields == ["recognised_statuses.decision_number", "recognised_statuses.recognised_on",
                                         "recognised_statuses.status"]


def test_the_support_period_is_a_setting_and_can_be_given(app):
    app.config["HOUSEHOLD_SUPPORT_MONTHS"] = 24
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        registry.record_status(user, household, S.POOR, date(2023, 1, 10), "1/QĐ")
        assert registry.record_status(user, household, S.OUT_OF_POVERTY, date(2024, 2, 29), "2/QĐ").support_until == date(2026, 2, 28)
        other = create_household(user, household_values(code="HT-0002", phone=""))
        registry.record_status(user, other, S.POOR, date(2023, 1, 10), "3/QĐ")
        given = registry.record_status(user, other, S.OUT_OF_POVERTY, date(2024, 1, 10), "4/QĐ", date(2025, 6, 30))
        assert given.support_until == date(2025, 6, 30)
    assert add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


@pytest.mark.parametrize(("history", "status", "error"), [
    ([], S.OUT_OF_POVERTY, StatusChangeNotAllowed),
    ([], S.OUT_OF_NEAR_POVERTY, StatusChangeNotAllowed),
    ([S.POOR], S.OUT_OF_NEAR_POVERTY, StatusChangeNotAllowed),
    ([S.NEAR_POOR], S.OUT_OF_POVERTY, StatusChangeNotAllowed),
    ([S.POOR, S.OUT_OF_POVERTY], S.OUT_OF_POVERTY, StatusChangeNotAllowed),
])
def test_status_moves_outside_the_table_are_refused(app, history, status, error):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        for year, earlier in enumerate(history, start=2022):
            registry.record_status(user, household, earlier, date(year, 12, 1), f"{year}/QĐ")
        with pytest.raises(error):
            registry.record_status(user, household, status, date(2025, 12, 1), "9/QĐ")


def test_a_recognition_dated_before_the_latest_is_refused(app):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        registry.record_status(user, household, S.POOR, date(2025, 12, 1), "1/QĐ")
        with pytest.raises(StatusOutOfOrder) as refused:
            registry.record_status(user, household, S.NEAR_POOR, date(2025, 11, 30), "2/QĐ")
        assert refused.value.field == "recognised_on"
        with pytest.raises(RuleBroken) as refused:
            registry.record_status(user, household, S.NEAR_POOR, date(2026, 1, 5), "  ")
        assert refused.value.field == "decision_number"


def test_support_received_is_recorded_with_its_value_in_dong(app, clock):
    clock.set(MID_2026)
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        row = registry.record_support(user, household, "livestream_coaching", date(2026, 3, 2), "1.500.000", "Huyện đoàn")
        assert (row.kind.code, row.value_vnd, row.provider) == ("livestream_coaching", 1_500_000, "Huyện đoàn")
        assert registry.record_support(user, household, "training", date(2026, 3, 2)).value_vnd is None
        for bad, field in [(("credit", date(2026, 3, 2), "-5"), "value_vnd"), (("credit", date(2026, 3, 2), "nhiều"), "value_vnd"),
                           (("luck", date(2026, 3, 2)), "kind"), (("credit", date(2026, 7, 1)), "given_on")]:
            with pytest.raises(RuleBroken) as refused:
                registry.record_support(user, household, *bad)
            assert refused.value.field == field
        with pytest.raises(HouseholdNotFound):
            registry.record_support(officer(OTHER_COMMUNE), household, "training", date(2026, 3, 2))


def test_only_an_admin_deletes_a_household(app):
    with app.app_context():
        user = officer()
        household = create_household(user, household_values())
        with pytest.raises(NotAllowed):
            registry.delete_household(user, household)
        assert db.session.get(SupportedHousehold, household.id) is not None
        entry = _entries()[-1]
        assert (entry.action, entry.attempted) == (AccessAction.REFUSED, AccessAction.DELETE)
