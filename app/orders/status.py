"""An order's states and the moves between them, through one transition table.

Each move is applied with a compare-and-set UPDATE (…WHERE status = the state we saw), so two
moves racing for one order (a seller cancelling while Stripe reports the session expired) cannot
both happen: the second finds the order already moved and gets a named error. The move that
leaves a stock-holding state for cancelled or refunded returns the stock, once.

Functions here flush but never commit; the caller commits once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.catalog import stock
from app.catalog.access import may_manage_producer
from app.catalog.models import StockReason
from app.common.errors import NotAllowed, RuleBroken
from app.common.timezone import utcnow
from app.extensions import db
from app.orders import notices
from app.orders.models import DeliveryMethod, NoticeKind, Order, OrderEvent, OrderStatus, PaymentMethod

S = OrderStatus


class Move(enum.Enum):
    PAY = "pay"  # the money arrived: Stripe's webhook, or the seller saw the transfer
    CONFIRM = "confirm"
    SHIP = "ship"
    DELIVER = "deliver"  # handed over; cash on delivery is collected at the same time
    COMPLETE = "complete"
    CANCEL = "cancel"
    EXPIRE = "expire"  # a card payment expired or failed: the held stock goes back
    REFUND = "refund"


class Party(enum.Enum):
    SELLER = "seller"
    BUYER = "buyer"
    STRIPE = "stripe"
    SYSTEM = "system"


# move → {state it may start from: state it ends in}
TRANSITIONS: dict[Move, dict[OrderStatus, OrderStatus]] = {
    Move.PAY: {S.AWAITING_PAYMENT: S.PLACED},
    Move.CONFIRM: {S.PLACED: S.CONFIRMED},
    Move.SHIP: {S.CONFIRMED: S.SHIPPED},
    Move.DELIVER: {S.CONFIRMED: S.DELIVERED, S.SHIPPED: S.DELIVERED},
    Move.COMPLETE: {S.DELIVERED: S.COMPLETED},
    Move.CANCEL: {S.AWAITING_PAYMENT: S.CANCELLED, S.PLACED: S.CANCELLED, S.CONFIRMED: S.CANCELLED},
    Move.EXPIRE: {S.AWAITING_PAYMENT: S.CANCELLED},
    Move.REFUND: {
        S.PLACED: S.REFUNDED, S.CONFIRMED: S.REFUNDED, S.SHIPPED: S.REFUNDED,
        S.DELIVERED: S.REFUNDED, S.COMPLETED: S.REFUNDED,
    },
}

# Who may make each move. The buyer may cancel only before the seller has confirmed.
PARTIES: dict[Move, set[Party]] = {
    Move.PAY: {Party.SELLER, Party.STRIPE},
    Move.CONFIRM: {Party.SELLER},
    Move.SHIP: {Party.SELLER},
    Move.DELIVER: {Party.SELLER},
    Move.COMPLETE: {Party.SELLER, Party.SYSTEM},
    Move.CANCEL: {Party.SELLER, Party.BUYER, Party.SYSTEM},
    Move.EXPIRE: {Party.STRIPE, Party.SYSTEM},
    Move.REFUND: {Party.SELLER, Party.STRIPE},
}
BUYER_MAY_CANCEL = {S.AWAITING_PAYMENT, S.PLACED}

# States in which the order still holds its stock (taken at checkout, not yet sent away).
HOLDS_STOCK = {S.AWAITING_PAYMENT, S.PLACED, S.CONFIRMED}

STATUS_LABELS = {
    S.AWAITING_PAYMENT: _l("Chờ thanh toán"),
    S.PLACED: _l("Mới đặt"),
    S.CONFIRMED: _l("Đã xác nhận"),
    S.SHIPPED: _l("Đang giao"),
    S.DELIVERED: _l("Đã giao"),
    S.COMPLETED: _l("Hoàn tất"),
    S.CANCELLED: _l("Đã huỷ"),
    S.REFUNDED: _l("Đã hoàn tiền"),
}

MOVE_LABELS = {
    Move.PAY: _l("Đã nhận tiền chuyển khoản"),
    Move.CONFIRM: _l("Xác nhận đơn"),
    Move.SHIP: _l("Đã gửi hàng"),
    Move.DELIVER: _l("Đã giao hàng"),
    Move.COMPLETE: _l("Hoàn tất"),
    Move.CANCEL: _l("Huỷ đơn"),
    Move.EXPIRE: _l("Hết hạn thanh toán"),
    Move.REFUND: _l("Đã hoàn tiền"),
}


class OrderMoveNotAllowed(RuleBroken):
    """The order is not in a state where this move can happen."""


class OrderAlreadyCancelled(OrderMoveNotAllowed):
    pass


class OrderAlreadyRefunded(OrderMoveNotAllowed):
    pass


class OrderAlreadySent(OrderMoveNotAllowed):
    """Cancelling, say, once the goods have left: too late."""


class OrderNotPaid(OrderMoveNotAllowed):
    """Completing or refunding an order whose money never arrived."""


class OrderMovedMeanwhile(OrderMoveNotAllowed):
    """Someone else moved the order between reading it and changing it."""


def _error_for(order: Order, move: Move) -> OrderMoveNotAllowed:
    status = order.status
    if status == S.CANCELLED:
        return OrderAlreadyCancelled(_l("Đơn %(code)s đã bị huỷ.", code=order.code))
    if status == S.REFUNDED:
        return OrderAlreadyRefunded(_l("Đơn %(code)s đã được hoàn tiền.", code=order.code))
    if move == Move.CANCEL and status in (S.SHIPPED, S.DELIVERED, S.COMPLETED):
        return OrderAlreadySent(_l("Đơn %(code)s đã gửi đi, không huỷ được nữa.", code=order.code))
    if status == S.AWAITING_PAYMENT:
        return OrderNotPaid(_l("Đơn %(code)s chưa được thanh toán.", code=order.code))
    return OrderMoveNotAllowed(
        _l("Đơn %(code)s đang ở trạng thái “%(status)s”: không thể “%(move)s”.",
           code=order.code, status=STATUS_LABELS[status], move=MOVE_LABELS[move])
    )


def allowed_moves(order: Order, party: Party = Party.SELLER) -> list[Move]:
    """The moves a party may make now, for the buttons on the order page."""
    moves = []
    for move, table in TRANSITIONS.items():
        if order.status not in table or party not in PARTIES[move]:
            continue
        if not _payment_allows(order, move):
            continue
        if party == Party.BUYER and (move != Move.CANCEL or not buyer_may_cancel(order)):
            continue
        if move == Move.PAY and party == Party.SELLER and order.checkout.payment_method != PaymentMethod.BANK_TRANSFER:
            continue
        if (move == Move.CANCEL and order.status == S.AWAITING_PAYMENT
                and order.checkout.payment_method == PaymentMethod.CARD):
            continue
        moves.append(move)
    return moves


def _payment_allows(order: Order, move: Move) -> bool:
    if move == Move.PAY:
        return order.paid_at is None
    if move == Move.COMPLETE or move == Move.REFUND:
        return order.paid_at is not None
    if move == Move.DELIVER and order.status == S.CONFIRMED:
        return order.delivery_method == DeliveryMethod.PICKUP  # handed over at the pickup point
    if move == Move.SHIP:
        return order.delivery_method != DeliveryMethod.PICKUP  # picked up: delivered, never shipped
    return True


@dataclass(frozen=True)
class Actor:
    party: Party
    user: User | None = None


def _check_party(order: Order, move: Move, actor: Actor) -> None:
    if actor.party not in PARTIES[move]:
        raise NotAllowed(_l("Bạn không thể làm việc này với đơn hàng."))
    if actor.party == Party.SELLER and not may_manage_producer(actor.user, order.producer):
        raise NotAllowed(_l("Đơn hàng này không phải của bạn."))
    if move == Move.PAY:
        # A card is paid only when Stripe says so; a transfer only when the seller has seen it.
        expected = Party.STRIPE if order.checkout.payment_method == PaymentMethod.CARD else Party.SELLER
        if actor.party != expected or order.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY:
            raise NotAllowed(_l("Đơn này không thanh toán theo cách đó."))
    if (move == Move.CANCEL and order.status == S.AWAITING_PAYMENT
            and order.checkout.payment_method == PaymentMethod.CARD):
        # Stripe may be taking the money this minute: the session is expired first (EXPIRE, by
        # the payment side), so a payment cannot land on an order cancelled meanwhile.
        raise OrderMoveNotAllowed(
            _l("Đơn %(code)s đang chờ thanh toán thẻ: nếu không được trả, đơn tự huỷ sau 30 phút.", code=order.code)
        )
    if actor.party == Party.BUYER and not buyer_may_cancel(order):
        if order.status == S.CONFIRMED:
            raise OrderMoveNotAllowed(
                _l("Người bán đã xác nhận đơn %(code)s: hãy liên hệ người bán nếu muốn huỷ.", code=order.code)
            )
        raise _error_for(order, move)


def buyer_may_cancel(order: Order) -> bool:
    """Before the seller confirms. A card checkout awaiting payment is left to expire instead,
    so a payment finishing at that moment cannot land on a cancelled order."""
    if order.status == S.AWAITING_PAYMENT and order.checkout.payment_method == PaymentMethod.CARD:
        return False
    return order.status in BUYER_MAY_CANCEL


def apply(order: Order, move: Move, actor: Actor, *, reason: str = "", now: datetime | None = None) -> Order:
    """Make one move of an order, or raise a named OrderMoveNotAllowed (or NotAllowed)."""
    now = now or utcnow()
    _check_party(order, move, actor)
    table = TRANSITIONS[move]
    if order.status not in table or not _payment_allows(order, move):
        raise _error_for(order, move)
    before, after = order.status, table[order.status]
    if move == Move.CANCEL and not (reason or "").strip() and actor.party == Party.SELLER:
        raise RuleBroken(_l("Hãy ghi lý do huỷ để người mua hiểu."), "reason")

    values: dict = {"status": after, "status_changed_at": now}
    paid_now = move == Move.PAY or (
        move == Move.DELIVER and order.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY
    )
    if paid_now and order.paid_at is None:
        values["paid_at"] = now
    returns_stock = after in (S.CANCELLED, S.REFUNDED) and before in HOLDS_STOCK and order.stock_returned_at is None
    if returns_stock:
        values["stock_returned_at"] = now
    if after == S.CANCELLED:
        values["cancel_reason"] = (reason or "").strip()[:300]

    moved = db.session.execute(
        sa.update(Order).where(Order.id == order.id, Order.status == before).values(**values),
        execution_options={"synchronize_session": False},
    ).rowcount
    if moved != 1:
        db.session.refresh(order)
        raise OrderMovedMeanwhile(
            _l("Đơn %(code)s vừa được cập nhật ở nơi khác; hãy xem lại trạng thái.", code=order.code)
        )
    for key, value in values.items():
        sa.orm.attributes.set_committed_value(order, key, value)

    if returns_stock:
        why = {Move.EXPIRE: StockReason.EXPIRY, Move.REFUND: StockReason.REFUND}.get(move, StockReason.CANCELLATION)
        for line in order.lines:
            if line.product_id is not None:
                stock.put_back(line.product_id, line.quantity, why, order.code,
                               actor.user.id if actor.user else None)

    record(order, before, after, actor, reason=reason, now=now,
           payment_note="paid" if "paid_at" in values else "")
    _notify(order, move, before)
    db.session.flush()
    return order


def record(order: Order, before: OrderStatus | None, after: OrderStatus, actor: Actor, *,
           reason: str = "", now: datetime | None = None, payment_note: str = "") -> OrderEvent:
    event = OrderEvent(
        order=order, at=now or utcnow(), actor_id=actor.user.id if actor.user else None,
        actor_kind=actor.party.value, from_status=before, to_status=after,
        reason=(reason or "").strip()[:300], payment_note=payment_note,
    )
    db.session.add(event)
    return event


def _notify(order: Order, move: Move, before: OrderStatus) -> None:
    if move == Move.PAY:
        notices.queue(order, NoticeKind.PLACED, "buyer")
        notices.queue(order, NoticeKind.PLACED, "seller")
    elif move == Move.CONFIRM:
        notices.queue(order, NoticeKind.CONFIRMED, "buyer")
    elif move == Move.SHIP:
        notices.queue(order, NoticeKind.SHIPPED, "buyer")
    elif move in (Move.CANCEL, Move.EXPIRE):
        notices.queue(order, NoticeKind.CANCELLED, "buyer")
        if before != S.AWAITING_PAYMENT or order.checkout.payment_method == PaymentMethod.BANK_TRANSFER:
            notices.queue(order, NoticeKind.CANCELLED, "seller")
