"""Livestream rules: who may host, what a live may hold, its status, and the lists visitors see.

Functions here flush and audit but never commit; the route that calls them commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, User
from app.catalog.access import may_manage_producer, producers_managed_by
from app.catalog.models import PUBLIC_STATUSES, Producer, Product, ProductStatus
from app.common import audit
from app.common.errors import NotAllowed, RuleBroken
from app.common.pagination import Page, paginate
from app.common.slugs import unique_slug
from app.common.timezone import to_local, utcnow
from app.cooperatives.access import managed_by, may_edit_cooperative
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.links import InvalidLink, check_live_link, parse_link
from app.livestreams.models import (
    ChangeNotice,
    FeaturedProduct,
    HostState,
    Livestream,
    Platform,
    Reminder,
    Status,
)
from app.media.models import StoredImage

MAX_FEATURED = 100  # what Shopee allows a live; more is not a live, it is the catalogue
MAX_DURATION = timedelta(hours=12)
MAX_AHEAD = timedelta(days=366)
MAX_TITLE_LENGTH = 120

Host = Cooperative | Producer


class InvalidLivestream(RuleBroken):
    pass


class InvalidSchedule(RuleBroken):
    field = "starts_at"


class InvalidFeatured(RuleBroken):
    field = "featured"


class TransitionNotAllowed(RuleBroken):
    """The live is not in a state where this can happen."""


class AlreadyCancelled(TransitionNotAllowed):
    pass


class AlreadyEnded(TransitionNotAllowed):
    pass


class NotStartedYet(TransitionNotAllowed):
    pass


class AlreadyLive(TransitionNotAllowed):
    pass


class ReminderNotPossible(RuleBroken):
    pass


# --- Status --------------------------------------------------------------------------------


def status_at(live: Livestream, now: datetime) -> Status:
    """What a visitor is told at `now`: the host's word first, then the clock.

    status_condition() says the same in SQL; a test checks they agree.
    """
    if live.host_state == HostState.CANCELLED:
        return Status.CANCELLED
    if live.host_state == HostState.ENDED or now >= live.ends_at:
        return Status.ENDED
    if live.host_state == HostState.LIVE or now >= live.starts_at:
        return Status.LIVE
    return Status.UPCOMING


def status_condition(status: Status, now: datetime):
    """The lives with this status at `now`, as a WHERE clause (see status_at)."""
    state = Livestream.host_state
    following_clock = state.in_((HostState.SCHEDULED, HostState.LIVE))
    if status == Status.CANCELLED:
        return state == HostState.CANCELLED
    if status == Status.ENDED:
        return sa.or_(state == HostState.ENDED, sa.and_(following_clock, Livestream.ends_at <= now))
    if status == Status.LIVE:
        return sa.and_(
            following_clock,
            Livestream.ends_at > now,
            sa.or_(state == HostState.LIVE, Livestream.starts_at <= now),
        )
    return sa.and_(state == HostState.SCHEDULED, Livestream.starts_at > now)


def coming_condition(now: datetime):
    """Lives not over yet at `now`: live or upcoming (not cancelled)."""
    return sa.or_(status_condition(Status.LIVE, now), status_condition(Status.UPCOMING, now))


# What each host action needs the live's status to be, and the named error otherwise.
TRANSITIONS: dict[str, dict[Status, type[TransitionNotAllowed] | None]] = {
    "mark_live": {
        Status.UPCOMING: None,
        Status.LIVE: AlreadyLive,
        Status.ENDED: AlreadyEnded,
        Status.CANCELLED: AlreadyCancelled,
    },
    "mark_ended": {
        Status.UPCOMING: NotStartedYet,
        Status.LIVE: None,
        Status.ENDED: AlreadyEnded,
        Status.CANCELLED: AlreadyCancelled,
    },
    "cancel": {
        Status.UPCOMING: None,
        Status.LIVE: AlreadyLive,
        Status.ENDED: AlreadyEnded,
        Status.CANCELLED: AlreadyCancelled,
    },
}

TRANSITION_MESSAGES = {
    AlreadyLive: _l("Buổi livestream này đang phát."),
    AlreadyEnded: _l("Buổi livestream này đã kết thúc."),
    AlreadyCancelled: _l("Buổi livestream này đã bị huỷ."),
    NotStartedYet: _l("Buổi livestream này chưa bắt đầu. Nếu không phát nữa, hãy huỷ buổi này."),
}


def _begin_transition(actor: User, action: str, live: Livestream, now: datetime | None) -> datetime:
    """Check the host may do `action` to the live now; the moment it happens."""
    require_host(actor, live.host)
    now = now or utcnow()
    error = TRANSITIONS[action][status_at(live, now)]
    if action == "mark_live" and error is AlreadyLive and live.host_state == HostState.SCHEDULED:
        error = None  # live by the clock; the host confirming it is harmless
    if error is not None:
        raise error(TRANSITION_MESSAGES[error])
    return now


# --- Who may host --------------------------------------------------------------------------


def may_host(user: User | None, host: Host) -> bool:
    """A cooperative's lives are run by its managers; a producer's by whoever manages the producer."""
    if isinstance(host, Cooperative):
        return may_edit_cooperative(user, host)
    return may_manage_producer(user, host)


def may_manage(user: User | None, live: Livestream) -> bool:
    return may_host(user, live.host)


def require_host(user: User | None, host: Host) -> None:
    if not may_host(user, host):
        raise NotAllowed(_l("Bạn không có quyền quản lý livestream của %(host)s.", host=str(host)))


def hosts_for(user: User) -> list[Host]:
    """The cooperatives and producers this person may run lives for, cooperatives first."""
    if user.has_role(Role.ADMIN):
        cooperatives = list(db.session.execute(sa.select(Cooperative).order_by(Cooperative.name)).scalars())
    else:
        cooperatives = managed_by(user)
    return [*cooperatives, *producers_managed_by(user)]


def host_key(host: Host) -> str:
    """How a host is named in a form or a URL: "c12" for a cooperative, "p7" for a producer."""
    return f"{'c' if isinstance(host, Cooperative) else 'p'}{host.id}"


def host_by_key(key: str | None) -> Host | None:
    if not key or len(key) < 2 or key[0] not in "cp" or not key[1:].isdigit():
        return None
    model = Cooperative if key[0] == "c" else Producer
    return db.session.get(model, int(key[1:]))


# --- What a live may hold ------------------------------------------------------------------


@dataclass
class LivestreamValues:
    """A live's fields as the host entered them, parsed into plain values (times in UTC)."""

    title: str
    url: str
    starts_at: datetime
    ends_at: datetime
    platform: Platform | None = None  # None: recognised from the link
    description: str = ""
    featured_ids: list[int] = field(default_factory=list)
    pinned_id: int | None = None
    replay_url: str = ""


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def check_schedule(starts_at: datetime, ends_at: datetime, now: datetime, live: Livestream | None = None) -> None:
    """A live's times: the end after the start, at most 12 hours, a new start not in the past.

    A live already under way or over keeps its start; only an upcoming live may be moved.
    """
    if ends_at <= starts_at:
        raise InvalidSchedule(_l("Giờ kết thúc phải sau giờ bắt đầu."), "ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise InvalidSchedule(_l("Một buổi livestream dài tối đa 12 giờ."), "ends_at")
    moved = live is None or starts_at != live.starts_at
    if live is not None and moved and status_at(live, now) != Status.UPCOMING:
        raise InvalidSchedule(_l("Buổi livestream đã bắt đầu hoặc đã kết thúc nên không đổi giờ bắt đầu được."))
    if moved and starts_at < _minute(now):
        raise InvalidSchedule(_l("Giờ bắt đầu đã qua. Hãy chọn một thời điểm sắp tới."))
    if starts_at - now > MAX_AHEAD:
        raise InvalidSchedule(_l("Chỉ lên lịch được trong vòng một năm tới."))
    if live is not None and ends_at != live.ends_at and status_at(live, now) in (Status.ENDED, Status.CANCELLED):
        raise InvalidSchedule(_l("Buổi livestream đã kết thúc nên không đổi giờ được."), "ends_at")


def check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise InvalidLivestream(_l("Hãy đặt tên cho buổi livestream."), "title")
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidLivestream(_l("Tên buổi livestream tối đa 120 ký tự."), "title")
    return title


def _host_condition(host: Host):
    """Products that belong to host: its own, or for a cooperative its members'."""
    if isinstance(host, Cooperative):
        return Product.producer_id.in_(sa.select(Producer.id).where(Producer.cooperative_id == host.id))
    return Product.producer_id == host.id


def featured_candidates(host: Host, keep: list[int] = ()) -> list[Product]:
    """The products a host may feature: on sale and theirs, plus any already featured (in `keep`)."""
    allowed = Product.status == ProductStatus.ON_SALE
    if keep:
        allowed = sa.or_(allowed, Product.id.in_(keep))
    return list(
        db.session.execute(
            sa.select(Product)
            .join(Product.producer)
            .where(_host_condition(host), allowed)
            .options(selectinload(Product.photos), joinedload(Product.producer))
            .order_by(Producer.name_sort_key, Product.name_sort_key, Product.id)
        ).scalars()
    )


def check_featured(host: Host, ids: list[int], pinned_id: int | None, already: list[int] = ()) -> list[Product]:
    """The featured products in the host's order; refuse other hosts' products and more than 100."""
    ordered = list(dict.fromkeys(ids))  # a product appears once, where it was first placed
    if len(ordered) > MAX_FEATURED:
        raise InvalidFeatured(_l("Mỗi buổi livestream giới thiệu tối đa 100 sản phẩm."))
    products = {}
    if ordered:
        rows = db.session.execute(
            sa.select(Product).where(Product.id.in_(ordered)).options(joinedload(Product.producer))
        ).scalars()
        products = {p.id: p for p in rows}
    for product_id in ordered:
        product = products.get(product_id)
        if product is None:
            raise InvalidFeatured(_l("Không tìm thấy một sản phẩm đã chọn."))
        belongs = (
            product.producer.cooperative_id == host.id
            if isinstance(host, Cooperative)
            else product.producer_id == host.id
        )
        if not belongs:
            raise InvalidFeatured(
                _l("“%(product)s” không phải sản phẩm của %(host)s.", product=product.name, host=str(host))
            )
        if product.status != ProductStatus.ON_SALE and product_id not in already:
            raise InvalidFeatured(_l("“%(product)s” không đang bán nên không giới thiệu được.", product=product.name))
    if pinned_id is not None and pinned_id not in products:
        raise InvalidFeatured(_l("Sản phẩm ghim phải là một trong các sản phẩm giới thiệu."), "pinned")
    return [products[i] for i in ordered]


def _check_replay(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        return parse_link(url).url
    except InvalidLink as error:
        raise InvalidLivestream(error.message, "replay_url") from None


def _validated(host: Host, values: LivestreamValues, now: datetime, live: Livestream | None) -> dict:
    title = check_title(values.title)
    try:
        link = check_live_link(values.url, values.platform)
    except InvalidLink as error:
        raise InvalidLivestream(error.message, "url") from None
    check_schedule(values.starts_at, values.ends_at, now, live)
    already = [f.product_id for f in live.featured] if live is not None else []
    featured = check_featured(host, values.featured_ids, values.pinned_id, already)
    return {
        "title": title,
        "description": (values.description or "").strip(),
        "platform": link.platform,
        "url": link.url,
        "starts_at": values.starts_at,
        "ends_at": values.ends_at,
        "replay_url": _check_replay(values.replay_url),
        "pinned_product_id": values.pinned_id,
        "featured": featured,
    }


def _set_featured(live: Livestream, products: list[Product]) -> dict:
    before = [f.product_id for f in live.featured]
    after = [p.id for p in products]
    if before == after:
        return {}
    existing = {f.product_id: f for f in live.featured}
    live.featured = [existing.get(p.id) or FeaturedProduct(product=p) for p in products]
    for position, item in enumerate(live.featured):
        item.position = position
    return {"featured": [before, after]}


# Fields a calendar app shows: changing one raises the event's SEQUENCE.
CALENDAR_FIELDS = {"title", "description", "url", "starts_at", "ends_at", "host_state"}


def create_livestream(actor: User, host: Host, values: LivestreamValues, now: datetime | None = None) -> Livestream:
    require_host(actor, host)
    now = now or utcnow()
    fields = _validated(host, values, now, None)
    featured = fields.pop("featured")
    live = Livestream(slug=unique_slug(Livestream, fields["title"]), created_by_id=actor.id, **fields)
    if isinstance(host, Cooperative):
        live.cooperative = host
    else:
        live.producer = host
    _set_featured(live, featured)
    db.session.add(live)
    db.session.flush()
    audit.record(actor, "livestream.created", live, {"title": live.title, "host": host_key(host)})
    return live


def update_livestream(actor: User, live: Livestream, values: LivestreamValues, now: datetime | None = None) -> dict:
    """Change a live; the slug and UID stay so shared links and calendar entries keep working.

    Moving the start re-arms every reminder and tells the people waiting that the time changed.
    """
    require_host(actor, live.host)
    now = now or utcnow()
    if live.host_state == HostState.CANCELLED:
        raise AlreadyCancelled(TRANSITION_MESSAGES[AlreadyCancelled])
    fields = _validated(live.host, values, now, live)
    featured = fields.pop("featured")
    changes = audit.diff(live, fields)
    changes.update(_set_featured(live, featured))
    if not changes:
        return changes
    if CALENDAR_FIELDS & changes.keys():
        live.sequence += 1
    if "starts_at" in changes:
        for reminder in live.reminders:
            reminder.sent_at = None
            if reminder.notice != ChangeNotice.CANCELLED:
                reminder.notice = ChangeNotice.RESCHEDULED
    live.updated_at = now
    db.session.flush()
    audit.record(actor, "livestream.updated", live, changes)
    return changes


def set_cover(actor: User, live: Livestream, image: StoredImage | None) -> None:
    require_host(actor, live.host)
    if live.cover_image_id != (image.id if image else None):
        previous = live.cover_image_id
        live.cover_image = image
        db.session.flush()
        audit.record(actor, "livestream.cover_changed", live, {"cover": [previous, live.cover_image_id]})


def mark_live(actor: User, live: Livestream, now: datetime | None = None) -> None:
    """The host has gone live, perhaps before the planned start: reminders go out at once."""
    now = _begin_transition(actor, "mark_live", live, now)
    live.host_state = HostState.LIVE
    live.marked_live_at = now
    db.session.flush()
    audit.record(actor, "livestream.marked_live", live)


def mark_ended(actor: User, live: Livestream, now: datetime | None = None) -> None:
    now = _begin_transition(actor, "mark_ended", live, now)
    live.host_state = HostState.ENDED
    live.marked_ended_at = now
    db.session.flush()
    audit.record(actor, "livestream.marked_ended", live)


def cancel(actor: User, live: Livestream, now: datetime | None = None) -> None:
    """Cancel an upcoming live: its page and calendar entry say so, and the people waiting are told."""
    now = _begin_transition(actor, "cancel", live, now)
    live.host_state = HostState.CANCELLED
    live.sequence += 1
    live.updated_at = now
    for reminder in live.reminders:
        reminder.notice = ChangeNotice.CANCELLED
    db.session.flush()
    audit.record(actor, "livestream.cancelled", live)


# --- Reminders -----------------------------------------------------------------------------


def reminder_for(user: User | None, live: Livestream) -> Reminder | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(Reminder).where(Reminder.livestream_id == live.id, Reminder.user_id == user.id)
    ).scalar_one_or_none()


def request_reminder(user: User, live: Livestream, now: datetime | None = None) -> Reminder:
    """Ask to be told by email shortly before the live starts; asking twice keeps one reminder."""
    now = now or utcnow()
    status = status_at(live, now)
    if status in (Status.ENDED, Status.CANCELLED):
        raise ReminderNotPossible(TRANSITION_MESSAGES[AlreadyEnded if status == Status.ENDED else AlreadyCancelled])
    if not user.email:
        raise ReminderNotPossible(_l("Tài khoản của bạn chưa có email. Hãy thêm email trong hồ sơ để nhận lời nhắc."))
    reminder = reminder_for(user, live)
    if reminder is None:
        reminder = Reminder(livestream=live, user_id=user.id, created_at=now)
        db.session.add(reminder)
        db.session.flush()
    return reminder


def cancel_reminder(user: User, live: Livestream) -> bool:
    reminder = reminder_for(user, live)
    if reminder is None:
        return False
    db.session.delete(reminder)
    db.session.flush()
    return True


# --- Reading -------------------------------------------------------------------------------


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


def _with_producer(producer: Producer):
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
        conditions.append(_with_producer(producer))
    return list(
        db.session.execute(
            sa.select(Livestream)
            .where(*conditions)
            .options(*card_options())
            .order_by(Livestream.starts_at, Livestream.id)
            .limit(limit)
        ).scalars()
    )


FEED_HISTORY = timedelta(days=60)
# A feed holds the next lives first and then the most recent past ones. 130 events build in about
# 60 ms with the icalendar package (make bench), and calendar apps keep the past events they have seen.
FEED_AHEAD = 100
FEED_PAST = 30


def feed_lives(
    now: datetime | None = None, cooperative: Cooperative | None = None, producer: Producer | None = None
) -> list[Livestream]:
    """Lives for a calendar feed, cancelled ones included: the next 100 and up to 30 from the last two months."""
    now = now or utcnow()
    conditions = []
    if cooperative is not None:
        conditions.append(Livestream.cooperative_id == cooperative.id)
    if producer is not None:
        conditions.append(_with_producer(producer))
    query = sa.select(Livestream).options(joinedload(Livestream.cooperative), joinedload(Livestream.producer))
    ahead = db.session.execute(
        query.where(*conditions, Livestream.ends_at >= now)
        .order_by(Livestream.starts_at, Livestream.id)
        .limit(FEED_AHEAD)
    ).scalars().all()
    past = db.session.execute(
        query.where(*conditions, Livestream.ends_at < now, Livestream.ends_at >= now - FEED_HISTORY)
        .order_by(Livestream.starts_at.desc(), Livestream.id.desc())
        .limit(FEED_PAST)
    ).scalars().all()
    return [*reversed(past), *ahead]


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
