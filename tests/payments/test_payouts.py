"""Card money: what the site holds for each producer, and the payouts an admin records."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.common.audit import AuditEntry
from app.extensions import db
from app.orders import status
from app.orders.models import Order, PaymentMethod
from app.payments import payouts
from app.payments.models import Payout
from tests.factories import UserFactory
from tests.payments.helpers import place_two_producer_checkout

PAGE = "/quan-tri/tien-the"


@pytest.fixture
def admin(app) -> int:
    with app.app_context():
        user = UserFactory(roles=[Role.ADMIN])
        db.session.commit()
        return user.id


@pytest.fixture
def admin_client(client, admin):
    with client.session_transaction() as session:
        session["_user_id"] = str(admin)
        session["_fresh"] = True
    return client


def paid_by_card(app, **changes):
    """A two-producer card checkout whose payment Stripe confirmed (orange farm 700.000 ₫, cốm 275.000 ₫)."""
    placed = place_two_producer_checkout(app, method=PaymentMethod.CARD, **changes)
    with app.app_context():
        for order_id in placed.order_ids:
            status.apply(db.session.get(Order, order_id), status.Move.PAY, status.Actor(status.Party.STRIPE))
        db.session.commit()
        producers = [db.session.get(Order, i).producer_id for i in placed.order_ids]
    return placed, producers


def test_what_is_owed_is_paid_card_orders_neither_refunded_nor_cancelled_less_payouts(app, admin):
    placed, (oranges, com) = paid_by_card(app)
    refunded, (other_oranges, _other_com) = paid_by_card(app)
    place_two_producer_checkout(app, method=PaymentMethod.CARD)  # not paid yet
    place_two_producer_checkout(app, method=PaymentMethod.CASH_ON_DELIVERY)  # the seller holds that money
    with app.app_context():
        order = db.session.get(Order, refunded.order_ids[0])
        status.apply(order, status.Move.REFUND, status.Actor(status.Party.STRIPE))
        db.session.add(Payout(producer_id=com, amount_vnd=75_000, recorded_by_id=admin))
        db.session.commit()

        owed = {b.producer_id: (b.collected_vnd, b.paid_out_vnd, b.owed_vnd) for b in payouts.balances()}

    assert owed[oranges] == (700_000, 0, 700_000)
    assert owed[com] == (275_000, 75_000, 200_000)
    assert other_oranges not in owed  # refunded: the money went back to the buyer
    assert len(owed) == 3  # the refunded checkout's cốm farm is still owed its paid order


def test_the_page_lists_every_producer_in_one_query(app, admin_client, count_queries):
    paid_by_card(app)
    with count_queries() as few:
        assert admin_client.get(PAGE).status_code == 200
    for _ in range(3):
        paid_by_card(app)
    with count_queries() as many:
        page = admin_client.get(PAGE)
    assert len(many) == len(few)
    assert len(re.findall(r"<tr><td>", page.get_data(as_text=True))) == 8
    balance_queries = [q for q in many if "sum(" in q.lower()]
    assert len(balance_queries) == 1  # the table: one grouped query


def test_a_payout_is_recorded_and_audited(app, admin_client, admin):
    _placed, (oranges, _com) = paid_by_card(app)

    response = admin_client.post(PAGE, data={"producer_id": oranges, "amount": "700.000", "reference": " FT2606 "})

    assert response.status_code == 303
    with app.app_context():
        payout = db.session.execute(sa.select(Payout)).scalar_one()
        assert (payout.producer_id, payout.amount_vnd, payout.reference, payout.recorded_by_id) == (
            oranges, 700_000, "FT2606", admin
        )
        entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "payout.recorded")).scalar_one()
        assert entry.actor_id == admin and entry.changes["amount_vnd"] == 700_000
        assert [b.owed_vnd for b in payouts.balances() if b.producer_id == oranges] == [0]
    # Nobody is owed anything more for the oranges: they are no longer offered.
    assert f'<option value="{oranges}"' not in admin_client.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("700.001", "lớn hơn số còn nợ nhà vườn (700.000\xa0₫)"),
        ("0", "phải lớn hơn 0"),
        ("-5", "Hãy nhập số đồng nguyên"),
        ("12,5", "Hãy nhập số đồng nguyên"),
        ("", "Hãy nhập số đồng nguyên"),
    ],
)
def test_a_payout_of_more_than_is_owed_or_of_nothing_is_refused_on_the_amount(app, admin_client, amount, message):
    _placed, (oranges, _com) = paid_by_card(app)

    response = admin_client.post(PAGE, data={"producer_id": oranges, "amount": amount, "reference": "FT1"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'<p class="error-text" id="amount-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert f'value="{amount}"' in html or amount == ""  # what was typed comes back
    with app.app_context():
        assert db.session.execute(sa.select(Payout)).first() is None


def test_a_payout_for_a_producer_owed_nothing_is_refused(app, admin_client):
    placed = place_two_producer_checkout(app, method=PaymentMethod.CARD)  # not paid
    with app.app_context():
        producer_id = db.session.get(Order, placed.order_ids[0]).producer_id
    response = admin_client.post(PAGE, data={"producer_id": producer_id, "amount": "1000"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.execute(sa.select(Payout)).first() is None
