"""Bank transfer: the account a seller records, when a transfer is offered, and the panel with the
VietQR code a buyer's bank app reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.common.audit import AuditEntry
from app.extensions import db
from app.orders import checkout, status
from app.orders.models import Checkout, Order, PaymentMethod
from app.orders.sections import card_checkout_endpoint, payment_panel
from app.payments import accounts
from app.payments.models import BankAccount
from app.payments.transfer import transfer_details
from app.payments.vietqr import parse_payload, qr_svg
from tests.factories import CooperativeFactory, ProducerFactory, UserFactory
from tests.payments.helpers import TOTAL, place_two_producer_checkout
from tests.sessions import sign_in

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


# --- when a transfer (or a card) is offered --------------------------------------------------


def _offered(app, producer_ids) -> set:
    from app.catalog.models import Producer

    with app.app_context():
        return checkout.offered_methods([db.session.get(Producer, i) for i in producer_ids])


def test_a_transfer_is_offered_only_when_every_producer_can_be_paid(app, client, sellers):
    assert PaymentMethod.BANK_TRANSFER not in _offered(app, [sellers.producer, sellers.member])
    sign_in(client, sellers.producer_user)
    client.post(f"/quan-ly/thanh-toan/nha-vuon/{sellers.producer}", data=FORM)
    assert PaymentMethod.BANK_TRANSFER in _offered(app, [sellers.producer])
    assert PaymentMethod.BANK_TRANSFER not in _offered(app, [sellers.producer, sellers.member])
    sign_in(client, sellers.manager)
    client.post(f"/quan-ly/thanh-toan/hop-tac-xa/{sellers.cooperative}", data=FORM)
    assert PaymentMethod.BANK_TRANSFER in _offered(app, [sellers.producer, sellers.member])


def test_cards_are_offered_only_with_both_stripe_keys(app, sellers):
    assert PaymentMethod.CARD in _offered(app, [sellers.producer])
    app.config["STRIPE_WEBHOOK_SECRET"] = ""  # no way to confirm a payment: no cards
    assert _offered(app, [sellers.producer]) == {PaymentMethod.CASH_ON_DELIVERY}
    with app.app_context():
        assert card_checkout_endpoint.first() == "payments.card_checkout"


def test_a_checkout_cannot_choose_a_transfer_nobody_can_receive(app):
    with pytest.raises(checkout.CheckoutRefused) as refused:
        place_two_producer_checkout(app, method=PaymentMethod.BANK_TRANSFER, accounts=1)
    assert refused.value.field == "payment_method"


# --- the panel on the buyer's order page ------------------------------------------------------


def panels(app, placed) -> list[str]:
    """What the order page shows under each order, through the orders' extension point."""
    with app.test_request_context():
        row = db.session.get(Checkout, placed.checkout_id)
        return [
            next((str(p) for p in payment_panel.call_each(order, row) if p), "")
            for order in row.orders
        ]


def test_the_panel_holds_a_code_for_exactly_the_order_total_with_the_order_code_as_memo(app):
    placed = place_two_producer_checkout(app, method=PaymentMethod.BANK_TRANSFER, accounts=2)

    shown = panels(app, placed)

    with app.app_context():
        for order, html in zip(db.session.get(Checkout, placed.checkout_id).orders, shown, strict=True):
            details = transfer_details(order, accounts.payee_account(order.producer))
            fields = parse_payload(details.payload)
            assert fields["54"] == str(order.total_vnd)
            assert fields["62"]["08"] == order.code
            assert fields["38"]["01"] == {"00": VIETCOMBANK, "01": "0071000123456"}
            assert str(qr_svg(details.payload)) in html  # the code shown is this text's
            for text in ("Vietcombank", "0071000123456", "NGUYEN VAN LOC", f"<dt>Số tiền</dt><dd>{order.total_vnd}</dd>",
                         f"<dd>{order.code}</dd>", "Người bán xác nhận khi nhận được tiền"):
                assert text in html, text
    assert sum(int(re.search(r"<dt>Số tiền</dt><dd>(\d+)</dd>", html).group(1)) for html in shown) == TOTAL


def test_a_paid_transfer_says_the_seller_received_it(app):
    placed = place_two_producer_checkout(app, method=PaymentMethod.BANK_TRANSFER, accounts=2)
    with app.app_context():
        order = db.session.get(Order, placed.order_ids[0])
        status.apply(order, status.Move.PAY, status.Actor(status.Party.SELLER, order.producer.user))
        db.session.commit()
    paid, due = panels(app, placed)
    assert "Người bán đã nhận tiền" in paid and "<svg" not in paid
    assert "<svg" in due


def test_when_the_seller_has_no_account_any_more_the_buyer_is_told_to_ask_them(app):
    placed = place_two_producer_checkout(app, method=PaymentMethod.BANK_TRANSFER, accounts=2)
    with app.app_context():
        db.session.execute(sa.delete(BankAccount))
        db.session.commit()
    for html in panels(app, placed):
        assert "liên hệ người bán" in html and "<svg" not in html


def test_no_transfer_panel_for_other_ways_of_paying_or_a_cancelled_order(app):
    cash = place_two_producer_checkout(app, method=PaymentMethod.CASH_ON_DELIVERY, accounts=2)
    assert panels(app, cash) == ["", ""]
    transfer = place_two_producer_checkout(app, method=PaymentMethod.BANK_TRANSFER, accounts=2)
    with app.app_context():
        order = db.session.get(Order, transfer.order_ids[0])
        status.apply(order, status.Move.CANCEL, status.Actor(status.Party.BUYER))
        db.session.commit()
    cancelled, due = panels(app, transfer)
    assert cancelled == "" and "<svg" in due


def test_the_sellers_dashboard_says_which_farms_cannot_take_transfers_yet(app, client, auth):
    from app.accounts.models import Role
    from app.extensions import db
    from tests.factories import ProducerFactory, UserFactory

    with app.app_context():
        farmer = UserFactory(roles=[Role.PRODUCER])
        ProducerFactory(user=farmer, display_name="Vườn cam Quang Lộc")
        db.session.commit()
        email = farmer.email
    auth.login(email)
    page = client.get("/quan-ly/").get_data(as_text=True)
    assert "Chưa có tài khoản nhận tiền: Vườn cam Quang Lộc" in page
    assert 'href="/quan-ly/thanh-toan/"' in page
