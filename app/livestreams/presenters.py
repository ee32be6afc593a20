"""How a live reads on a page: its times on Vietnam's clock in the visitor's language, its
status and platform in words, its picture, and what search engines and chat apps read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import url_for
from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _

from app.catalog.models import PUBLIC_STATUSES, Product
from app.common.i18n import current_language
from app.common.timezone import to_local, with_zone
from app.common.urls import absolute_url
from app.livestreams import queries
from app.livestreams.labels import STATUS_LABELS
from app.livestreams.links import PLATFORM_NAMES, InvalidLink, parse_link
from app.livestreams.models import HostState, Livestream, Platform, Status
from app.media.models import StoredImage

# Babel patterns per language: "Chủ Nhật, 29 tháng 11" and "Sunday, November 29".
DAY_PATTERNS = {"vi": "EEEE, d MMMM", "en": "EEEE, MMMM d"}
DATE_PATTERNS = {"vi": "EEEE dd/MM/yyyy", "en": "EEEE, MMM d, yyyy"}
TIME_PATTERN = "HH:mm"


def status_label(status: Status) -> str:
    return str(STATUS_LABELS[status])


def platform_name(platform: Platform) -> str:
    return str(PLATFORM_NAMES[platform])


def watch_label(platform: Platform) -> str:
    """The words on the button that leaves the site for the live."""
    if platform == Platform.OTHER:
        return _("Mở buổi livestream")
    return _("Xem trên %(platform)s", platform=platform_name(platform))


def _pattern(patterns: dict[str, str]) -> str:
    return patterns.get(current_language(), patterns["vi"])


def _time(moment: datetime) -> str:
    return format_time(to_local(moment), TIME_PATTERN, rebase=False)


def _date(moment: datetime) -> str:
    return format_date(to_local(moment).date(), _pattern(DATE_PATTERNS))


def time_range(live: Livestream, with_date: bool = True) -> str:
    """ "19:00–20:30, Chủ Nhật 29/11/2026"; a live past midnight names both days."""
    start, end = to_local(live.starts_at), to_local(live.ends_at)
    if start.date() != end.date():
        return with_zone(
            f"{_time(live.starts_at)}, {_date(live.starts_at)} – {_time(live.ends_at)}, {_date(live.ends_at)}"
        )
    hours = f"{_time(live.starts_at)}–{_time(live.ends_at)}"
    if not with_date:
        return with_zone(hours)
    # Vietnamese says the hours first ("19:00–20:30, Thứ Bảy 12/12/2026"), English the day first.
    return with_zone(_("%(hours)s, %(date)s", hours=hours, date=_date(live.starts_at)))


def day_heading(day: date, today: date) -> str:
    """A heading of the schedule: "Hôm nay, Chủ Nhật, 29 tháng 11" for today and tomorrow."""
    text = format_date(day, _pattern(DAY_PATTERNS))
    if day == today:
        return _("Hôm nay · %(day)s", day=text)
    if day == today + timedelta(days=1):
        return _("Ngày mai · %(day)s", day=text)
    return text


def _unit(key: str, n: int, count: int | str) -> str:
    """ "2 giờ": `n` picks the grammatical number, `count` is what is written."""
    if key == "d":
        return ngettext("%(count)s ngày", "%(count)s ngày", n, count=count)
    if key == "h":
        return ngettext("%(count)s giờ", "%(count)s giờ", n, count=count)
    return ngettext("%(count)s phút", "%(count)s phút", n, count=count)


def duration_text(span: timedelta) -> str:
    """ "2 giờ 15 phút": the two largest units, rounded down to the minute."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    amounts = [("d", days), ("h", rest // 60), ("m", rest % 60)]
    first = next((i for i, (_key, amount) in enumerate(amounts) if amount), 2)
    return " ".join(_unit(key, amount, amount) for key, amount in amounts[first:first + 2] if amount)


def countdown_text(live: Livestream, now: datetime) -> str:
    span = live.starts_at - now
    if span < timedelta(minutes=1):
        return _("Sắp bắt đầu")
    return _("Bắt đầu sau %(duration)s", duration=duration_text(span))


def countdown_words() -> dict[str, str]:
    """The same words for static/js/countdown.js, in the visitor's language: "{t}" stands for the
    time left, "{n}" for a number; "d1" is the form for one day, "d2" for more (English has two)."""
    words = {"in": _("Bắt đầu sau %(duration)s", duration="{t}"), "soon": _("Sắp bắt đầu")}
    for key in "dhm":
        words[key + "1"] = _unit(key, 1, "{n}")
        words[key + "2"] = _unit(key, 2, "{n}")
    return words


def iso_utc(moment: datetime) -> str:
    """The machine-readable time of a <time> element: "2026-11-29T12:00:00Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def embed_url(url: str | None) -> str | None:
    """The privacy-enhanced YouTube player of a link, when it names a video."""
    if not url:
        return None
    try:
        return parse_link(url).embed_url
    except InvalidLink:
        return None


def host_url(live: Livestream, absolute: bool = False) -> str:
    build = absolute_url if absolute else url_for
    if live.cooperative is not None:
        return build("cooperatives.cooperative_detail", slug=live.cooperative.slug)
    return build("catalog.producer_detail", slug=live.producer.slug)


def card_image(live: Livestream) -> StoredImage | None:
    """A card's picture from what card_options() loads: the cover, else the pinned product's photo."""
    if live.cover_image is not None:
        return live.cover_image
    if live.pinned_product is not None and live.pinned_product.status in PUBLIC_STATUSES:
        return live.pinned_product.cover
    return None


def shown_products(live: Livestream) -> list[Product]:
    """The featured products a visitor may see, the pinned one first, then in the host's order."""
    products = [f.product for f in live.featured if f.product.status in PUBLIC_STATUSES]
    pinned = [p for p in products if p.id == live.pinned_product_id]
    return pinned + [p for p in products if p.id != live.pinned_product_id]


def share_description(live: Livestream) -> str:
    """What a shared link's preview says: when, who, then the host's words."""
    lead = f"{time_range(live)} · {live.host_name}"
    return f"{lead}. {live.description}" if live.description else lead


def livestream_json_ld(live: Livestream) -> dict:
    """schema.org BroadcastEvent, with times on Vietnam's clock and their offset."""
    data = {
        "@context": "https://schema.org",
        "@type": "BroadcastEvent",
        "name": live.title,
        "description": (live.description[:500] or live.title),
        "url": absolute_url("livestreams.livestream_detail", slug=live.slug),
        "isLiveBroadcast": True,
        "startDate": to_local(live.starts_at).isoformat(),
        "endDate": to_local(live.ends_at).isoformat(),
        "eventStatus": (
            "https://schema.org/EventCancelled"
            if live.host_state == HostState.CANCELLED
            else "https://schema.org/EventScheduled"
        ),
        "organizer": {"@type": "Organization", "name": live.host_name, "url": host_url(live, absolute=True)},
        "publishedOn": {"@type": "BroadcastService", "name": platform_name(live.platform), "url": live.url},
    }
    image = queries.share_image(live)
    if image is not None:
        data["image"] = absolute_url("main.media", filename=image.variant_path(image.best_width(1600)))
    return data
