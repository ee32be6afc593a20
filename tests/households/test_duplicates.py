"""Likely duplicates: shown until an officer checks a pair and finds two households; never merged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.common.errors import RuleBroken
from app.extensions import db
from app.households import duplicates
from app.households.access import HouseholdNotFound
from app.households.duplicate_model import DuplicateCheck, DuplicateVerdict
from app.households.models import AccessAction, HouseholdAccessLog, SupportedHousehold
from app.households.registry import InvalidHousehold, create_household, delete_household
from tests.households.factories import OTHER_COMMUNE, admin, household_values, officer
from tests.households.test_pages import count, sign_in


@pytest.fixture
def setting(app):
    """Three households that look like one (same head, village and phone), and one elsewhere."""
    with app.app_context():
        user, stranger, boss = officer(), officer(OTHER_COMMUNE), admin()
        first = create_household(user, household_values(code="HT-0001"))
        second = create_household(user, household_values(code="HT-0002"))
        third = create_household(user, household_values(code="HT-0003"))
        # Same phone, but in a commune the officer does not cover.
        away = create_household(boss, household_values(code="BD-0001", commune=OTHER_COMMUNE))
        db.session.commit()
        return {"officer": user.id, "stranger": stranger.id, "admin": boss.id, "first": first.id,
                "second": second.id, "third": third.id, "away": away.id}


def _mark(client, household_id, other_id, note=""):
    return client.post(f"/ho-ho-tro/{household_id}/trung/{other_id}", data={"note": note})


def test_a_checked_pair_is_no_longer_shown_and_a_third_still_is(app, client, setting):
    first, second, third = setting["first"], setting["second"], setting["third"]
    sign_in(client, setting["officer"])
    page = client.get(f"/ho-ho-tro/{first}").get_data(as_text=True)
    assert "Có thể trùng với" in page and "HT-0002" in page and "HT-0003" in page
    assert f"/ho-ho-tro/{first}/trung/{second}" in page and f'href="/ho-ho-tro/{second}"' in page
    assert "BD-0001" not in page  # not the officer's to see

    response = _mark(client, first, second, note="Hai chị em cùng tên, khác nhà")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/ho-ho-tro/{first}#trung")

    page = client.get(f"/ho-ho-tro/{first}").get_data(as_text=True)
    assert "Đã ghi: HT-0001 không trùng với HT-0002." in page
    assert f"/trung/{second}" not in page and f'href="/ho-ho-tro/{second}"' not in page
    assert f"/ho-ho-tro/{first}/trung/{third}" in page  # the third household still looks like this one
    page = client.get(f"/ho-ho-tro/{second}").get_data(as_text=True)
    assert f"/trung/{first}" not in page and f"/ho-ho-tro/{second}/trung/{third}" in page
    page = client.get(f"/ho-ho-tro/{third}").get_data(as_text=True)
    assert f"/ho-ho-tro/{third}/trung/{first}" in page and f"/ho-ho-tro/{third}/trung/{second}" in page

    # Marking again, either way round, changes nothing.
    assert _mark(client, second, first).status_code == 303
    with app.app_context():
        checks = db.session.execute(sa.select(DuplicateCheck)).scalars().all()
        assert [(c.household_id, c.other_household_id, c.verdict, c.checked_by_id) for c in checks] == [
            (min(first, second), max(first, second), DuplicateVerdict.NOT_DUPLICATE, setting["officer"])
        ]
        assert checks[0].note == "Hai chị em cùng tên, khác nhà"
        # Nothing merged: all three are still there.
        assert count(app, SupportedHousehold, SupportedHousehold.code.like("HT-%")) == 3
        entries = db.session.execute(
            sa.select(HouseholdAccessLog).where(HouseholdAccessLog.action == AccessAction.UPDATE,
                                                HouseholdAccessLog.household_id.in_([first, second]))
        ).scalars().all()
        marked = [e for e in entries if "duplicate_checks.verdict" in e.fields]
        assert sorted(e.household_id for e in marked) == sorted([first, second])
        assert all("duplicate_checks.note" in e.fields for e in marked)
        assert "chị em" not in str([e.fields for e in marked])


def test_an_officer_of_another_commune_gets_404_and_the_refusal_is_logged(app, client, setting):
    sign_in(client, setting["stranger"])
    assert _mark(client, setting["first"], setting["second"]).status_code == 404
    sign_in(client, setting["officer"])
    # The officer covers the first household, not the one in the other commune.
    assert _mark(client, setting["first"], setting["away"]).status_code == 404
    with app.app_context():
        assert count(app, DuplicateCheck) == 0
        refusals = db.session.execute(
            sa.select(HouseholdAccessLog).where(HouseholdAccessLog.action == AccessAction.REFUSED)
        ).scalars().all()
        assert [(r.actor_id, r.household_ref, r.attempted) for r in refusals] == [
            (setting["stranger"], setting["first"], AccessAction.UPDATE),
            (setting["officer"], setting["away"], AccessAction.UPDATE),
        ]


def test_the_service_checks_both_households_and_the_pair(app, setting):
    with app.app_context():
        user = db.session.get(User, setting["officer"])
        first, away = (db.session.get(SupportedHousehold, setting[k]) for k in ("first", "away"))
        with pytest.raises(HouseholdNotFound):
            duplicates.mark_not_duplicate(user, first, away)
        with pytest.raises(InvalidHousehold):
            duplicates.mark_not_duplicate(user, first, first)
        with pytest.raises(RuleBroken):  # a note too long
            duplicates.mark_not_duplicate(user, first, db.session.get(SupportedHousehold, setting["second"]),
                                          note="x" * 501)
        # The admin sees every household, so for them the one away is a likely duplicate too.
        boss = db.session.get(User, setting["admin"])
        shown = {d.household.code for d in duplicates.open_duplicates(boss, first)}
        assert shown == {"HT-0002", "HT-0003", "BD-0001"}
        duplicates.mark_not_duplicate(boss, away, first)
        assert {d.household.code for d in duplicates.open_duplicates(boss, first)} == {"HT-0002", "HT-0003"}


def test_a_pair_is_stored_once_in_order_and_goes_with_its_household(app, setting):
    with app.app_context():
        low, high = sorted([setting["first"], setting["second"]])
        db.session.add(DuplicateCheck(household_id=high, other_household_id=low,
                                      verdict=DuplicateVerdict.NOT_DUPLICATE))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add(DuplicateCheck(household_id=low, other_household_id=high,
                                      verdict=DuplicateVerdict.NOT_DUPLICATE))
        db.session.flush()
        db.session.add(DuplicateCheck(household_id=low, other_household_id=high,
                                      verdict=DuplicateVerdict.NOT_DUPLICATE))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        boss = admin()
        duplicates.mark_not_duplicate(boss, db.session.get(SupportedHousehold, low),
                                      db.session.get(SupportedHousehold, high))
        delete_household(boss, db.session.get(SupportedHousehold, high))
        db.session.commit()
        assert count(app, DuplicateCheck) == 0
