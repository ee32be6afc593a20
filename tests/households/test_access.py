"""Who sees which household: one scope for every query, refusals logged, and the log keeps names only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from app.accounts.models import Role
from app.extensions import db
from app.households.access import (
    HouseholdNotFound,
    log_access,
    may_cover_commune,
    require_household,
    visible_households,
)
from app.households.models import AccessAction, HouseholdAccessLog
from app.households.registry import read_household
from tests.factories import UserFactory, commune
from tests.households.factories import OTHER_COMMUNE, HouseholdFactory, admin, officer


def _visible(user) -> set[int]:
    return set(db.session.execute(visible_households(user)).scalars().all())


def _entries() -> list[HouseholdAccessLog]:
    return db.session.execute(sa.select(HouseholdAccessLog).order_by(HouseholdAccessLog.id)).scalars().all()


@pytest.fixture
def places(app):
    with app.app_context():
        here = HouseholdFactory()
        there = HouseholdFactory(commune=commune(OTHER_COMMUNE))
        db.session.commit()
        yield here, there


ROLES = {
    "admin": lambda: admin(),
    "officer here": lambda: officer(),
    "officer there": lambda: officer(OTHER_COMMUNE),
    "officer of both": lambda: officer("phuong-huong-tra", OTHER_COMMUNE),
    "officer of no commune": lambda: officer(commune("phuong-kim-tra")),
    "producer": lambda: UserFactory(roles=[Role.PRODUCER]),
    "buyer": lambda: UserFactory(roles=[Role.BUYER]),
    "cooperative manager": lambda: UserFactory(roles=[Role.COOPERATIVE_MANAGER]),
    "visitor": lambda: AnonymousUserMixin(),
    "nobody": lambda: None,
}
SEES = {
    "admin": {"here", "there"},
    "officer here": {"here"},
    "officer there": {"there"},
    "officer of both": {"here", "there"},
    "officer of no commune": set(),
    "producer": set(),
    "buyer": set(),
    "cooperative manager": set(),
    "visitor": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_visible_households_for_each_role(app, places, role):
    here, there = places
    with app.app_context():
        user = ROLES[role]()
        named = {"here": here.id, "there": there.id}
        expected = {named[name] for name in SEES[role]}
        assert {h.id for h in _visible(user)} == expected
        for name, household_id in named.items():
            if name in SEES[role]:
                assert require_household(user, household_id, AccessAction.READ).id == household_id
            else:
                with pytest.raises(HouseholdNotFound):
                    require_household(user, household_id, AccessAction.READ)


def test_an_officer_of_another_commune_is_refused_and_the_attempt_is_logged(app, places):
    here, _there = places
    with app.app_context():
        outsider = officer(OTHER_COMMUNE)
        with pytest.raises(HouseholdNotFound) as refused:
            require_household(outsider, here.id, AccessAction.UPDATE)
        assert "không thuộc địa bàn" in str(refused.value.message)
        db.session.commit()  # what a page does after refusing: the entry must outlive the request
        [entry] = _entries()
        assert (entry.actor_id, entry.household_id, entry.household_ref) == (outsider.id, here.id, here.id)
        assert (entry.action, entry.attempted, entry.fields) == (AccessAction.REFUSED, AccessAction.UPDATE, [])


def test_a_household_that_does_not_exist_is_refused_the_same_way(app, places):
    with app.app_context():
        user = officer()
        for asked in (999_999, 10**15, "3", None):
            with pytest.raises(HouseholdNotFound):
                require_household(user, asked, AccessAction.READ)
        entries = _entries()
        assert [e.action for e in entries] == [AccessAction.REFUSED] * 4
        assert [e.household_ref for e in entries] == [999_999, None, None, None]
        assert all(e.household_id is None for e in entries)


def test_reading_a_household_is_logged_with_the_fields_shown(app, places):
    here, _there = places
    with app.app_context():
        user = officer()
        assert read_household(user, here.id, ["code", "head_name", "phone"]).id == here.id
        [entry] = _entries()
        assert (entry.action, entry.household_id, entry.fields) == (AccessAction.READ, here.id, ["code", "head_name", "phone"])


def test_the_log_takes_field_names_and_nothing_else(app, places):
    here, _there = places
    with app.app_context():
        user = admin()
        log_access(user, here, AccessAction.EXPORT, ["annual_reviews.income_per_person_vnd", "head_name"])
        with pytest.raises(ValueError):
            log_access(user, here, AccessAction.READ, [here.head_name])
        with pytest.raises(ValueError):
            log_access(user, here, AccessAction.READ, ["0912345678"])


def test_which_communes_a_person_may_keep_households_in(app):
    with app.app_context():
        mine, other = commune(), commune(OTHER_COMMUNE)
        user = officer()
        assert may_cover_commune(user, mine.id)
        assert not may_cover_commune(user, other.id)
        assert not may_cover_commune(user, None)
        assert may_cover_commune(admin(), other.id)
        assert not may_cover_commune(UserFactory(roles=[Role.PRODUCER]), mine.id)
        assert not may_cover_commune(AnonymousUserMixin(), mine.id)
