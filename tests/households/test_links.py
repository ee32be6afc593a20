"""Producers linked to households: only on a recorded consent, seen and withdrawn by the producer."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Producer
from app.extensions import db
from app.households import links
from app.households.access import HouseholdNotFound
from app.households.models import AccessAction, ConsentKind, HouseholdAccessLog, ProducerLink, SupportedHousehold
from tests.factories import ProducerFactory, commune
from tests.households.factories import OTHER_COMMUNE, HouseholdFactory, admin, officer
from tests.sessions import sign_in

# The dates below are judged against "today" (a review or support dated in the future is
# refused), so these tests set the day they were written for.
MID_2026 = datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

PURPOSE = "Theo dõi kết quả bán hàng trực tuyến"




def _links() -> list[ProducerLink]:
    return db.session.execute(sa.select(ProducerLink).order_by(ProducerLink.id)).scalars().all()


def _log() -> list[HouseholdAccessLog]:
    return db.session.execute(sa.select(HouseholdAccessLog).order_by(HouseholdAccessLog.id)).scalars().all()


@pytest.fixture
def scene(app):
    with app.app_context():
        here = HouseholdFactory()
        there = HouseholdFactory(commune=commune(OTHER_COMMUNE))
        farmer = ProducerFactory()
        no_phone = ProducerFactory(user=None)
        clerk = officer()
        db.session.commit()
        yield {"household": here, "other": there, "producer": farmer, "paper": no_phone, "officer": clerk}


def test_a_proposal_creates_nothing_and_the_producer_confirms_it(scene, clock):
    clock.set(MID_2026)
    household, producer, clerk = scene["household"], scene["producer"], scene["officer"]
    proposal = links.propose_link(clerk, household, producer, PURPOSE)
    assert _links() == []
    seen = links.read_proposal(producer.user, proposal.token)
    assert (seen.household, seen.producer, seen.purpose) == (household, producer, PURPOSE)

    link = links.confirm_link(producer.user, seen, consent=True)
    assert link.consent_kind is ConsentKind.PRODUCER_CONFIRMED
    assert link.recorded_by_id == producer.user.id and link.purpose == PURPOSE
    assert link.consent_given_on == date(2026, 6, 10) and link.withdrawn_at is None
    created = _log()[-1]
    assert created.action is AccessAction.CREATE and created.household_id == household.id
    assert "producer_links.consent_kind" in created.fields and PURPOSE not in str(created.fields)


def test_no_link_without_consent(scene):
    household, producer, clerk = scene["household"], scene["producer"], scene["officer"]
    proposal = links.read_proposal(producer.user, links.propose_link(clerk, household, producer, PURPOSE).token)
    for unticked in (False, None, "y", "on"):
        with pytest.raises(links.ConsentMissing):
            links.confirm_link(producer.user, proposal, unticked)
    with pytest.raises(links.ConsentMissing):
        links.record_paper_consent(clerk, household, scene["paper"], date(2026, 6, 1), "  ", PURPOSE)
    # Someone else holding the link cannot read it, let alone confirm for the producer.
    with pytest.raises(links.InvalidProposal):
        links.read_proposal(clerk, proposal.token)
    with pytest.raises(links.InvalidProposal):
        links.read_proposal(producer.user, proposal.token[:-2] + "xx")
    assert _links() == []


def test_paper_consent_recorded_by_an_officer(scene):
    household, clerk = scene["household"], scene["officer"]
    link = links.record_paper_consent(clerk, household, scene["paper"], date(2026, 5, 20), "GĐY-2026/015", PURPOSE)
    assert link.consent_kind is ConsentKind.PAPER
    assert (link.paper_reference, link.recorded_by_id) == ("GĐY-2026/015", clerk.id)
    assert link.consent_given_on == date(2026, 5, 20)
    assert "GĐY" not in str(_log()[-1].fields)
    # A farmer without an account cannot be asked to confirm online.
    with pytest.raises(links.LinkRefused):
        links.propose_link(clerk, household, ProducerFactory(user=None), PURPOSE)


def test_a_second_active_link_is_refused(scene):
    household, clerk, producer = scene["household"], scene["officer"], scene["producer"]
    links.record_paper_consent(clerk, household, producer, date(2026, 5, 20), "GĐY-1", PURPOSE)
    second = HouseholdFactory()
    with pytest.raises(links.AlreadyLinked):
        links.record_paper_consent(clerk, second, producer, date(2026, 5, 21), "GĐY-2", PURPOSE)
    with pytest.raises(links.AlreadyLinked):
        links.propose_link(clerk, second, producer, PURPOSE)
    assert len(_links()) == 1


def test_withdrawing_ends_the_link_and_keeps_its_history(scene):
    household, clerk, producer = scene["household"], scene["officer"], scene["producer"]
    proposal = links.propose_link(clerk, household, producer, PURPOSE)
    link = links.confirm_link(producer.user, links.read_proposal(producer.user, proposal.token), True)
    links.withdraw_link(producer.user, link)
    assert link.withdrawn_at is not None and link.withdrawn_by_id == producer.user.id
    assert _links() == [link] and links.active_link(producer) is None
    assert _log()[-1].fields == ["producer_links.withdrawn_at", "producer_links.withdrawn_by_id"]
    # The old proposal does not bring the link back; a new consent makes a new row.
    with pytest.raises(links.InvalidProposal):
        links.read_proposal(producer.user, proposal.token)
    again = links.record_paper_consent(clerk, household, producer, date(2026, 6, 1), "GĐY-3", PURPOSE)
    assert [row.id for row in _links()] == [link.id, again.id]
    # An officer withdraws only at the producer's request, said so explicitly.
    with pytest.raises(links.ConsentMissing):
        links.withdraw_link(clerk, again)
    links.withdraw_link(clerk, again, at_producers_request=True)
    assert again.withdrawn_by_id == clerk.id


def test_an_officer_of_another_commune_is_refused_and_logged(scene):
    stranger = officer(OTHER_COMMUNE)
    household, producer = scene["household"], scene["producer"]
    with pytest.raises(HouseholdNotFound):
        links.record_paper_consent(stranger, household, producer, date(2026, 5, 20), "GĐY-1", PURPOSE)
    with pytest.raises(HouseholdNotFound):
        links.propose_link(stranger, household, producer, PURPOSE)
    refusals = [e for e in _log() if e.action is AccessAction.REFUSED and e.actor_id == stranger.id]
    assert len(refusals) == 2 and _links() == []
    # A producer of another commune cannot be linked either.
    with pytest.raises(links.LinkRefused):
        links.record_paper_consent(scene["officer"], household, ProducerFactory(commune=commune(OTHER_COMMUNE)),
                                   date(2026, 5, 20), "GĐY-1", PURPOSE)


# --- Over HTTP --------------------------------------------------------------------------------
# Requests made inside a test's app context would share its `g`, and with it the signed-in user.


@pytest.fixture
def ids(app):
    with app.app_context():
        farmer, no_phone = ProducerFactory(), ProducerFactory(user=None)
        made = {"household": HouseholdFactory().id, "producer": farmer.id, "producer_user": farmer.user_id,
                "paper": no_phone.id, "officer": officer().id, "stranger": officer(OTHER_COMMUNE).id,
                "admin": admin().id}
        db.session.commit()
    return made


def test_the_producer_confirms_sees_and_withdraws_on_their_account(app, client, ids):
    clerk_id, household_id = ids["officer"], ids["household"]
    producer_id, user_id = ids["producer"], ids["producer_user"]
    client = sign_in(client, clerk_id)
    page = client.post(f"/ho-ho-tro/{household_id}/lien-ket",
                       data={"propose-action": "propose", "propose-producer_id": producer_id,
                             "propose-purpose": PURPOSE})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    url = html.split('readonly value="')[1].split('"')[0].replace("&amp;", "&")
    token = parse_qs(urlparse(url).query)["de-nghi"][0]

    client = sign_in(client, user_id)
    account = client.get("/tai-khoan").get_data(as_text=True)
    assert "Liên kết với hộ được hỗ trợ" in account, account[account.find("<main"):account.find("</table>")]
    proposal_page = client.get(f"/tai-khoan/lien-ket-ho?de-nghi={token}").get_data(as_text=True)
    assert PURPOSE in proposal_page and "checked" not in proposal_page  # never ticked in advance
    refused = client.post("/tai-khoan/lien-ket-ho", data={"token": token})
    assert refused.status_code == 400 and "đánh dấu ô đồng ý" in refused.get_data(as_text=True)
    assert client.post("/tai-khoan/lien-ket-ho", data={"token": token, "consent": "y"}).status_code == 302
    mine = client.get("/tai-khoan/lien-ket-ho").get_data(as_text=True)
    assert "HT-" in mine and "Nhà vườn tự xác nhận" in mine and "Rút lại đồng ý" in mine
    with app.app_context():
        link_id = db.session.execute(sa.select(ProducerLink.id)).scalar_one()
    confirm = client.get(f"/tai-khoan/lien-ket-ho/{link_id}/rut-lai").get_data(as_text=True)
    assert "<form" in confirm and 'class="button danger"' in confirm and 'name="confirm" value="rut-lai"' in confirm
    assert client.post(f"/tai-khoan/lien-ket-ho/{link_id}/rut-lai").status_code == 400  # asked again
    with app.app_context():
        assert db.session.get(ProducerLink, link_id).withdrawn_at is None
    assert client.post(f"/tai-khoan/lien-ket-ho/{link_id}/rut-lai", data={"confirm": "rut-lai"}).status_code == 302
    assert "Đã rút lại" in client.get("/tai-khoan/lien-ket-ho").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ProducerLink, link_id).withdrawn_at is not None


def test_someone_elses_link_is_not_found(app, client, ids):
    with app.app_context():
        clerk, household = db.session.get(User, ids["officer"]), db.session.get(SupportedHousehold, ids["household"])
        paper = db.session.get(Producer, ids["paper"])
        link = links.record_paper_consent(clerk, household, paper, date(2026, 5, 20), "GĐY-1", PURPOSE)
        link_id, other_user = link.id, ids["producer_user"]
        db.session.commit()
    client = sign_in(client, other_user)
    assert client.get(f"/tai-khoan/lien-ket-ho/{link_id}/rut-lai").status_code == 404
    assert client.post(f"/tai-khoan/lien-ket-ho/{link_id}/rut-lai").status_code == 404


def test_the_officer_records_paper_consent_and_another_commune_gets_404_logged(app, client, ids):
    clerk_id, stranger_id, household_id, paper_id, admin_id = (
        ids["officer"], ids["stranger"], ids["household"], ids["paper"], ids["admin"])
    form = {"paper-action": "paper", "paper-producer_id": paper_id, "paper-given_on": "2026-05-20",
            "paper-paper_reference": "", "paper-purpose": PURPOSE}
    client = sign_in(client, clerk_id)
    missing = client.post(f"/ho-ho-tro/{household_id}/lien-ket", data=form)
    assert missing.status_code == 400 and PURPOSE in missing.get_data(as_text=True)  # what was typed stays
    form["paper-paper_reference"] = "GĐY-2026/015"
    assert client.post(f"/ho-ho-tro/{household_id}/lien-ket", data=form).status_code == 302
    assert "GĐY-2026/015" in client.get(f"/ho-ho-tro/{household_id}/lien-ket").get_data(as_text=True)

    client = sign_in(client, stranger_id)
    assert client.get(f"/ho-ho-tro/{household_id}/lien-ket").status_code == 404
    assert client.post(f"/ho-ho-tro/{household_id}/lien-ket", data=form).status_code == 404
    client = sign_in(client, admin_id)
    assert client.get(f"/ho-ho-tro/{household_id}/lien-ket").status_code == 200
    with app.app_context():
        refusals = db.session.execute(sa.select(HouseholdAccessLog).where(
            HouseholdAccessLog.actor_id == stranger_id, HouseholdAccessLog.action == AccessAction.REFUSED
        )).scalars().all()
        assert [(r.household_id, r.attempted) for r in refusals] == [
            (household_id, AccessAction.READ), (household_id, AccessAction.UPDATE)]
        assert len(_links()) == 1
