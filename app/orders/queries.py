"""Reading orders for the people who sell: a seller's list, one order's page, what lives sold.

Every function takes the ids of the producers the person manages (catalog.access decides which:
their own, a cooperative's members, or all for an admin), so no query can reach another
seller's orders by forgetting a check. Each runs a fixed number of queries whatever the length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.catalog.access import producers_managed_by
from app.common.pagination import Page, paginate
from app.extensions import db
from app.livestreams.models import Livestream
from app.orders.models import Checkout, Order, OrderEvent, OrderLine, OrderStatus

ORDERS_PER_PAGE = 30
# New orders: waiting for the seller (placed) or for the buyer's money. They head the list and
# are what the dashboard counts.
NEW_STATUSES = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PLACED)
# Orders that sold nothing in the end: left out of what a live sold.
NOT_SOLD = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def managed_producer_ids(user: User) -> list[int]:
    return [producer.id for producer in producers_managed_by(user)]


def _scope(producer_ids: list[int]):
    return Order.producer_id.in_(producer_ids)


def seller_orders(producer_ids: list[int], status: OrderStatus | None = None, page: int = 1,
                  per_page: int | None = None) -> Page:
    """One page of the sellers' orders: new ones first, then the latest."""
    condition = _scope(producer_ids)
    if status is not None:
        condition = sa.and_(condition, Order.status == status)
    newest_first = (
        sa.case((Order.status.in_(NEW_STATUSES), 0), else_=1),
        Order.created_at.desc(),
        Order.id.desc(),
    )
    items = (
        sa.select(Order)
        .where(condition)
        .options(joinedload(Order.checkout), joinedload(Order.producer))
        .order_by(*newest_first)
    )
    return paginate(items, sa.select(Order.id).where(condition), page, per_page or ORDERS_PER_PAGE)


def status_counts(producer_ids: list[int]) -> dict[OrderStatus, int]:
    rows = db.session.execute(
        sa.select(Order.status, sa.func.count(Order.id)).where(_scope(producer_ids)).group_by(Order.status)
    )
    return {status: count for status, count in rows}


def new_order_count(producer_ids: list[int]) -> int:
    if not producer_ids:
        return 0
    return db.session.execute(
        sa.select(sa.func.count(Order.id)).where(_scope(producer_ids), Order.status.in_(NEW_STATUSES))
    ).scalar_one()


def order_by_code(code: str) -> Order | None:
    """An order with what its seller's page shows (lines, buyer, history); access is the caller's."""
    return db.session.execute(
        sa.select(Order)
        .where(Order.code == code)
        .options(
            joinedload(Order.checkout).options(joinedload(Checkout.province), joinedload(Checkout.commune)),
            joinedload(Order.producer),
            selectinload(Order.lines),
            # Who moved it is a name on the page; their roles are not needed.
            selectinload(Order.events).joinedload(OrderEvent.actor).lazyload(User.role_grants),
        )
    ).scalar_one_or_none()


# --- What lives sold ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveSalesRow:
    livestream_id: int
    title: str
    slug: str
    starts_at: datetime
    orders: int
    revenue_vnd: int


def _sold(producer_ids: list[int]):
    return sa.and_(_scope(producer_ids), Order.status.not_in(NOT_SOLD))


def sales_by_live(producer_ids: list[int], limit: int = 12) -> list[LiveSalesRow]:
    """Per live, latest first: how many of these producers' orders hold a product added from it,
    and what those products came to (orders cancelled or refunded left out)."""
    if not producer_ids:
        return []
    rows = db.session.execute(
        sa.select(
            Livestream.id, Livestream.title, Livestream.slug, Livestream.starts_at,
            sa.func.count(sa.distinct(Order.id)), sa.func.sum(OrderLine.line_total_vnd),
        )
        .select_from(OrderLine)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Livestream, OrderLine.livestream_id == Livestream.id)
        .where(_sold(producer_ids))
        .group_by(Livestream.id, Livestream.title, Livestream.slug, Livestream.starts_at)
        .order_by(Livestream.starts_at.desc(), Livestream.id.desc())
        .limit(limit)
    )
    return [LiveSalesRow(*row[:5], int(row[5] or 0)) for row in rows]


@dataclass(frozen=True)
class LiveOrders:
    orders: int
    revenue_vnd: int
    # (order, what the live's products came to in it), latest first, at most `limit`
    recent: list[tuple[Order, int]]


def sales_of_live(livestream_id: int, producer_ids: list[int], limit: int = 50) -> LiveOrders:
    """One live's orders among these producers', in two queries."""
    amounts = (
        sa.select(OrderLine.order_id, sa.func.sum(OrderLine.line_total_vnd).label("amount"))
        .where(OrderLine.livestream_id == livestream_id)
        .group_by(OrderLine.order_id)
        .subquery()
    )
    sold = sa.and_(amounts.c.order_id == Order.id, _sold(producer_ids))
    count, revenue = db.session.execute(
        sa.select(sa.func.count(Order.id), sa.func.sum(amounts.c.amount)).select_from(amounts).join(Order, sold)
    ).one()
    recent = db.session.execute(
        sa.select(Order, amounts.c.amount)
        .join(amounts, sold)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
    ).all()
    return LiveOrders(count, int(revenue or 0), [(order, int(amount)) for order, amount in recent])
