"""What a live may hold, and scheduling and changing one.

Functions here flush and audit but never commit; the route that calls them commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.catalog.models import Producer, Product, ProductStatus
from app.common import audit
from app.common.errors import RuleBroken
from app.common.slugs import unique_slug
from app.common.timezone import utcnow
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.access import Host, host_key, require_host
from app.livestreams.lifecycle import TRANSITION_MESSAGES, AlreadyCancelled, status_at
from app.livestreams.links import InvalidLink, check_live_link, parse_link
from app.livestreams.models import (
    ChangeNotice,
    FeaturedProduct,
    HostState,
    Livestream,
    Platform,
    Status,
)
from app.media.models import StoredImage

MAX_FEATURED = 100  # what Shopee allows a live; more is not a live, it is the catalogue
MAX_DURATION = timedelta(hours=12)
MAX_AHEAD = timedelta(days=366)
MAX_TITLE_LENGTH = 120



class InvalidLivestream(RuleBroken):
    pass


class InvalidSchedule(RuleBroken):
    field = "starts_at"


class InvalidFeatured(RuleBroken):
    field = "featured"


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
