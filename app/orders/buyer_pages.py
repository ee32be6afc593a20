"""The buyer's pages after checkout: a checkout's orders and each order's page (reached by the
private link in the confirmation, signed in or not), the buyer's own cancel, and a signed-in
buyer's list of orders. Views of the orders blueprint (app.orders.routes).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from app.common.access import Audience, audience
from app.common.errors import RuleBroken
from app.extensions import db
from app.orders import codes, sections, status
from app.orders.models import Checkout, Order, OrderStatus
from app.orders.routes import _signed_in_user, bp


def _checkout_by_token(token: str) -> Checkout:
    found = db.session.execute(
        sa.select(Checkout)
        .where(Checkout.access_token == token)
        .options(
            selectinload(Checkout.orders).options(
                selectinload(Order.lines), selectinload(Order.events), joinedload(Order.producer)
            ),
            joinedload(Checkout.province), joinedload(Checkout.commune),
        )
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def _order_in(placed: Checkout, code: str) -> Order:
    order = next((o for o in placed.orders if o.code == codes.normalize(code)), None)
    if order is None:
        abort(404)
    return order


def _panels(order: Order, placed: Checkout) -> list:
    return [panel for panel in sections.payment_panel.call_each(order, placed) if panel]


@bp.get("/don-hang/<token>")
def checkout_status(token: str):
    placed = _checkout_by_token(token)
    return render_template(
        "orders/checkout_status.html", placed=placed, panels={o.id: _panels(o, placed) for o in placed.orders},
        buyer_may_cancel=status.buyer_may_cancel, status_label=_status_label,
    )


@bp.get("/don-hang/<token>/<code>")
def order_status(token: str, code: str):
    placed = _checkout_by_token(token)
    order = _order_in(placed, code)
    return render_template(
        "orders/order_status.html", placed=placed, order=order, panels=_panels(order, placed),
        buyer_may_cancel=status.buyer_may_cancel(order), status_label=_status_label,
    )


# Cancelling cannot be undone (the order cannot be reopened, its stock goes back on sale, the
# seller is told): the order page links to a page that asks, and only its POST, carrying this
# value, cancels. A POST without it shows that page again and changes nothing.
CONFIRM_CANCEL = "huy-don"


def _render_cancel(placed: Checkout, order: Order, code: int = 200):
    return render_template(
        "orders/order_cancel.html", placed=placed, order=order, confirm=CONFIRM_CANCEL,
        buyer_may_cancel=status.buyer_may_cancel(order), reason=(request.form.get("reason") or "")[:300],
    ), code


@bp.get("/don-hang/<token>/<code>/huy")
def confirm_buyer_cancel(token: str, code: str):
    placed = _checkout_by_token(token)
    return _render_cancel(placed, _order_in(placed, code))


@bp.post("/don-hang/<token>/<code>/huy")
def buyer_cancel(token: str, code: str):
    placed = _checkout_by_token(token)
    order = _order_in(placed, code)
    if request.form.get("confirm") != CONFIRM_CANCEL:
        return _render_cancel(placed, order, 400)  # asked again; nothing is cancelled
    try:
        status.apply(order, status.Move.CANCEL, status.Actor(status.Party.BUYER, _signed_in_user()),
                     reason=(request.form.get("reason") or _("Người mua huỷ")).strip())
    except RuleBroken as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return render_template(
            "orders/order_status.html", placed=_checkout_by_token(token), order=order, panels=[],
            buyer_may_cancel=False, status_label=_status_label,
        ), 409
    db.session.commit()
    flash(_("Đã huỷ đơn %(code)s.", code=order.code), "success")
    return redirect(url_for("orders.order_status", token=token, code=order.code), 303)


@bp.get("/tai-khoan/don-hang")
@audience(Audience.SIGNED_IN)
def my_orders():
    placed = list(
        db.session.execute(
            sa.select(Checkout)
            .where(Checkout.user_id == current_user.id)
            .options(selectinload(Checkout.orders).joinedload(Order.producer))
            .order_by(Checkout.created_at.desc(), Checkout.id.desc())
            .limit(100)
        ).scalars()
    )
    return render_template("orders/my_orders.html", checkouts=placed, status_label=_status_label)


def _status_label(value: OrderStatus) -> str:
    return str(status.STATUS_LABELS[value])
