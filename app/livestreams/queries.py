"""Reading lives: the schedule page, a live's page, the next lives of a host, a host's dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, User
from app.catalog.models import PUBLIC_STATUSES, Producer, Product
from app.common.pagination import Page, paginate
from app.common.timezone import to_local, utcnow
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.access import Host, hosts_for
from app.livestreams.lifecycle import coming_condition, status_condition
from app.livestreams.models import (
    FeaturedProduct,
    Livestream,
    Status,
)
from app.media.models import StoredImage


def card_options():
    """What a live's card shows, in a fixed number of queries whatever the list's length."""
    return (
        joinedload(Livestream.cooperative),
        joinedload(Livestream.producer),
        joinedload(Livestream.cover_image),
        selectinload(Livestream.pinned_product).selectinload(Product.photos),
    )


def page_options():
    return (
        *card_options(),
        selectinload(Livestream.featured)
        .joinedload(FeaturedProduct.product)
        .options(selectinload(Product.photos), joinedload(Product.producer)),
    )


def livestream_by_slug(slug: str) -> Livestream | None:
    return db.session.execute(
        sa.select(Livestream).where(Livestream.slug == slug).options(*page_options())
    ).scalar_one_or_none()


@dataclass
class Schedule:
    live_now: list[Livestream]
    upcoming_days: list[tuple[date, list[Livestream]]]
    past: Page
    more_upcoming: bool = False  # the list stops at UPCOMING_LIMIT; the calendar feed goes further


UPCOMING_LIMIT = 60  # about two weeks of a busy schedule; the calendar feed holds the rest
PAST_PER_PAGE = 12


def schedule(now: datetime | None = None, past_page: int = 1) -> Schedule:
    """The schedule page: what is live now, what is coming grouped by local day, past lives."""
    now = now or utcnow()
    live_now = db.session.execute(
        sa.select(Livestream)
        .where(status_condition(Status.LIVE, now))
        .options(*card_options())
        .order_by(Livestream.starts_at, Livestream.id)
    ).scalars().all()
    # Cancelled lives stay in the upcoming list until their time, so people who planned for one see why.
    upcoming = db.session.execute(
        sa.select(Livestream)
        .where(
            sa.or_(
                status_condition(Status.UPCOMING, now),
                sa.and_(status_condition(Status.CANCELLED, now), Livestream.starts_at > now),
            )
        )
        .options(*card_options())
        .order_by(Livestream.starts_at, Livestream.id)
        .limit(UPCOMING_LIMIT)
    ).scalars().all()
    days = [(day, list(lives)) for day, lives in groupby(upcoming, key=lambda live: to_local(live.starts_at).date())]
    past_condition = status_condition(Status.ENDED, now)
    past = paginate(
        sa.select(Livestream)
        .where(past_condition)
        .options(*card_options())
        .order_by(Livestream.starts_at.desc(), Livestream.id.desc()),
        sa.select(Livestream.id).where(past_condition),
        past_page,
        PAST_PER_PAGE,
    )
    return Schedule(
        live_now=list(live_now), upcoming_days=days, past=past, more_upcoming=len(upcoming) == UPCOMING_LIMIT
    )


def with_producer(producer: Producer):
    """A producer's lives: their own, and others' that feature their products.

    A buyer who likes one farm's oranges wants to know whenever they will be on show, whoever hosts.
    """
    featuring = (
        sa.select(FeaturedProduct.livestream_id)
        .join(Product, Product.id == FeaturedProduct.product_id)
        .where(Product.producer_id == producer.id)
    )
    return sa.or_(Livestream.producer_id == producer.id, Livestream.id.in_(featuring))




def next_lives(
    now: datetime | None = None,
    cooperative: Cooperative | None = None,
    producer: Producer | None = None,
    limit: int = 3,
) -> list[Livestream]:
    """The next lives (live now first), of everyone, of a cooperative, or with a producer in them."""
    now = now or utcnow()
    conditions = [coming_condition(now)]
    if cooperative is not None:
        conditions.append(Livestream.cooperative_id == cooperative.id)
    if producer is not None:
        conditions.append(with_producer(producer))
    return list(
        db.session.execute(
            sa.select(Livestream)
            .where(*conditions)
            .options(*card_options())
            .order_by(Livestream.starts_at, Livestream.id)
            .limit(limit)
        ).scalars()
    )


def lives_featuring(product: Product, now: datetime | None = None, limit: int = 5) -> list[Livestream]:
    """The lives on now or coming that feature product, soonest first: one query, for its page.

    Cancelled and ended lives are left out: the page tells a buyer where to watch the product next.
    """
    now = now or utcnow()
    featuring = sa.select(FeaturedProduct.livestream_id).where(FeaturedProduct.product_id == product.id)
    return list(
        db.session.execute(
            sa.select(Livestream)
            .where(coming_condition(now), Livestream.id.in_(featuring))
            .order_by(Livestream.starts_at, Livestream.id)
            .limit(limit)
        ).scalars()
    )


def lives_managed_by(user: User, now: datetime | None = None, hosts: list[Host] | None = None) -> list[Livestream]:
    """The lives on a host's dashboard: everything not yet over, then the last few that are.

    hosts: hosts_for(user), when the caller has it already.
    """
    now = now or utcnow()
    if user.has_role(Role.ADMIN):
        owned = sa.true()
    else:
        hosts = hosts_for(user) if hosts is None else hosts
        if not hosts:
            return []
        coop_ids = [h.id for h in hosts if isinstance(h, Cooperative)]
        producer_ids = [h.id for h in hosts if isinstance(h, Producer)]
        owned = sa.or_(Livestream.cooperative_id.in_(coop_ids), Livestream.producer_id.in_(producer_ids))
    return list(
        db.session.execute(
            sa.select(Livestream)
            .where(owned, Livestream.ends_at >= now - timedelta(days=30))
            .options(*card_options())
            .order_by(Livestream.starts_at.desc(), Livestream.id.desc())
            .limit(100)
        ).scalars()
    )


def share_image(live: Livestream) -> StoredImage | None:
    """The picture of a shared link: the cover, else the pinned or first featured product's photo."""
    if live.cover_image is not None:
        return live.cover_image
    candidates = [live.pinned_product] + [f.product for f in live.featured]
    shown = (p for p in candidates if p is not None and p.status in PUBLIC_STATUSES and p.cover is not None)
    return next((p.cover for p in shown), None)
