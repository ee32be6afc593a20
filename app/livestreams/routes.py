"""Public livestream pages: the schedule, a page per live, calendar files and reminders."""

from __future__ import annotations

import io

import segno
import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.catalog.models import Producer
from app.common.access import Audience, audience, declare
from app.common.pagination import page_number
from app.common.timezone import to_local, utcnow
from app.common.urls import absolute_url
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams import calendar, feeds, lifecycle, presenters, queries, reminders, sections
from app.livestreams.models import Livestream, Status

bp = Blueprint("livestreams", __name__)
declare(bp, Audience.ANYONE)
# A producer's and a cooperative's page show their next lives (see sections.py).
bp.record_once(lambda state: sections.register(state.app))

FEED_CACHE = "public, max-age=300"  # calendar apps re-read feeds; a moved live shows within minutes
QR_CACHE = "public, max-age=86400"  # the address a code holds never changes: the slug stays

for helper in (
    presenters.status_label,
    presenters.platform_name,
    presenters.watch_label,
    presenters.time_range,
    presenters.host_url,
    presenters.card_image,
    presenters.iso_utc,
):
    bp.add_app_template_global(helper, "live_" + helper.__name__)
bp.add_app_template_global(lifecycle.status_at, "live_status")


def _past_page() -> int:
    # ?page= is what the shared pagination links write; ?trang= reads better in a shared link.
    return page_number(request.args, "page" if "page" in request.args else "trang")


def _webcal(url: str) -> str:
    """The subscribe link: calendar apps keep re-reading a webcal:// feed instead of importing it once."""
    return "webcal://" + url.split("://", 1)[1]


@bp.get("/livestream")
def schedule():
    now = utcnow()
    feed_url = absolute_url("livestreams.schedule_calendar")
    return render_template(
        "livestreams/schedule.html",
        schedule=queries.schedule(now, _past_page()),
        now=now,
        today=to_local(now).date(),
        day_heading=presenters.day_heading,
        feed_url=feed_url,
        webcal_url=_webcal(feed_url),
    )


def _render_live(live: Livestream, error: str | None = None, status: int = 200):
    now = utcnow()
    live_status = lifecycle.status_at(live, now)
    return (
        render_template(
            "livestreams/detail.html",
            live=live,
            now=now,
            status=live_status,
            products=presenters.shown_products(live),
            reminder=reminders.reminder_for(current_user, live) if live_status == Status.UPCOMING else None,
            countdown=presenters.countdown_text(live, now) if live_status == Status.UPCOMING else None,
            countdown_words=presenters.countdown_words(),
            embed_url=presenters.embed_url(live.url),
            replay_embed_url=presenters.embed_url(live.replay_url),
            share_image=queries.share_image(live),
            share_description=presenters.share_description(live),
            json_ld=presenters.livestream_json_ld(live),
            error=error,
        ),
        status,
    )


def _live_or_404(slug: str) -> Livestream:
    live = queries.livestream_by_slug(slug)
    if live is None:
        abort(404)
    return live


@bp.get("/livestream/<slug>")
def livestream_detail(slug: str):
    return _render_live(_live_or_404(slug))


@bp.post("/livestream/<slug>/nhac-toi")
@audience(Audience.SIGNED_IN)
def remind_me(slug: str):
    live = _live_or_404(slug)
    try:
        reminders.request_reminder(current_user, live)
    except reminders.ReminderNotPossible as error:
        return _render_live(live, error=str(error.message), status=409)
    db.session.commit()
    flash(_("Đã đặt lời nhắc. Bạn sẽ nhận email khi buổi livestream sắp bắt đầu."), "success")
    return redirect(url_for("livestreams.livestream_detail", slug=slug), 303)


@bp.post("/livestream/<slug>/huy-nhac")
@audience(Audience.SIGNED_IN)
def cancel_reminder(slug: str):
    live = _live_or_404(slug)
    reminders.cancel_reminder(current_user, live)
    db.session.commit()
    flash(_("Đã huỷ lời nhắc."), "success")
    return redirect(url_for("livestreams.livestream_detail", slug=slug), 303)


@bp.get("/livestream/<slug>/nhac-toi")
@bp.get("/livestream/<slug>/huy-nhac")
def back_to_live(slug: str):
    """Where the login page sends someone who pressed "Nhắc tôi" before signing in."""
    return redirect(url_for("livestreams.livestream_detail", slug=slug), 303)


@bp.get("/livestream/<slug>/qr.svg")
def livestream_qr(slug: str):
    """A QR code of the live's page, for posters at the market and a photo on Zalo."""
    live = db.first_or_404(sa.select(Livestream).where(Livestream.slug == slug))
    url = absolute_url("livestreams.livestream_detail", slug=live.slug)
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=6, border=2, xmldecl=False, light="#fff", title=_("Mã QR: %(title)s", title=live.title)
    )
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "image/svg+xml"
    response.headers["Cache-Control"] = QR_CACHE
    return response


def _calendar_response(lives: list[Livestream], name: str, filename: str):
    addresses = {live.id: absolute_url("livestreams.livestream_detail", slug=live.slug) for live in lives}

    def page_url(live: Livestream) -> str:
        return addresses[live.id]

    etag = calendar.fingerprint(lives, page_url, name)
    # A weak tag: the feed is sent as brotli, gzip or plain text, the same events in different
    # bytes, which is what a weak tag says. Flask-Compress leaves a weak tag as it is (a strong one
    # would come back as "tag:br" and never match here), so a calendar app's hourly re-read is
    # answered 304 before a feed is built or compressed. If-None-Match compares weakly (RFC 9110).
    if request.if_none_match.contains_weak(etag):
        response = make_response("", 304)
    else:
        body = calendar.feed_cache.get_or_build(etag, lambda: calendar.build_calendar(lives, page_url, name))
        response = make_response(body)
    response.set_etag(etag, weak=True)
    response.headers["Content-Type"] = calendar.CONTENT_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = FEED_CACHE
    return response


@bp.get("/livestream/lich.ics")
def schedule_calendar():
    return _calendar_response(
        feeds.feed_lives(utcnow()), _("Lịch livestream · Chợ Phiên"), "lich-livestream-cho-phien.ics"
    )


@bp.get("/livestream/<slug>/lich.ics")
def livestream_calendar(slug: str):
    live = db.first_or_404(
        sa.select(Livestream)
        .where(Livestream.slug == slug)
        .options(joinedload(Livestream.cooperative), joinedload(Livestream.producer))
    )
    return _calendar_response([live], live.title, f"livestream-{live.slug}.ics")


@bp.get("/hop-tac-xa/<slug>/livestream.ics")
def cooperative_calendar(slug: str):
    cooperative = db.first_or_404(sa.select(Cooperative).where(Cooperative.slug == slug))
    return _calendar_response(
        feeds.feed_lives(utcnow(), cooperative=cooperative),
        _("Livestream của %(host)s · Chợ Phiên", host=cooperative.name),
        f"livestream-{cooperative.slug}.ics",
    )


@bp.get("/nha-vuon/<slug>/livestream.ics")
def producer_calendar(slug: str):
    producer = db.first_or_404(sa.select(Producer).where(Producer.slug == slug))
    return _calendar_response(
        feeds.feed_lives(utcnow(), producer=producer),
        _("Livestream của %(host)s · Chợ Phiên", host=producer.display_name),
        f"livestream-{producer.slug}.ics",
    )
