"""Admins say which communes/wards each officer covers; the officer then sees those households only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.common.audit import AuditEntry
from app.extensions import db
from app.households.models import OfficerAssignment
from tests.factories import PASSWORD, UserFactory, commune
from tests.households.factories import HouseholdFactory, admin


@pytest.fixture
def people(app):
    with app.app_context():
        chief = admin()
        clerk = UserFactory(roles=[Role.OFFICER], full_name="Lê Văn Bình")
        buyer = UserFactory(roles=[Role.BUYER])
        household = HouseholdFactory(commune=commune("phuong-kim-tra"))
        db.session.commit()
        return {"admin": chief.email, "clerk": clerk.email, "clerk_id": clerk.id, "buyer_id": buyer.id,
                "buyer": buyer.email, "kim_tra": commune("phuong-kim-tra").id, "household": household.id}


def test_an_admin_assigns_a_commune_and_the_officer_then_sees_its_households(app, client, auth, people):
    auth.login(people["clerk"], PASSWORD)
    assert client.get(f"/ho-ho-tro/{people['household']}").status_code == 404
    auth.logout()

    auth.login(people["admin"], PASSWORD)
    page = client.get("/ho-ho-tro/can-bo/").get_data(as_text=True)
    assert "Lê Văn Bình" in page and "Chưa phụ trách" in page
    response = client.post(f"/ho-ho-tro/can-bo/{people['clerk_id']}/xa", data={"commune_id": people["kim_tra"]})
    assert response.status_code == 303
    assert "Phường Kim Trà" in client.get("/ho-ho-tro/can-bo/").get_data(as_text=True)
    auth.logout()

    auth.login(people["clerk"], PASSWORD)
    assert client.get(f"/ho-ho-tro/{people['household']}").status_code == 200
    auth.logout()

    auth.login(people["admin"], PASSWORD)
    client.post(f"/ho-ho-tro/can-bo/{people['clerk_id']}/xa/{people['kim_tra']}/bo")
    auth.logout()
    auth.login(people["clerk"], PASSWORD)
    assert client.get(f"/ho-ho-tro/{people['household']}").status_code == 404
    with app.app_context():
        actions = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions[-2:] == ["officer.assigned", "officer.unassigned"]


def test_only_officers_are_assigned_and_only_by_admins(app, client, auth, people):
    auth.login(people["admin"], PASSWORD)
    refused = client.post(f"/ho-ho-tro/can-bo/{people['buyer_id']}/xa", data={"commune_id": people["kim_tra"]})
    assert refused.status_code == 400 and "không phải cán bộ" in refused.get_data(as_text=True)
    assert client.post(f"/ho-ho-tro/can-bo/{people['clerk_id']}/xa", data={"commune_id": ""}).status_code == 400
    auth.logout()
    auth.login(people["clerk"], PASSWORD)
    assert client.get("/ho-ho-tro/can-bo/").status_code == 403
    assert client.post(f"/ho-ho-tro/can-bo/{people['clerk_id']}/xa",
                       data={"commune_id": people["kim_tra"]}).status_code == 403
    with app.app_context():
        assert db.session.execute(sa.select(OfficerAssignment)).first() is None
