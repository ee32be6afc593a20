"""Cooperative pages: the public page, and the form its managers keep it up to date with."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalog.forms import parse_filters
from app.catalog.queries import list_products
from app.common.access import Audience, audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.cooperatives import access, services
from app.cooperatives.forms import CooperativeForm
from app.cooperatives.models import Cooperative
from app.cooperatives.sections import cooperative_page
from app.extensions import db
from app.places.forms import fill_place_choices

bp = Blueprint("cooperatives", __name__)
declare(bp, Audience.ANYONE)
# The catalogue asks this package who manages which cooperative (see access.py).
bp.record_once(lambda state: access.register(state.app))

FIELD_NAMES = {"commune": "commune_id"}


@bp.get("/hop-tac-xa")
def cooperative_list():
    return render_template("cooperatives/list.html", cooperatives=services.list_cooperatives())


@bp.get("/hop-tac-xa/<slug>")
def cooperative_detail(slug: str):
    cooperative = services.cooperative_by_slug(slug)
    if cooperative is None:
        abort(404)
    filters, page, _errors = parse_filters(request.args)
    filters.cooperative_id = cooperative.id
    products = list_products(filters, page, current_app.config["PRODUCTS_PER_PAGE"])
    return render_template(
        "cooperatives/detail.html",
        cooperative=cooperative,
        products=products,
        sections=cooperative_page.call_each(cooperative),
    )


@bp.route("/quan-ly/hop-tac-xa/<int:cooperative_id>/sua", methods=["GET", "POST"])
@audience(Audience.SELLER)
def edit_cooperative(cooperative_id: int):
    cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
    if not access.may_edit_cooperative(current_user, cooperative):
        abort(403)
    form = CooperativeForm(obj=cooperative if request.method == "GET" else None)
    fill_place_choices(form)
    if request.method == "GET":
        form.province_id.data = cooperative.province_id or 0
        form.commune_id.data = cooperative.commune_id or 0
    if form.validate_on_submit():
        values = services.CooperativeValues(
            name=form.name.data,
            description=form.description.data or "",
            province_id=form.province_id.data or None,
            commune_id=form.commune_id.data or None,
            village=form.village.data or "",
            street=form.street.data or "",
            old_district=form.old_district.data or "",
            contact_phone=form.contact_phone.data,
        )
        try:
            services.update_cooperative(current_user, cooperative, values)
        except RuleBroken as error:
            db.session.rollback()
            show_error(form, error, FIELD_NAMES)
        else:
            db.session.commit()
            flash(_("Đã lưu thông tin hợp tác xã."), "success")
            return redirect(url_for("cooperatives.edit_cooperative", cooperative_id=cooperative.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("cooperatives/form.html", form=form, cooperative=cooperative), status
