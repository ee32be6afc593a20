"""`flask send-order-mail`: the mail an order change owes the buyer and the seller, sent once.

Every test reads the outbox the mail layer writes (the test app has no SMTP server).
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.catalog.models import Product
from app.common import mail
from app.extensions import db
from app.orders import cart as carts
from app.orders import checkout, mailing
from app.orders.codes import display
from app.orders.models import Checkout, Order, OrderNotice
from app.orders.status import Actor, Move, Party, apply
from tests.factories import CooperativeFactory, ProducerFactory, ProductFactory, UserFactory, delivery_plan
from tests.orders.helpers import values

SITE = "https://chophien.vn"
BUYER = "hoa@example.vn"


@pytest.fixture
def shop(app):
    """A producer with their own account, one product and a pickup point."""
    with app.app_context():
        owner = UserFactory(full_name="Bác Lộc", email="loc@example.vn", roles=[Role.PRODUCER])
        product = ProductFactory(producer=ProducerFactory(display_name="Vườn cam bác Lộc", user=owner),
                                 name="Cam Xã Đoài", price_vnd=350_000)
        plan = delivery_plan(product.producer)
        db.session.commit()
        return {"product": product.id, "producer": product.producer_id, "pickup": plan.pickup_points[0].id}


def place(app, shop, quantity=2, commit=True, **buyer) -> str:
    with app.app_context():
        cart = carts.find_or_create(None, None)
        carts.add(cart, db.session.get(Product, shop["product"]), quantity)
        placed = checkout.place(cart, values({shop["producer"]: str(shop["pickup"])}, **buyer))
        code = placed.orders[0].code
        if commit:
            db.session.commit()
        else:
            db.session.rollback()
        return code


def send_due(app, **kwargs) -> mailing.Report:
    with app.test_request_context(base_url=SITE):
        return mailing.send_due(**kwargs)


def outbox(app) -> list:
    return mail.read_outbox(app.config["MAIL_OUTBOX_DIR"])


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def notices(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(sa.select(OrderNotice).order_by(OrderNotice.id)).scalars()
        return [(n.kind.value, n.recipient, n.sent_at is not None, n.failed) for n in rows]


def test_a_placed_order_owes_the_buyer_and_the_seller_one_message_each(app, shop):
    code = place(app, shop)
    assert notices(app) == [("placed", "buyer", False, False), ("placed", "seller", False, False)]

    report = send_due(app)

    assert (report.sent, report.failed) == (2, 0)
    assert notices(app) == [("placed", "buyer", True, False), ("placed", "seller", True, False)]
    to_buyer, to_seller = sorted(outbox(app), key=lambda m: m["To"] != BUYER)
    with app.app_context():
        token = db.session.execute(
            sa.select(Checkout.access_token).join(Order).where(Order.code == code)
        ).scalar_one()

    assert to_buyer["To"] == BUYER and to_buyer["Subject"] == f"Chợ Phiên đã nhận đơn {display(code)}"
    text = body(to_buyer)
    for expected in ("Chào Nguyễn Thị Hoa,", display(code), "Cam Xã Đoài × 2 thùng 10 kg: 700.000\xa0₫",
                     "Tổng cộng: 700.000\xa0₫", "Trạng thái: Mới đặt", "Vườn cam bác Lộc",
                     f"{SITE}/don-hang/{token}/{code}"):
        assert expected in text, expected

    assert to_seller["To"] == "loc@example.vn" and to_seller["Subject"] == f"Đơn hàng mới {display(code)}"
    text = body(to_seller)
    assert "Chào Bác Lộc," in text and "Nguyễn Thị Hoa" in text and f"{SITE}/quan-ly/don-hang/{code}" in text
    assert token not in text  # the buyer's private link is the buyer's
    assert "0912" not in text  # the phone and address stay on the seller's page


def test_each_message_goes_once_when_the_job_runs_twice(app, shop):
    place(app, shop)
    assert send_due(app).sent == 2
    again = send_due(app)
    assert (again.sent, again.failed) == (0, 0)
    assert len(outbox(app)) == 2


def test_a_change_that_rolled_back_sends_nothing(app, shop):
    place(app, shop, commit=False)
    assert notices(app) == []
    assert send_due(app).sent == 0
    assert outbox(app) == []


def test_the_sellers_moves_tell_the_buyer(app, shop):
    code = place(app, shop)
    send_due(app)
    with app.app_context():
        order = db.session.execute(sa.select(Order).where(Order.code == code)).scalar_one()
        seller = order.producer.user
        apply(order, Move.CONFIRM, Actor(Party.SELLER, seller))
        db.session.commit()
    send_due(app)
    with app.app_context():
        order = db.session.execute(sa.select(Order).where(Order.code == code)).scalar_one()
        apply(order, Move.CANCEL, Actor(Party.SELLER, order.producer.user), reason="Mưa đá, cam rụng hết")
        db.session.commit()
    send_due(app)

    subjects = [(m["To"], m["Subject"]) for m in outbox(app)[2:]]
    assert subjects == [
        (BUYER, f"Đơn {display(code)} đã được người bán xác nhận"),
        (BUYER, f"Đơn {display(code)} đã bị huỷ"),
        ("loc@example.vn", f"Đơn {display(code)} đã bị huỷ"),
    ]
    assert "Lý do: Mưa đá, cam rụng hết" in body(outbox(app)[3])


def test_a_buyer_without_email_is_passed_over_quietly(app, shop, caplog):
    place(app, shop, email="")
    report = send_due(app)
    assert (report.sent, report.failed) == (1, 0)
    assert [m["To"] for m in outbox(app)] == ["loc@example.vn"]
    assert notices(app) == [("placed", "buyer", False, False), ("placed", "seller", True, False)]
    assert "buyer" not in caplog.text


def test_a_member_without_an_account_is_told_through_the_cooperatives_managers(app):
    with app.app_context():
        managers = [UserFactory(email=f"htx{i}@example.vn", roles=[Role.COOPERATIVE_MANAGER]) for i in range(2)]
        coop = CooperativeFactory(managers=managers)
        product = ProductFactory(producer=ProducerFactory(user=None, cooperative=coop))
        plan = delivery_plan(product.producer)
        db.session.commit()
        shop = {"product": product.id, "producer": product.producer_id, "pickup": plan.pickup_points[0].id}
    place(app, shop)
    send_due(app)
    assert sorted(m["To"] for m in outbox(app)) == [BUYER, "htx0@example.vn", "htx1@example.vn"]


def test_the_buyer_reads_in_the_language_they_ordered_in(app, shop):
    code = place(app, shop)
    with app.app_context():
        db.session.execute(sa.update(Checkout).values(language="en"))
        db.session.commit()
    send_due(app)
    to_buyer = next(m for m in outbox(app) if m["To"] == BUYER)
    assert to_buyer["Subject"] == f"Chợ Phiên has received order {display(code)}"
    assert "Total: ₫700,000" in body(to_buyer) and "Status: New" in body(to_buyer)
    to_seller = next(m for m in outbox(app) if m["To"] != BUYER)
    assert to_seller["Subject"].startswith("Đơn hàng mới")  # the seller's own language


def test_a_failure_is_recorded_logs_no_address_and_is_tried_again(app, shop, caplog, tmp_path):
    code = place(app, shop)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there

    with caplog.at_level(logging.INFO):
        report = send_due(app)

    assert (report.sent, report.failed) == (0, 2)
    assert notices(app) == [("placed", "buyer", False, True), ("placed", "seller", False, True)]
    assert code in caplog.text and "will retry" in caplog.text
    assert BUYER not in caplog.text and "loc@example.vn" not in caplog.text and "Hoa" not in caplog.text

    app.config["MAIL_SERVER"] = ""
    assert send_due(app).sent == 2
    assert notices(app) == [("placed", "buyer", True, False), ("placed", "seller", True, False)]


def test_an_address_the_mail_layer_refuses_is_not_tried_again(app, shop, caplog):
    place(app, shop)
    bad = "hoa@example.vn\nBcc: someone@example.vn"
    with app.app_context():
        db.session.execute(sa.update(Checkout).values(buyer_email=bad))
        db.session.commit()

    report = send_due(app)

    assert (report.sent, report.failed) == (1, 1)
    assert notices(app) == [("placed", "buyer", False, True), ("placed", "seller", True, False)]
    assert "example.vn" not in caplog.text
    assert send_due(app).failed == 0  # left alone from now on, even once the claim is old
    assert send_due(app, now=mailing.utcnow() + timedelta(hours=1)).failed == 0


def test_a_claim_left_by_a_job_that_died_is_taken_again_after_fifteen_minutes(app, shop, clock):
    place(app, shop)
    with app.app_context():
        # Claimed and committed by a copy that never got to send.
        db.session.execute(sa.update(OrderNotice).values(claimed_at=mailing.utcnow()))
        db.session.commit()

    assert send_due(app).sent == 0  # maybe still at work
    clock.advance(minutes=14)
    assert send_due(app).sent == 0
    clock.advance(minutes=2)
    assert send_due(app).sent == 2
    assert len(outbox(app)) == 2


def test_two_copies_of_the_job_share_the_messages_out(app, shop):
    place(app, shop)
    place(app, shop)
    seen = []

    def second_copy_runs_meanwhile(outgoing):
        # While the first copy sends its first message, a second copy runs to the end.
        if not seen:
            seen.append(send_due(app).sent)
        mail.send_mail(outgoing)

    first = send_due(app, send=second_copy_runs_meanwhile)
    assert (first.sent, seen) == (1, [3])
    assert len(outbox(app)) == 4


def test_loading_the_messages_takes_the_same_queries_for_one_or_many(app, shop, count_queries):
    def selects(statements):
        return [s for s in statements if s.lstrip().upper().startswith("SELECT")]

    def load():
        with app.test_request_context(base_url=SITE), count_queries() as statements:
            messages = [mailing._message(notice) for notice in mailing._pending(mailing.utcnow())]
        return messages, selects(statements)

    place(app, shop)
    few, one = load()
    for _ in range(4):
        place(app, shop, quantity=1)
    many_messages, many = load()
    assert (len(few), len(many_messages)) == (2, 10)
    assert len(many) == len(one), "\n".join(many)


def test_the_command_sends_and_reports(app, runner, shop):
    place(app, shop)
    app.config["SITE_URL"] = SITE

    result = runner.invoke(args=["send-order-mail"])

    assert result.exit_code == 0, result.output
    assert "Đã gửi 2 thư về đơn hàng; 0 lỗi." in result.output
    assert "Đã gửi 0 thư" in runner.invoke(args=["send-order-mail"]).output


def test_the_command_fails_when_mail_cannot_be_sent(app, runner, shop, tmp_path):
    place(app, shop)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app.config["MAIL_OUTBOX_DIR"] = str(blocked / "outbox")

    result = runner.invoke(args=["send-order-mail"])

    assert result.exit_code == 1
    assert "Đã gửi 0 thư về đơn hàng; 2 lỗi." in result.output
    assert "SITE_URL" in result.output
