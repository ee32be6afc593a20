"""Bank transfer: the account a seller records."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.common.audit import AuditEntry
from app.extensions import db
from app.payments import accounts
from app.payments.models import BankAccount
from tests.factories import CooperativeFactory, ProducerFactory, UserFactory

VIETCOMBANK = "970436"


@dataclass
class Sellers:
    producer_user: int
    producer: int
    manager: int
    cooperative: int
    member: int  # a member of the cooperative, without an account of their own
    stranger: int  # another producer's account


@pytest.fixture
def sellers(app) -> Sellers:
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        producer = ProducerFactory(cooperative=coop)
        member = ProducerFactory(cooperative=coop)
        stranger = ProducerFactory()
        db.session.commit()
        return Sellers(producer.user_id, producer.id, manager.id, coop.id, member.id, stranger.user_id)


def sign_in(client, user_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True


FORM = {"bank_bin": VIETCOMBANK, "account_number": "0071 0001 23456", "account_name": "Nguyễn Văn Đức"}


# --- the seller's account ------------------------------------------------------------------


def test_a_producer_records_their_account_as_banks_print_it(app, client, sellers):
    sign_in(client, sellers.producer_user)

    response = client.post(f"/quan-ly/thanh-toan/nha-vuon/{sellers.producer}", data=FORM)

    assert (response.status_code, response.headers["Location"]) == (303, "/quan-ly/thanh-toan/")
    with app.app_context():
        account = db.session.execute(sa.select(BankAccount)).scalar_one()
        assert (account.producer_id, account.bank_bin, account.account_number, account.account_name) == (
            sellers.producer, VIETCOMBANK, "0071000123456", "NGUYEN VAN DUC"
        )
        entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.subject_type == "BankAccount")).scalar_one()
        # Personal data stays out of the log: only that it was set.
        assert entry.changes["account_number"] == entry.changes["account_name"] == "changed"
        assert "0071000123456" not in str(entry.changes)
    page = client.get("/quan-ly/thanh-toan/").get_data(as_text=True)
    assert "Vietcombank · 0071000123456 · NGUYEN VAN DUC" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"bank_bin": ""}, "bank_bin", "Hãy chọn ngân hàng"),
        ({"bank_bin": "123456"}, "bank_bin", "Hãy chọn ngân hàng"),
        ({"account_number": "0071-ABC"}, "account_number", "từ 6 đến 19 chữ số"),
        ({"account_number": "12345"}, "account_number", "từ 6 đến 19 chữ số"),
        ({"account_name": "   "}, "account_name", "Hãy nhập tên chủ tài khoản"),
        ({"account_name": "Hoa <script>"}, "account_name", "chỉ gồm chữ cái"),
    ],
)
def test_details_no_bank_app_could_use_are_refused_on_their_field_and_nothing_is_saved(
    app, client, sellers, change, field, message
):
    sign_in(client, sellers.producer_user)
    typed = {**FORM, **change}

    response = client.post(f"/quan-ly/thanh-toan/nha-vuon/{sellers.producer}", data=typed)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'<p class="error-text" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    if field != "bank_bin":
        assert f'<option selected value="{VIETCOMBANK}">' in html  # what was typed comes back
    with app.app_context():
        assert db.session.execute(sa.select(BankAccount)).first() is None


def test_a_manager_records_the_cooperatives_account_which_pays_members_without_their_own(app, client, sellers):
    sign_in(client, sellers.manager)
    assert client.post(f"/quan-ly/thanh-toan/hop-tac-xa/{sellers.cooperative}",
                       data={**FORM, "account_name": "HTX Hương Trà"}).status_code == 303
    sign_in(client, sellers.producer_user)
    assert client.post(f"/quan-ly/thanh-toan/nha-vuon/{sellers.producer}", data=FORM).status_code == 303

    with app.app_context():
        from app.catalog.models import Producer

        producer, member = db.session.get(Producer, sellers.producer), db.session.get(Producer, sellers.member)
        assert accounts.payee_account(producer).account_name == "NGUYEN VAN DUC"  # their own first
        assert accounts.payee_account(member).account_name == "HTX HUONG TRA"
        assert accounts.payee_account(ProducerFactory()) is None


def test_sellers_change_only_the_accounts_they_manage(client, sellers):
    sign_in(client, sellers.producer_user)
    assert client.get(f"/quan-ly/thanh-toan/hop-tac-xa/{sellers.cooperative}").status_code == 403
    assert client.post(f"/quan-ly/thanh-toan/nha-vuon/{sellers.member}", data=FORM).status_code == 403
    sign_in(client, sellers.stranger)
    assert client.get(f"/quan-ly/thanh-toan/nha-vuon/{sellers.producer}").status_code == 403
    sign_in(client, sellers.manager)
    assert client.get(f"/quan-ly/thanh-toan/nha-vuon/{sellers.member}").status_code == 200


def test_removing_the_account_stops_transfers_to_it(app, client, sellers):
    sign_in(client, sellers.producer_user)
    client.post(f"/quan-ly/thanh-toan/nha-vuon/{sellers.producer}", data=FORM)
    assert client.post(f"/quan-ly/thanh-toan/nha-vuon/{sellers.producer}/xoa").status_code == 303
    with app.app_context():
        assert db.session.execute(sa.select(BankAccount)).first() is None

