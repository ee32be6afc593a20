"""Every household route, asked by every kind of person: the walk over the URL map.

Routes are found in app.url_map by their blueprint's name (anything starting with "household"),
so a route someone adds under /ho-ho-tro later is walked too, without a row to remember.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role
from app.common import access
from app.common.access import Audience
from app.extensions import db
from app.households import routes
from app.households.models import AccessAction, AnnualReview, HouseholdAccessLog
from tests.factories import UserFactory
from tests.households.factories import OTHER_COMMUNE, HouseholdFactory, admin, officer
from tests.sessions import sign_in

PEOPLE = ("anonymous", "buyer", "producer", "manager", "officer", "stranger", "admin")
REACHED = {200, 302, 303, 400}


@pytest.fixture
def sample(app):
    with app.app_context():
        users = {
            "buyer": UserFactory(roles=[Role.BUYER]),
            "producer": UserFactory(roles=[Role.BUYER, Role.PRODUCER]),
            "manager": UserFactory(roles=[Role.COOPERATIVE_MANAGER]),
            "officer": officer(),
            "stranger": officer(OTHER_COMMUNE),  # an officer of another commune
            "admin": admin(),
        }
        household = HouseholdFactory()
        db.session.commit()
        return {"users": {name: user.id for name, user in users.items()}, "household": household.id}


def household_routes(app):
    """The office's side of every household blueprint. A producer's own page about their link
    (declared for any signed-in person, then limited to their own link) is tested in test_links."""
    for rule in app.url_map.iter_rules():
        office = access.audience_of(app, rule.endpoint) in (Audience.OFFICER, Audience.ADMIN)
        if rule.endpoint.partition(".")[0].startswith("household") and office:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule


def path_of(rule, household_id: int) -> str:
    values = {"household_id": household_id, "year": 2026}
    # An argument a later route adds is given a number: the gate answers before it is looked up.
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: quote(str(values.get(m.group(1), 1))), rule.rule)




def refusals(app, household_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count()).select_from(HouseholdAccessLog).where(
                HouseholdAccessLog.action == AccessAction.REFUSED, HouseholdAccessLog.household_ref == household_id
            )
        ).scalar_one()


def expected(app, person: str, rule) -> set:
    if person == "anonymous":
        return {"login"}
    if person in ("buyer", "producer", "manager"):
        return {403}
    if person in ("officer", "stranger") and access.audience_of(app, rule.endpoint) is Audience.ADMIN:
        return {403}
    if person == "stranger" and "household_id" in rule.arguments:
        return {404}
    return REACHED


def test_the_walk_finds_the_household_routes(app):
    endpoints = {rule.endpoint for _, rule in household_routes(app)}
    assert {"households.household_list", "households.review", "households.household_delete"} <= endpoints


def test_every_household_route_answers_each_person_as_the_rule_says(app, sample):
    client = app.test_client()
    household_id = sample["household"]
    wrong = []
    for method, rule in household_routes(app):
        for person in PEOPLE:
            sign_in(client, sample["users"].get(person))
            before = refusals(app, household_id)
            response = client.open(path_of(rule, household_id), method=method, data={})
            got = response.status_code
            if got == 302 and response.headers.get("Location", "").startswith("/dang-nhap"):
                got = "login"
            if got not in expected(app, person, rule):
                wrong.append(f"{person} {method} {rule.rule}: got {got}, expected {expected(app, person, rule)}")
            if got == 404 and refusals(app, household_id) != before + 1:
                wrong.append(f"{person} {method} {rule.rule}: the refusal was not logged")
    assert not wrong, "\n".join(wrong)


def test_an_officer_of_another_commune_changes_nothing(app, sample):
    client = app.test_client()
    sign_in(client, sample["users"]["stranger"])
    hid = sample["household"]
    review = {"reviewed_on": "2026-06-09", "income": "1.000.000", "action": "submit", "submission_key": "k" * 20}
    assert client.post(f"/ho-ho-tro/{hid}/ra-soat/2026", data=review).status_code == 404
    assert client.post(f"/ho-ho-tro/{hid}/sua", data={"code": "X", "head_name": "Y"}).status_code == 404
    with app.app_context():
        assert db.session.execute(sa.select(AnnualReview)).first() is None
        entries = db.session.execute(
            sa.select(HouseholdAccessLog).where(HouseholdAccessLog.household_ref == hid)
        ).scalars().all()
        assert [(e.action, e.attempted) for e in entries] == [(AccessAction.REFUSED, AccessAction.UPDATE)] * 2
        assert all(e.actor_id == sample["users"]["stranger"] for e in entries)


def test_a_review_sent_twice_at_the_same_moment_is_answered_with_the_first(app, sample, monkeypatch):
    real = routes.save_review

    def the_other_sending_commits_first(actor, household, values, submit):
        real(actor, household, values, submit)
        db.session.commit()
        raise IntegrityError("INSERT INTO annual_reviews", {}, Exception("unique submission_key"))

    monkeypatch.setattr(routes, "save_review", the_other_sending_commits_first)
    client = app.test_client()
    sign_in(client, sample["users"]["officer"])
    hid = sample["household"]
    review = {"reviewed_on": "2026-06-09", "income": "1.000.000", "action": "submit", "submission_key": "k" * 20}
    response = client.post(f"/ho-ho-tro/{hid}/ra-soat/2026", data=review)
    assert response.status_code == 303 and f"/ho-ho-tro/{hid}" in response.headers["Location"]
    with app.app_context():
        assert len(db.session.execute(sa.select(AnnualReview)).scalars().all()) == 1


def test_no_household_route_is_open_to_anyone(app):
    """The walk above skips the producers' own pages; nothing of the households may be public."""
    audiences = {
        rule.endpoint: access.audience_of(app, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.partition(".")[0].startswith("household")
    }
    assert audiences and set(audiences.values()) <= {Audience.OFFICER, Audience.ADMIN, Audience.SIGNED_IN}
    signed_in = {endpoint for endpoint, who in audiences.items() if who is Audience.SIGNED_IN}
    assert all(endpoint.startswith("household_links.") for endpoint in signed_in), signed_in
