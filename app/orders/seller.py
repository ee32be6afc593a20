"""The seller's side of orders: the list, one order's page with its moves, the delivery note.

Each view loads, checks that the person manages the order's producer (another seller's order is
answered 404, so its code tells nothing), calls status.apply and commits once. A move the order
cannot make comes back on the order's page with the reason and 409, nothing changed; a cancel
without a reason comes back with the box marked and 400.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user

from app.catalog.access import may_manage_producer
from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.common.pagination import page_number
from app.common.timezone import utcnow
from app.extensions import db
from app.orders import codes, queries, seller_sections
from app.orders.labels import ACTOR_LABELS, DELIVERY_LABELS, PAYMENT_LABELS
from app.orders.models import DeliveryMethod, Order, OrderStatus, PaymentMethod
from app.orders.seller_forms import MoveForm
from app.orders.status import MOVE_LABELS, STATUS_LABELS, Actor, Move, Party, allowed_moves, apply

bp = Blueprint("seller_orders", __name__, url_prefix="/quan-ly/don-hang")
declare(bp, Audience.SELLER)
# The dashboard's count of new orders and a live's sales, on pages of domains orders builds on.
bp.record_once(lambda state: seller_sections.register(state.app))

STATUS_PARAM = "trang-thai"
# Moves that cannot be undone: kept apart from the day's work, in red, behind a second tap.
DANGER_MOVES = (Move.CANCEL, Move.REFUND)


def _done(move: Move, code: str) -> str:
    """What the seller is told once a move is made."""
    return {
        Move.PAY: _("Đã ghi nhận tiền chuyển khoản cho đơn %(code)s.", code=code),
        Move.CONFIRM: _("Đã xác nhận đơn %(code)s.", code=code),
        Move.SHIP: _("Đã ghi đơn %(code)s là đang giao.", code=code),
        Move.DELIVER: _("Đã ghi đơn %(code)s là đã giao.", code=code),
        Move.COMPLETE: _("Đơn %(code)s đã hoàn tất.", code=code),
        Move.CANCEL: _("Đã huỷ đơn %(code)s.", code=code),
        Move.REFUND: _("Đã ghi đơn %(code)s là đã hoàn tiền.", code=code),
    }.get(move, _("Đã lưu thay đổi."))


@bp.app_template_filter("order_code")
def order_code(code: str) -> str:
    return codes.display(code)


def _age(moment: datetime) -> str:
    """How long ago, in the reader's language: "3 giờ trước"."""
    return format_timedelta(moment - utcnow(), granularity="minute", add_direction=True)


def _labels() -> dict:
    return {
        "status_labels": STATUS_LABELS,
        "move_labels": MOVE_LABELS,
        "payment_labels": PAYMENT_LABELS,
        "delivery_labels": DELIVERY_LABELS,
        "actor_labels": ACTOR_LABELS,
        "age": _age,
    }


def _status_filter(text: str) -> OrderStatus | None:
    try:
        return OrderStatus(text)
    except ValueError:
        return None  # an unknown or empty filter lists every order


@bp.get("/")
def order_list():
    producer_ids = queries.managed_producer_ids(current_user)
    chosen = _status_filter(request.args.get(STATUS_PARAM, ""))
    return render_template(
        "orders/seller_list.html",
        orders=queries.seller_orders(producer_ids, chosen, page_number(request.args)),
        chosen=chosen,
        counts=queries.status_counts(producer_ids),
        live_sales=queries.sales_by_live(producer_ids),
        has_producers=bool(producer_ids),
        status_param=STATUS_PARAM,
        **_labels(),
    )


def _order_for_seller(code: str) -> Order:
    order = queries.order_by_code(codes.normalize(code))
    if order is None or not may_manage_producer(current_user, order.producer):
        abort(404)
    return order


def _render_order(order: Order, posted: dict[Move, MoveForm] | None = None, code: int = 200):
    moves = allowed_moves(order, Party.SELLER)
    forms = {move: (posted or {}).get(move) or MoveForm(prefix=move.value, formdata=None) for move in moves}
    page = render_template(
        "orders/seller_order.html",
        order=order,
        checkout=order.checkout,
        main_moves=[move for move in moves if move not in DANGER_MOVES],
        danger_moves=[move for move in moves if move in DANGER_MOVES],
        forms=forms,
        is_pickup=order.delivery_method == DeliveryMethod.PICKUP,
        **_labels(),
    )
    return page, code


@bp.get("/<code>")
def order_detail(code: str):
    return _render_order(_order_for_seller(code))


@bp.post("/<code>/<move>")
def move_order(code: str, move: str):
    order = _order_for_seller(code)
    try:
        chosen = Move(move)
    except ValueError:
        abort(404)
    form = MoveForm(prefix=chosen.value)
    if not form.validate():
        return _render_order(order, {chosen: form}, 400)
    try:
        apply(order, chosen, Actor(Party.SELLER, current_user), reason=form.reason.data or "")
    except RuleBroken as error:
        db.session.rollback()
        order = _order_for_seller(code)
        if error.field == "reason":
            show_error(form, error)
            return _render_order(order, {chosen: form}, 400)
        flash(str(error.message), "error")
        return _render_order(order, {chosen: form}, 409)
    db.session.commit()
    flash(_done(chosen, codes.display(order.code)), "success")
    return redirect(url_for("seller_orders.order_detail", code=order.code), 303)


@bp.get("/<code>/phieu-giao")
def delivery_note(code: str):
    """A label for the parcel: A6, what the courier or the seller needs at the door."""
    order = _order_for_seller(code)
    cash = order.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY
    return render_template(
        "orders/delivery_note.html",
        order=order,
        checkout=order.checkout,
        collect_vnd=order.total_vnd if cash and order.paid_at is None else 0,
        paid=order.paid_at is not None,
        is_pickup=order.delivery_method == DeliveryMethod.PICKUP,
        **_labels(),
    )
