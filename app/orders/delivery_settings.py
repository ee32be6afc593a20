"""The seller's page for how they deliver: pickup points, communes they deliver to themselves,
courier delivery by weight band, and free delivery over an order value.

Each view loads, checks access, calls app.orders.delivery_plans and commits once. A broken rule
comes back on the row and box concerned, with everything typed kept and nothing saved.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalog.models import Producer
from app.catalog.units import format_weight
from app.common.access import Audience, declare
from app.common.errors import NotAllowed, RuleBroken
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.orders import delivery_plans
from app.orders.delivery_forms import DeliveryPlanForm, commune_choices
from app.orders.delivery_plans import PlanOwner

bp = Blueprint("delivery_settings", __name__, url_prefix="/quan-ly/giao-hang")
declare(bp, Audience.SELLER)


@bp.get("/")
def plan_list():
    cooperative_entries, producer_entries = delivery_plans.plans_kept_by(current_user)
    return render_template(
        "orders/delivery_plans.html",
        cooperative_entries=cooperative_entries,
        producer_entries=producer_entries,
        format_weight=format_weight,
    )


@bp.route("/nha-vuon/<int:producer_id>", methods=["GET", "POST"])
def edit_producer_plan(producer_id: int):
    producer = db.session.get(Producer, producer_id) or abort(404)
    return _edit(PlanOwner(producer=producer))


@bp.route("/hop-tac-xa/<int:cooperative_id>", methods=["GET", "POST"])
def edit_cooperative_plan(cooperative_id: int):
    cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
    return _edit(PlanOwner(cooperative=cooperative))


def _edit(owner: PlanOwner):
    if not delivery_plans.may_edit_plan(current_user, owner):
        abort(403)
    plan = delivery_plans.plan_of(owner)
    form = DeliveryPlanForm()
    if request.method == "GET":
        form.load(plan)
    form.offer_communes(commune_choices(owner.province_id, {z.commune_id for z in plan.zones} if plan else set()))
    failed = request.method == "POST"
    if form.validate_on_submit():
        rows = form.filled_rows()
        try:
            delivery_plans.save_plan(current_user, owner, form.values(rows))
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except RuleBroken as error:
            db.session.rollback()
            form.show_error(error, rows)
            # The rollback expired what was loaded; the page shows the plan as still saved.
            plan = delivery_plans.plan_of(owner)
        else:
            db.session.commit()
            flash(_("Đã lưu cách giao hàng của %(name)s.", name=owner.name), "success")
            return redirect(request.path, 303)
    return _render(form, owner, plan, failed)


def _render(form: DeliveryPlanForm, owner: PlanOwner, plan, failed: bool):
    producer = owner.producer
    # A member without a plan of its own delivers by its cooperative's, when that has one.
    cooperative_plan = None
    if producer is not None and plan is None and producer.cooperative_id:
        cooperative_plan = delivery_plans.plan_of(PlanOwner(cooperative=producer.cooperative))
    unweighed = delivery_plans.products_without_weight(owner) if form.ships_nationwide.data else []
    return render_template(
        "orders/delivery_plan_form.html",
        form=form,
        owner=owner,
        plan=plan,
        cooperative_plan=cooperative_plan,
        unweighed=unweighed,
        failed=failed,
        back=url_for("delivery_settings.plan_list"),
    ), 400 if failed else 200
