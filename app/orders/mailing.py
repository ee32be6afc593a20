"""Sending the mail an order change owes (OrderNotice rows, queued by orders.notices).

`send_due()` is the whole job behind `flask send-order-mail`, which cron runs every few minutes.
As with the livestream reminders, a message leaves only after its row has been claimed with a
conditional UPDATE and the claim committed, so two copies of the job never both send it, and a
change that rolled back left no row to send.

A claim that never got its `sent_at` is taken again once it is STALE_CLAIM old: the copy that
made it died between committing the claim and recording the send (killed by a deploy, out of
memory, the database gone), and without this the buyer would never hear. Fifteen minutes is far
longer than a send takes (the SMTP timeout is 30 seconds a message), so a copy still at work is
not overtaken; the price is that a copy which did send and then died before recording it sends
the message again, and one message twice is better than none.

A failure is recorded on the row (`failed`) and logged with the order's code, never an address:
- the mail server or the outbox could not take it (MailNotSent): the claim is given back and the
  next run tries again, unless some of the row's messages had already gone (a cooperative's
  several managers), which a retry would send twice;
- the mail layer refused the address (ValueError), or a seller has no address at all: it would
  fail the same way next time, so the claim is kept and the row is not tried again.
A buyer who left no email is owed nothing by mail: those rows are passed over silently.

Links are built with url_for, so the job runs inside a request context whose base URL is the
site's address (the command sets one up from SITE_URL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from app.catalog.models import Producer
from app.common import mail
from app.common.timezone import utcnow
from app.common.urls import absolute_url
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.orders import codes
from app.orders.labels import DELIVERY_LABELS, PAYMENT_LABELS
from app.orders.models import Checkout, DeliveryMethod, NoticeKind, Order, OrderNotice, PaymentMethod
from app.orders.status import STATUS_LABELS

STALE_CLAIM = timedelta(minutes=15)


@dataclass
class Report:
    """What one run did: notices whose mail went to the mail layer, and those that failed."""

    sent: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Message:
    notice_id: int
    order_code: str
    kind: NoticeKind
    recipient: str  # "buyer" or "seller": the only words about the people that reach the log
    outgoing: tuple[mail.OutgoingMail, ...]


def buyer_order_url(order: Order) -> str:
    """The buyer's private link to their order (the checkout's access token opens it)."""
    return absolute_url("orders.order_status", token=order.checkout.access_token, code=order.code)


def seller_order_url(order: Order) -> str:
    return absolute_url("seller_orders.order_detail", code=order.code)


def _claimable(now: datetime):
    """Unsent, and unclaimed or claimed by a copy that died (never a row that failed for good)."""
    return sa.and_(
        OrderNotice.sent_at.is_(None),
        sa.or_(
            OrderNotice.claimed_at.is_(None),
            sa.and_(OrderNotice.claimed_at < now - STALE_CLAIM, OrderNotice.failed == sa.false()),
        ),
    )


def _pending(now: datetime) -> list[OrderNotice]:
    """Every notice to send now, with what its messages show, in a fixed number of queries."""
    order = contains_eager(OrderNotice.order)
    producer = order.joinedload(Order.producer)
    return list(
        db.session.execute(
            sa.select(OrderNotice)
            .join(OrderNotice.order)
            .join(Order.checkout)
            .where(
                _claimable(now),
                sa.or_(OrderNotice.recipient != "buyer", Checkout.buyer_email.is_not(None)),
            )
            .options(
                order.contains_eager(Order.checkout),
                order.selectinload(Order.lines),
                producer.joinedload(Producer.user),
                producer.joinedload(Producer.cooperative).selectinload(Cooperative.managers),
            )
            .order_by(OrderNotice.id)
        ).scalars()
    )


@dataclass(frozen=True)
class _Person:
    address: str
    name: str
    language: str | None


def _people(notice: OrderNotice) -> list[_Person]:
    """Who gets the notice: the buyer, or the producer's own account, else the cooperative's
    managers (a member without an account of their own sells through them)."""
    order = notice.order
    if notice.recipient == "buyer":
        checkout = order.checkout
        return [_Person(checkout.buyer_email, checkout.buyer_name, checkout.language)] if checkout.buyer_email else []
    owner = order.producer.user
    if owner is not None and owner.email and owner.active:
        return [_Person(owner.email, owner.full_name, owner.locale)]
    cooperative = order.producer.cooperative
    managers = cooperative.managers if cooperative is not None else []
    return [_Person(m.email, m.full_name, m.locale) for m in managers if m.email and m.active]


def _language(code: str | None) -> str:
    return code if code in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _subject(kind: NoticeKind, recipient: str, code: str) -> str:
    if recipient == "seller":
        if kind == NoticeKind.PLACED:
            return _("Đơn hàng mới %(code)s", code=code)
        if kind == NoticeKind.CANCELLED:
            return _("Đơn %(code)s đã bị huỷ", code=code)
    else:
        if kind == NoticeKind.PLACED:
            return _("Chợ Phiên đã nhận đơn %(code)s", code=code)
        if kind == NoticeKind.CONFIRMED:
            return _("Đơn %(code)s đã được người bán xác nhận", code=code)
        if kind == NoticeKind.SHIPPED:
            return _("Đơn %(code)s đang trên đường tới bạn", code=code)
        if kind == NoticeKind.CANCELLED:
            return _("Đơn %(code)s đã bị huỷ", code=code)
    return _("Tin về đơn %(code)s", code=code)


def _compose(notice: OrderNotice, person: _Person) -> mail.OutgoingMail:
    order = notice.order
    with force_locale(_language(person.language)):
        code = codes.display(order.code)
        text = render_template(
            f"orders/mail/{notice.recipient}.txt",
            kind=notice.kind.value,
            order=order,
            checkout=order.checkout,
            code=code,
            name=person.name,
            status=str(STATUS_LABELS[order.status]),
            payment=str(PAYMENT_LABELS[order.checkout.payment_method]),
            delivery=str(DELIVERY_LABELS[order.delivery_method]),
            cash=order.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and order.paid_at is None,
            pickup=order.delivery_method == DeliveryMethod.PICKUP,
            order_url=buyer_order_url(order) if notice.recipient == "buyer" else seller_order_url(order),
        )
        return mail.OutgoingMail(to=person.address, subject=_subject(notice.kind, notice.recipient, code), text=text)


def _message(notice: OrderNotice) -> _Message:
    outgoing = tuple(_compose(notice, person) for person in _people(notice))
    return _Message(notice.id, notice.order.code, notice.kind, notice.recipient, outgoing)


# A job, not a request: each claim and each outcome is committed on its own, so another copy sees
# the claim before the mail goes out, and what was sent stays recorded if the job dies halfway.


def _update(notice_id: int, *conditions, **values) -> bool:
    statement = sa.update(OrderNotice).where(OrderNotice.id == notice_id, *conditions).values(**values)
    changed = db.session.execute(statement.execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return changed


def _claim(notice_id: int, now: datetime) -> bool:
    return _update(notice_id, _claimable(now), claimed_at=now)


def _sent(notice_id: int, now: datetime) -> None:
    _update(notice_id, OrderNotice.sent_at.is_(None), sent_at=now, failed=False)


def _failed(notice_id: int, retry: bool) -> None:
    if retry:
        _update(notice_id, OrderNotice.sent_at.is_(None), failed=True, claimed_at=None)
    else:
        _update(notice_id, OrderNotice.sent_at.is_(None), failed=True)


def send_due(now: datetime | None = None,
             send: Callable[[mail.OutgoingMail], object] = mail.send_mail) -> Report:
    """Send every order notice owed at `now`; commits as it goes.

    Runs inside a request context (for the links) and with no changes pending in the session.
    """
    now = now or utcnow()
    # Composed before the first commit, while the rows are loaded: a commit expires them.
    messages = [_message(notice) for notice in _pending(now)]
    report = Report()
    logger = current_app.logger
    for message in messages:
        if not _claim(message.notice_id, now):
            continue
        about = (message.order_code, message.kind.value, message.recipient)
        if not message.outgoing:
            _failed(message.notice_id, retry=False)
            report.failed += 1
            logger.warning("Order %s: the %s notice for the %s has nobody to go to (no address)", *about)
            continue
        delivered = 0
        try:
            for outgoing in message.outgoing:
                send(outgoing)
                delivered += 1
        except mail.MailNotSent as error:
            retry = delivered == 0
            _failed(message.notice_id, retry=retry)
            report.failed += 1
            logger.warning("Order %s: the %s notice for the %s not sent%s: %s",
                           *about, ", will retry" if retry else " to everyone, not retried", error)
            continue
        except ValueError as error:
            _failed(message.notice_id, retry=False)
            report.failed += 1
            logger.error("Order %s: the %s notice for the %s refused by the mail layer, not retried: %s",
                         *about, error)
            continue
        _sent(message.notice_id, now)
        report.sent += 1
    return report
