"""The officers' pages of supported households, under /ho-ho-tro; never public.

Each view loads the household through the access rule (another commune's household is answered
404, with the refusal logged and committed), calls a service of registry.py or reviews.py and
commits once. A broken rule comes back on the form with everything typed kept, and 400.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.common.access import Audience, audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.common.pagination import page_number
from app.extensions import db
from app.households import queries, registry
from app.households import values as read
from app.households.access import HouseholdNotFound, is_admin, log_access, require_household
from app.households.classification import NoStandardForYear, standard_for
from app.households.forms import (
    BLANK_MEMBER_ROWS,
    DeleteForm,
    HouseholdForm,
    ReviewForm,
    StatusForm,
    SupportForm,
    communes_for,
    fill_household_choices,
    fill_support_choices,
    typed_members,
)
from app.households.models import AccessAction, AnnualReview, Classification, ReviewState
from app.households.page_data import HOUSEHOLD_PAGE_FIELDS, REVIEW_FIELDS, household_page, labels, review_page
from app.households.reviews import ReviewValues, review_by_submission_key, save_review

bp = Blueprint("households", __name__, url_prefix="/ho-ho-tro")
declare(bp, Audience.OFFICER)

A = AccessAction
SEE_OTHER = 303
MEMBER_FIELDS = ("household_members.name", "household_members.birth_year", "household_members.relation")


def _household(household_id: int, action: AccessAction):
    """The household if the person may see it; otherwise 404, the refusal's log entry kept."""
    try:
        return require_household(current_user, household_id, action)
    except HouseholdNotFound:
        db.session.commit()
        abort(404)


def _refused(error: RuleBroken) -> None:
    """Undo a failed change, but keep a refusal the service logged (a commune not covered)."""
    if isinstance(error, registry.CommuneNotCovered):
        db.session.commit()
    else:
        db.session.rollback()


# --- The list --------------------------------------------------------------------------------


@bp.get("/")
def household_list():
    communes = communes_for(current_user)
    filters = queries.HouseholdFilters(text=request.args.get("q", "").strip()[:120])
    commune_text = request.args.get("xa", "")
    if commune_text.isdigit() and int(commune_text) in {c.id for c in communes}:
        filters.commune_id = int(commune_text)
    try:
        filters.classification = Classification(request.args.get("xep-loai", ""))
    except ValueError:
        filters.classification = None
    return render_template(
        "households/list.html",
        households=queries.household_list(current_user, filters, page_number(request.args)),
        filters=filters,
        communes=communes,
        is_admin=is_admin(current_user),
        **labels(),
    )


# --- Without a signal: the service worker and the page it shows for a page never kept ----------

SERVICE_WORKER = Path("js") / "households-sw.js"


@bp.get("/sw.js")
def service_worker():
    """The officers' service worker, from this address so that its scope can be /ho-ho-tro/.

    Never cached for long: the browser checks it on each visit, and a changed asset or worker
    (a new version in its configuration) installs the new one.
    """
    source = (Path(current_app.static_folder) / SERVICE_WORKER).read_text(encoding="utf-8")
    # The cache's name follows the worker and the assets it keeps, so a new one starts clean.
    kept = render_template("households/sw_config.js", version="") + source
    version = hashlib.sha256(kept.encode()).hexdigest()[:10]
    body = render_template("households/sw_config.js", version=version) + "\n" + source
    response = current_app.response_class(body, mimetype="application/javascript")
    response.headers["Service-Worker-Allowed"] = url_for(".household_list")
    response.headers["Cache-Control"] = "no-cache, private"
    return response


@bp.get("/ngoai-tuyen")
def offline_page():
    return render_template("households/offline.html")


# --- Creating and editing --------------------------------------------------------------------


def _household_values(form: HouseholdForm) -> registry.HouseholdValues:
    return registry.HouseholdValues(
        code=form.code.data or "",
        head_name=form.head_name.data or "",
        province_id=form.province_id.data or None,
        commune_id=form.commune_id.data or None,
        area_type=form.area_type.data or "",
        group_id=form.group_id.data or None,
        village=form.village.data or "",
        street=form.street.data or "",
        old_district=form.old_district.data or "",
        phone=form.phone.data or None,
        no_working_capacity=form.no_working_capacity.data,
        revolutionary_merit=form.revolutionary_merit.data,
        notes=form.notes.data or "",
        members=typed_members(form),
    )


def _render_form(form: HouseholdForm, household=None, code: int = 200):
    return render_template("households/form.html", form=form, household=household), code


def _save(form: HouseholdForm, household=None):
    if not form.validate():
        db.session.rollback()
        return _render_form(form, household, 400)
    try:
        if household is None:
            household = registry.create_household(current_user, _household_values(form))
        else:
            registry.update_household(current_user, household, _household_values(form))
    except RuleBroken as error:
        _refused(error)
        show_error(form, error)
        return _render_form(form, household, 400)
    db.session.commit()
    flash(_("Đã lưu hồ sơ hộ %(code)s.", code=household.code), "success")
    return redirect(url_for(".household_detail", household_id=household.id), SEE_OTHER)


@bp.route("/moi", methods=["GET", "POST"])
def household_new():
    form = HouseholdForm()
    fill_household_choices(form, current_user)
    if request.method == "POST":
        return _save(form)
    return _render_form(form)


@bp.route("/<int:household_id>/sua", methods=["GET", "POST"])
def household_edit(household_id: int):
    if request.method == "POST":
        household = _household(household_id, A.UPDATE)
        form = HouseholdForm()
        fill_household_choices(form, current_user)
        return _save(form, household)
    household = _household(household_id, A.READ)
    form = HouseholdForm(formdata=None, obj=household)
    form.area_type.data = household.area_type.value
    fill_household_choices(form, current_user)
    while len(form.members) > len(household.members):
        form.members.pop_entry()
    for _row in range(BLANK_MEMBER_ROWS):
        form.members.append_entry()
    log_access(current_user, household, A.READ, registry.READ_FIELDS + MEMBER_FIELDS)
    db.session.commit()
    return _render_form(form, household)


# --- The household's page, its statuses and support ------------------------------------------


def _render_household(household, status_form=None, support_form=None, code: int = 200):
    if status_form is None:
        status_form = StatusForm(formdata=None)
    if support_form is None:
        support_form = SupportForm(formdata=None, given_on=read.today())
    fill_support_choices(support_form)
    context = household_page(current_user, household)
    log_access(current_user, household, A.READ, HOUSEHOLD_PAGE_FIELDS)
    page = render_template("households/detail.html", status_form=status_form, support_form=support_form,
                           this_year=read.today().year, **context)
    db.session.commit()
    return page, code


@bp.get("/<int:household_id>")
def household_detail(household_id: int):
    return _render_household(_household(household_id, A.READ))


@bp.post("/<int:household_id>/trang-thai")
def record_status(household_id: int):
    household = _household(household_id, A.UPDATE)
    form = StatusForm()
    if form.validate():
        try:
            registry.record_status(current_user, household, form.status.data, form.recognised_on.data,
                                   form.decision_number.data or "")
        except RuleBroken as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Đã ghi trạng thái được công nhận."), "success")
            return redirect(url_for(".household_detail", household_id=household.id, _anchor="trang-thai"), SEE_OTHER)
    db.session.rollback()
    return _render_household(household, status_form=form, code=400)


@bp.post("/<int:household_id>/ho-tro")
def record_support(household_id: int):
    household = _household(household_id, A.UPDATE)
    form = SupportForm()
    fill_support_choices(form)
    if form.validate():
        try:
            registry.record_support(current_user, household, form.kind.data, form.given_on.data,
                                    form.value.data, form.provider.data or "")
        except RuleBroken as error:
            show_error(form, error, {"value_vnd": "value"})
        else:
            db.session.commit()
            flash(_("Đã ghi khoản hỗ trợ."), "success")
            return redirect(url_for(".household_detail", household_id=household.id, _anchor="ho-tro"), SEE_OTHER)
    db.session.rollback()
    return _render_household(household, support_form=form, code=400)


# --- The yearly review ------------------------------------------------------------------------


def _no_standard(error: NoStandardForYear):
    db.session.rollback()
    return render_template("errors/error.html", code=400, title=_("Chưa có chuẩn nghèo"),
                           message=str(error.message)), 400


def _render_review(household, year: int, form: ReviewForm, review: AnnualReview | None, code: int = 200,
                   lacking=None, causes=None):
    try:
        standard = standard_for(year, household.area_type)
    except NoStandardForYear as error:
        return _no_standard(error)
    context = review_page(household, year, standard, review, lacking, causes)
    return render_template("households/review.html", form=form, **context), code


@bp.route("/<int:household_id>/ra-soat/<int:year>", methods=["GET", "POST"])
def review(household_id: int, year: int):
    if request.method == "POST":
        return _save_review(_household(household_id, A.UPDATE), year)
    household = _household(household_id, A.READ)
    existing = db.session.execute(
        sa.select(AnnualReview).where(AnnualReview.household_id == household.id, AnnualReview.year == year)
        .options(selectinload(AnnualReview.indicators))
    ).scalar_one_or_none()
    form = ReviewForm(formdata=None, reviewed_on=read.today(), submission_key=secrets.token_urlsafe(24))
    if existing is not None:
        form.reviewed_on.data = existing.reviewed_on
        income = existing.income_per_person_vnd
        form.income.data = "" if income is None else f"{income:,}".replace(",", ".")
        form.b1_score.data = "" if existing.b1_score is None else str(existing.b1_score)
        form.b2_score.data = "" if existing.b2_score is None else str(existing.b2_score)
        log_access(current_user, household, A.READ, REVIEW_FIELDS)
    page = _render_review(household, year, form, existing)
    db.session.commit()
    return page


def _save_review(household, year: int):
    form = ReviewForm()
    lacking, causes = request.form.getlist("lacking"), request.form.getlist("causes")
    submit = request.form.get("action") == "submit"
    if not form.validate():
        db.session.rollback()
        return _render_review(household, year, form, None, 400, lacking, causes)
    values = ReviewValues(
        year=year, reviewed_on=form.reviewed_on.data, income=form.income.data, lacking=lacking, causes=causes,
        b1_score=form.b1_score.data, b2_score=form.b2_score.data, submission_key=form.submission_key.data,
    )
    try:
        saved = save_review(current_user, household, values, submit)
        db.session.commit()
    except NoStandardForYear as error:
        return _no_standard(error)
    except RuleBroken as error:
        db.session.rollback()
        show_error(form, error, {"reviewed_on": "reviewed_on"})
        return _render_review(household, year, form, None, 400, lacking, causes)
    except IntegrityError:
        # The same review sent twice at once: the other sending got it in; answer with that one.
        db.session.rollback()
        saved = review_by_submission_key(form.submission_key.data)
        if saved is None:
            raise
    if saved.state == ReviewState.SUBMITTED:
        flash(_("Đã nộp phiếu rà soát năm %(year)d.", year=saved.year), "success")
    else:
        flash(_("Đã lưu nháp phiếu rà soát năm %(year)d; có thể làm tiếp sau.", year=saved.year), "success")
    return redirect(url_for(".household_detail", household_id=saved.household_id, _anchor=f"nam-{saved.year}"),
                    SEE_OTHER)


# --- Deleting on request, and the access log (admins) -----------------------------------------


@bp.route("/<int:household_id>/xoa", methods=["GET", "POST"])
@audience(Audience.ADMIN)
def household_delete(household_id: int):
    household = _household(household_id, A.DELETE)
    form = DeleteForm()
    if request.method == "POST":
        if form.validate() and form.confirm.data:
            code = household.code
            registry.delete_household(current_user, household)
            db.session.commit()
            flash(_("Đã xoá hồ sơ hộ %(code)s theo yêu cầu.", code=code), "success")
            return redirect(url_for(".household_list"), SEE_OTHER)
        form.confirm.errors = list(form.confirm.errors) + [_("Hãy đánh dấu xác nhận trước khi xoá.")]
    log_access(current_user, household, A.READ, ("code", "head_name", "village"))
    page = render_template("households/delete.html", household=household, form=form)
    db.session.commit()
    return page, (400 if request.method == "POST" else 200)


@bp.get("/nhat-ky")
@audience(Audience.ADMIN)
def access_log():
    return render_template("households/access_log.html", entries=queries.access_log(page_number(request.args)),
                           **labels())
