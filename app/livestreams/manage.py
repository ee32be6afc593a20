"""The host's side of livestreams: schedule, edit, feature products, go live, end, cancel.

Each view loads, checks access, calls livestreams.scheduling or livestreams.lifecycle and commits
once. A broken rule comes back as an error on the field concerned, with everything typed kept.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.common.timezone import local_to_utc, to_local, utcnow
from app.extensions import db
from app.livestreams import access, lifecycle, queries, sales, scheduling
from app.livestreams.forms import AUTO_PLATFORM, LivestreamForm
from app.livestreams.models import FeaturedProduct, Livestream
from app.media.kept import ChosenPhotos
from app.media.rejections import ImageRejected

bp = Blueprint("manage_livestreams", __name__, url_prefix="/quan-ly/livestream")
declare(bp, Audience.SELLER)

FORM_ERRORS = (RuleBroken, ImageRejected)


@bp.get("/")
def livestream_list():
    hosts = access.hosts_for(current_user)
    return render_template(
        "manage/livestream_list.html",
        lives=queries.lives_managed_by(current_user, hosts=hosts),
        hosts=hosts,
        now=utcnow(),
        status_at=lifecycle.status_at,
        host_key=access.host_key,
    )


# --- The form ------------------------------------------------------------------------------


def _local_input(moment: datetime) -> datetime:
    """A stored UTC time as the naive Vietnam time a datetime-local box shows."""
    return to_local(moment).replace(tzinfo=None)


def _fill(form: LivestreamForm, host: access.Host, live: Livestream | None, load: bool = False) -> list:
    """Offer the host's products on the form; with load, show the saved live's values."""
    keep = [f.product_id for f in live.featured] if live is not None else []
    candidates = scheduling.featured_candidates(host, keep)
    if live is not None:
        # Featured products first, in the host's order, then the rest of what they may feature.
        order = {product_id: index for index, product_id in enumerate(keep)}
        candidates.sort(key=lambda p: order.get(p.id, len(order)))
    form.featured.choices = [(p.id, p.name) for p in candidates]
    form.pinned.choices = [(0, _("— Không ghim —"))] + [(p.id, p.name) for p in candidates]
    if load and live is not None:
        form.title.data = live.title
        form.description.data = live.description
        form.platform.data = live.platform.value
        form.url.data = live.url
        form.starts_at.data = _local_input(live.starts_at)
        form.ends_at.data = _local_input(live.ends_at)
        form.featured.data = keep
        form.pinned.data = live.pinned_product_id or 0
        form.replay_url.data = live.replay_url
    return candidates


def _values(form: LivestreamForm) -> scheduling.LivestreamValues:
    return scheduling.LivestreamValues(
        title=form.title.data or "",
        description=form.description.data or "",
        platform=form.platform_value(),
        url=form.url.data or "",
        starts_at=local_to_utc(form.starts_at.data),
        ends_at=local_to_utc(form.ends_at.data),
        featured_ids=form.featured_in_order(request.form),
        pinned_id=form.pinned.data or None,
        replay_url=form.replay_url.data or "",
    )


def _as_field_error(error) -> RuleBroken:
    """A rejected photo is a broken rule about the cover."""
    if isinstance(error, ImageRejected):
        return RuleBroken(error.message, "cover")
    return error


def _chosen_cover(form: LivestreamForm) -> ChosenPhotos:
    return ChosenPhotos(form.cover, current_user.id, limit=1)


def _render_form(form, host, live, candidates, status: int | None = None, cover: ChosenPhotos | None = None):
    if cover is not None:
        cover.explain()
    if status is None:
        status = 400 if form.errors or form.form_errors else 200
    if status >= 400 and cover is not None:
        # The host does not choose and upload the cover again: it comes back kept.
        cover.keep()
        db.session.commit()
    # A form sent back with errors shows the order the host typed, not the saved one.
    typed = request.method == "POST" and "title" in request.form
    typed_order = form.featured_in_order(request.form) if typed else form.featured.data or []
    positions = {product_id: index + 1 for index, product_id in enumerate(typed_order)}
    return (
        render_template(
            "manage/livestream_form.html",
            form=form,
            host=host,
            live=live,
            candidates=candidates,
            cover=cover,
            positions=positions,
            max_featured=scheduling.MAX_FEATURED,
            status=lifecycle.status_at(live, utcnow()) if live is not None else None,
            sales=sales.sales_for(live, current_user) if live is not None else None,
        ),
        status,
    )


def _save_cover(form: LivestreamForm, live: Livestream, cover: ChosenPhotos) -> None:
    images = cover.images()
    if images:
        scheduling.set_cover(current_user, live, images[0])
    elif form.remove_cover.data:
        scheduling.set_cover(current_user, live, None)


# --- Scheduling a live ---------------------------------------------------------------------


def _chosen_host() -> tuple[access.Host | None, list[access.Host]]:
    """The host named in the address, or the person's only one; and all they may host for."""
    hosts = access.hosts_for(current_user)
    if not hosts:
        abort(403)
    key = request.values.get("chu-tri")
    if key is None:
        return (hosts[0] if len(hosts) == 1 else None), hosts
    host = access.host_by_key(key)
    if host is None:
        abort(404)
    if not access.may_host(current_user, host):
        abort(403)
    return host, hosts


@bp.route("/moi", methods=["GET", "POST"])
def new_livestream():
    host, hosts = _chosen_host()
    if host is None:
        return render_template("manage/livestream_host.html", hosts=hosts, host_key=access.host_key)
    form = LivestreamForm()
    if request.method == "GET":
        form.platform.data = AUTO_PLATFORM
    candidates = _fill(form, host, None)
    cover = _chosen_cover(form)
    if form.validate_on_submit() and cover.usable:
        try:
            live = scheduling.create_livestream(current_user, host, _values(form))
            _save_cover(form, live, cover)
        except FORM_ERRORS as error:
            db.session.rollback()
            show_error(form, _as_field_error(error))
        else:
            db.session.commit()
            flash(_("Đã lên lịch “%(title)s”.", title=live.title), "success")
            return redirect(url_for("manage_livestreams.edit_livestream", livestream_id=live.id), 303)
    return _render_form(form, host, None, candidates, cover=cover)


def _live_for_edit(livestream_id: int) -> Livestream:
    live = db.session.execute(
        sa.select(Livestream)
        .where(Livestream.id == livestream_id)
        .options(selectinload(Livestream.featured).joinedload(FeaturedProduct.product), *queries.card_options())
    ).scalar_one_or_none()
    if live is None:
        abort(404)
    if not access.may_manage(current_user, live):
        abort(403)
    return live


@bp.route("/<int:livestream_id>/sua", methods=["GET", "POST"])
def edit_livestream(livestream_id: int):
    live = _live_for_edit(livestream_id)
    form = LivestreamForm()
    form.live = live
    candidates = _fill(form, live.host, live, load=request.method == "GET")
    cover = _chosen_cover(form)
    if form.validate_on_submit() and cover.usable:
        try:
            changes = scheduling.update_livestream(current_user, live, _values(form))
            _save_cover(form, live, cover)
        except FORM_ERRORS as error:
            db.session.rollback()
            live = _live_for_edit(livestream_id)
            show_error(form, _as_field_error(error))
        else:
            db.session.commit()
            if "starts_at" in changes and live.reminders:
                flash(_("Đã lưu. Những người đăng ký nhắc sẽ được báo giờ mới."), "success")
            else:
                flash(_("Đã lưu thay đổi."), "success")
            return redirect(url_for("manage_livestreams.edit_livestream", livestream_id=live.id), 303)
    return _render_form(form, live.host, live, candidates, cover=cover)


# What the status buttons do, and what the host is told after.
STATUS_ACTIONS = {
    "live": (lifecycle.mark_live, _l("Đã đánh dấu đang phát. Người đăng ký nhắc sẽ được báo ngay.")),
    "ended": (lifecycle.mark_ended, _l("Đã đánh dấu kết thúc. Hãy thêm liên kết xem lại khi có.")),
}
CANCELLED_MESSAGE = _l("Đã huỷ buổi livestream. Người đăng ký nhắc sẽ được báo.")


@bp.post("/<int:livestream_id>/trang-thai")
def change_status(livestream_id: int):
    live = _live_for_edit(livestream_id)
    if request.form.get("action") == "cancel":
        # Cancelling cannot be undone: it is asked on a page of its own, never from this row of buttons.
        return _render_cancel(live, 400)
    action = STATUS_ACTIONS.get(request.form.get("action", ""))
    if action is None:
        abort(400)
    operation, message = action
    try:
        operation(current_user, live)
    except lifecycle.TransitionNotAllowed as error:
        db.session.rollback()
        live = _live_for_edit(livestream_id)
        form = LivestreamForm(formdata=None)
        candidates = _fill(form, live.host, live, load=True)
        show_error(form, error)
        return _render_form(form, live.host, live, candidates, status=409)
    db.session.commit()
    flash(str(message), "success")
    return redirect(url_for("manage_livestreams.edit_livestream", livestream_id=live.id), 303)


# --- Cancelling: asked first, on a page that works without JavaScript ------------------------

CONFIRM_CANCEL = "huy-vinh-vien"


def _render_cancel(live: Livestream, status: int = 200):
    return render_template(
        "manage/livestream_cancel.html",
        live=live,
        reminders=len(live.reminders),
        confirm=CONFIRM_CANCEL,
        status=lifecycle.status_at(live, utcnow()),
    ), status


@bp.get("/<int:livestream_id>/huy")
def confirm_cancel(livestream_id: int):
    return _render_cancel(_live_for_edit(livestream_id))


@bp.post("/<int:livestream_id>/huy")
def cancel_livestream(livestream_id: int):
    live = _live_for_edit(livestream_id)
    if request.form.get("confirm") != CONFIRM_CANCEL:
        return _render_cancel(live, 400)  # asked again; nothing is cancelled
    try:
        lifecycle.cancel(current_user, live)
    except lifecycle.TransitionNotAllowed as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("manage_livestreams.edit_livestream", livestream_id=livestream_id), 303)
    db.session.commit()
    flash(str(CANCELLED_MESSAGE), "success")
    return redirect(url_for("manage_livestreams.edit_livestream", livestream_id=live.id), 303)
