"""The office's reports: figures by commune/ward and status for a year or a period of years.

Every report starts from `visible_households(user)`, so an officer counts only the households of
the communes they cover, and runs a fixed number of queries that group in SQL, however many
households there are. Sales count only orders delivered or completed, dated by the moment they
reached that state, in Vietnam's time (UTC+7 all year, no daylight saving).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import FunctionElement

from app.catalog.models import Product
from app.common.timezone import local_to_utc
from app.extensions import db
from app.households.access import covered_communes, is_admin, is_officer, visible_households
from app.households.models import (
    AnnualReview,
    Classification,
    ProducerLink,
    ReviewState,
    SupportedHousehold,
    SupportKind,
    SupportRecord,
)
from app.livestreams.models import FeaturedProduct, Livestream
from app.orders.models import Order, OrderLine, OrderStatus
from app.places.models import Commune

SOLD = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
# From poor upwards: a move to a later one is a step out of poverty, to an earlier one a step back.
CLASSIFICATIONS = (Classification.POOR, Classification.NEAR_POOR, Classification.AVERAGE, Classification.ABOVE)


class local_month(FunctionElement):
    """'YYYY-MM' of a UTC timestamp, in Vietnam's time."""

    type = sa.String()
    inherit_cache = True


@compiles(local_month)
def _local_month_default(element, compiler, **kw):
    return f"to_char(timezone('Asia/Ho_Chi_Minh', {compiler.process(element.clauses, **kw)}), 'YYYY-MM')"


@compiles(local_month, "sqlite")
def _local_month_sqlite(element, compiler, **kw):
    # SQLite keeps the UTC time without its zone; Vietnam has been UTC+7 all year since 1975.
    # SQLite's driver takes "?" parameters, so the % signs are written once.
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)}, '+7 hours')"


@dataclass(frozen=True)
class Period:
    """The years a report covers, and optionally one commune/ward."""

    first_year: int
    last_year: int
    commune_id: int | None = None

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """From 1 January of the first year to 1 January after the last, Vietnam's time, in UTC."""
        return (local_to_utc(datetime(self.first_year, 1, 1)), local_to_utc(datetime(self.last_year + 1, 1, 1)))


def _households(user, period: Period):
    """The households user may see, of the chosen commune when there is one, as a subquery."""
    query = visible_households(user)
    if period.commune_id is not None:
        query = query.where(SupportedHousehold.commune_id == period.commune_id)
    return query.with_only_columns(SupportedHousehold.id, SupportedHousehold.commune_id).subquery("scope")


def _active_links(scope):
    return sa.and_(ProducerLink.household_id == scope.c.id, ProducerLink.withdrawn_at.is_(None))


def _sold_in(period: Period):
    start, end = period.bounds()
    return sa.and_(Order.status.in_(SOLD), Order.status_changed_at >= start, Order.status_changed_at < end)


def report_communes(user) -> list[Commune]:
    """The communes/wards a person may choose: those an officer covers; for an admin, those with households."""
    if is_admin(user):
        ids = sa.select(SupportedHousehold.commune_id).distinct()
    elif is_officer(user):
        ids = covered_communes(user)
    else:
        return []
    return list(db.session.execute(sa.select(Commune).where(Commune.id.in_(ids)).order_by(Commune.name)).scalars())


# --- (a) households by classification -------------------------------------------------------------


@dataclass
class ClassificationRow:
    commune: str
    counts: dict[Classification, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def by_classification(user, period: Period) -> list[ClassificationRow]:
    """Households by the classification of their submitted review of the period's last year, per commune."""
    scope = _households(user, period)
    query = (
        sa.select(Commune.name, AnnualReview.classification, sa.func.count())
        .select_from(scope)
        .join(AnnualReview, AnnualReview.household_id == scope.c.id)
        .join(Commune, Commune.id == scope.c.commune_id)
        .where(AnnualReview.year == period.last_year, AnnualReview.state == ReviewState.SUBMITTED)
        .group_by(Commune.name, AnnualReview.classification)
        .order_by(Commune.name)
    )
    rows: dict[str, ClassificationRow] = {}
    for commune, classification, count in db.session.execute(query):
        rows.setdefault(commune, ClassificationRow(commune)).counts[classification] = count
    return list(rows.values())


# --- (b) linked households whose producer sold -------------------------------------------------


@dataclass
class LinkedRow:
    commune: str
    linked: int
    sold: int


def linked_sellers(user, period: Period) -> list[LinkedRow]:
    """Per commune: households linked to a producer now, and those whose producer sold in the period."""
    scope = _households(user, period)
    query = (
        sa.select(
            Commune.name,
            sa.func.count(sa.distinct(scope.c.id)),
            sa.func.count(sa.distinct(sa.case((Order.id.is_not(None), scope.c.id)))),
        )
        .select_from(scope)
        .join(ProducerLink, _active_links(scope))
        .join(Commune, Commune.id == scope.c.commune_id)
        .outerjoin(Order, sa.and_(Order.producer_id == ProducerLink.producer_id, _sold_in(period)))
        .group_by(Commune.name)
        .order_by(Commune.name)
    )
    return [LinkedRow(commune, linked, sold) for commune, linked, sold in db.session.execute(query)]


# --- (c) revenue of linked households --------------------------------------------------------------


@dataclass
class Revenue:
    months: dict[str, int]  # "2026-03" → đồng, every month of the period
    quarters: dict[str, int]  # "2026 Q1"
    years: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.years.values())


def revenue(user, period: Period) -> Revenue:
    """Goods sold by the producers linked to the households, per month, quarter and year."""
    scope = _households(user, period)
    month = local_month(Order.status_changed_at)
    query = (
        sa.select(month, sa.func.sum(Order.goods_vnd))
        .select_from(scope)
        .join(ProducerLink, _active_links(scope))
        .join(Order, sa.and_(Order.producer_id == ProducerLink.producer_id, _sold_in(period)))
        .group_by(month)
    )
    months = {f"{year}-{m:02d}": 0 for year in period.years for m in range(1, 13)}
    for key, amount in db.session.execute(query):
        if key in months:
            months[key] += int(amount or 0)
    quarters: dict[str, int] = defaultdict(int)
    years: dict[int, int] = defaultdict(int)
    for key, amount in months.items():
        year, m = int(key[:4]), int(key[5:])
        quarters[f"{year} Q{(m - 1) // 3 + 1}"] += amount
        years[year] += amount
    return Revenue(months, dict(quarters), dict(years))


# --- (d) the lives their products featured in -------------------------------------------------------


@dataclass
class LiveRow:
    livestream_id: int
    title: str
    starts_at: datetime
    orders: int = 0
    sold_vnd: int = 0


def lives(user, period: Period) -> list[LiveRow]:
    """Lives in which a linked household's producer sold (by order lines) or had a product featured."""
    scope = _households(user, period)
    start, end = period.bounds()
    producers = sa.select(ProducerLink.producer_id).select_from(scope).join(ProducerLink, _active_links(scope))
    sold = (
        sa.select(Livestream.id, Livestream.title, Livestream.starts_at,
                  sa.func.count(sa.distinct(Order.id)), sa.func.sum(OrderLine.line_total_vnd))
        .select_from(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .join(Livestream, Livestream.id == OrderLine.livestream_id)
        .where(Order.producer_id.in_(producers), _sold_in(period))
        .group_by(Livestream.id, Livestream.title, Livestream.starts_at)
    )
    featured = (
        sa.select(Livestream.id, Livestream.title, Livestream.starts_at)
        .select_from(FeaturedProduct)
        .join(Product, Product.id == FeaturedProduct.product_id)
        .join(Livestream, Livestream.id == FeaturedProduct.livestream_id)
        .where(Product.producer_id.in_(producers), Livestream.starts_at >= start, Livestream.starts_at < end)
        .distinct()
    )
    rows: dict[int, LiveRow] = {}
    for live_id, title, starts_at in db.session.execute(featured):
        rows[live_id] = LiveRow(live_id, title, starts_at)
    for live_id, title, starts_at, orders, amount in db.session.execute(sold):
        row = rows.setdefault(live_id, LiveRow(live_id, title, starts_at))
        row.orders, row.sold_vnd = orders, int(amount or 0)
    return sorted(rows.values(), key=lambda row: (row.starts_at, row.livestream_id))


# --- (e) support received -------------------------------------------------------------------------


@dataclass
class SupportRow:
    code: str
    name_vi: str
    name_en: str
    records: int
    households: int
    value_vnd: int


def support_by_kind(user, period: Period) -> list[SupportRow]:
    """Support given in the period, by kind: how many records, households and đồng."""
    scope = _households(user, period)
    query = (
        sa.select(SupportKind.code, SupportKind.name_vi, SupportKind.name_en, sa.func.count(SupportRecord.id),
                  sa.func.count(sa.distinct(SupportRecord.household_id)), sa.func.sum(SupportRecord.value_vnd))
        .select_from(scope)
        .join(SupportRecord, SupportRecord.household_id == scope.c.id)
        .join(SupportKind, SupportKind.id == SupportRecord.kind_id)
        .where(SupportRecord.given_on >= datetime(period.first_year, 1, 1).date(),
               SupportRecord.given_on <= datetime(period.last_year, 12, 31).date())
        .group_by(SupportKind.code, SupportKind.name_vi, SupportKind.name_en, SupportKind.position)
        .order_by(SupportKind.position)
    )
    return [SupportRow(code, vi, en, records, households, int(value or 0))
            for code, vi, en, records, households, value in db.session.execute(query)]


# --- (f) moves between statuses ----------------------------------------------------------------------


@dataclass
class Moves:
    counts: dict[tuple[Classification, Classification], int]

    def count(self, before: Classification, after: Classification) -> int:
        return self.counts.get((before, after), 0)

    def _sum(self, step) -> int:
        return sum(n for (a, b), n in self.counts.items() if step(CLASSIFICATIONS.index(a), CLASSIFICATIONS.index(b)))

    @property
    def up(self) -> int:
        return self._sum(lambda a, b: b > a)

    @property
    def down(self) -> int:
        return self._sum(lambda a, b: b < a)

    @property
    def same(self) -> int:
        return self._sum(lambda a, b: b == a)


def moves(user, period: Period) -> Moves:
    """From each year's submitted review to the next year's, for the years of the period (a year's
    review is compared with the one before it, so 2026 alone gives the moves from 2025 to 2026)."""
    scope = _households(user, period)
    before = aliased(AnnualReview)
    after = aliased(AnnualReview)
    query = (
        sa.select(before.classification, after.classification, sa.func.count())
        .select_from(scope)
        .join(after, after.household_id == scope.c.id)
        .join(before, sa.and_(before.household_id == scope.c.id, before.year == after.year - 1))
        .where(after.year.between(period.first_year, period.last_year),
               after.state == ReviewState.SUBMITTED, before.state == ReviewState.SUBMITTED)
        .group_by(before.classification, after.classification)
    )
    return Moves({(a, b): n for a, b, n in db.session.execute(query)})
