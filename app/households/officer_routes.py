"""The admins' page of officers and the communes/wards each covers (/ho-ho-tro/can-bo).

Plain forms, no JavaScript: one form per officer to add a commune, one button per commune to
take it away. Each view loads, calls households.officers and commits once.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.text import vietnamese_sort_key
from app.extensions import db
from app.households import officers
from app.places.models import Commune

bp = Blueprint("household_officers", __name__, url_prefix="/ho-ho-tro/can-bo")
declare(bp, Audience.ADMIN)


def _communes() -> list[Commune]:
    rows = db.session.execute(sa.select(Commune)).scalars()
    return sorted(rows, key=lambda c: vietnamese_sort_key(c.name))


def _page(error: str | None = None, status: int = 200):
    return render_template(
        "households/officers.html", officers=officers.officers(), all_communes=_communes(), error=error
    ), status


@bp.get("/")
def officer_list():
    return _page()


def _load(user_id: int, commune_id: int | None) -> tuple[User, Commune | None]:
    officer = db.session.get(User, user_id)
    if officer is None:
        abort(404)
    return officer, db.session.get(Commune, commune_id) if commune_id else None


@bp.post("/<int:user_id>/xa")
def assign(user_id: int):
    text = (request.form.get("commune_id") or "").strip()
    officer, commune = _load(user_id, int(text) if text.isdigit() else None)
    if commune is None:
        return _page(_("Hãy chọn xã/phường để phân công."), 400)
    try:
        added = officers.assign(current_user, officer, commune)
    except RuleBroken as error:
        db.session.rollback()
        return _page(str(error.message), 400)
    db.session.commit()
    if added:
        message = _("Đã phân công %(name)s phụ trách %(commune)s.", name=officer.full_name, commune=commune.name)
        flash(message, "success")
    return redirect(url_for("household_officers.officer_list"), 303)


@bp.post("/<int:user_id>/xa/<int:commune_id>/bo")
def unassign(user_id: int, commune_id: int):
    officer, commune = _load(user_id, commune_id)
    if commune is None:
        abort(404)
    officers.unassign(current_user, officer, commune)
    db.session.commit()
    flash(_("%(name)s thôi phụ trách %(commune)s.", name=officer.full_name, commune=commune.name), "success")
    return redirect(url_for("household_officers.officer_list"), 303)
