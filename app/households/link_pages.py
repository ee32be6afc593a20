"""Pages for producers linked to households: the producer's own page, and the officer's page.

The producer sees their link (household code, commune, since when, purpose, consent) on
/tai-khoan/lien-ket-ho, confirms a proposal an officer handed them, and withdraws their consent.
The officer of the household's commune records a consent given on paper, proposes a link to a
producer with an account, or withdraws a link at the producer's request.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.sections import account_sections
from app.catalog.models import Producer
from app.common.access import Audience, audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.extensions import db
from app.households import links
from app.households.access import HouseholdNotFound, log_access, require_household
from app.households.link_forms import (
    DEFAULT_PURPOSE,
    ConfirmLinkForm,
    OfficerWithdrawForm,
    PaperConsentForm,
    ProposeLinkForm,
    WithdrawLinkForm,
)
from app.households.models import AccessAction, ConsentKind, ProducerLink

bp = Blueprint("household_links", __name__)
declare(bp, Audience.OFFICER)

CONSENT_LABELS = {
    ConsentKind.PRODUCER_CONFIRMED: _l("Nhà vườn tự xác nhận trên tài khoản"),
    ConsentKind.PAPER: _l("Đồng ý trên giấy, cán bộ ghi nhận"),
}
PRODUCER_PAGE = "household_links.producer_links"


def _account_section(user):
    """On the account page of a producer: where their link with a household is shown."""
    if not user.has_role(Role.PRODUCER):
        return None
    return {
        "title": _("Liên kết với hộ được hỗ trợ"),
        "text": _("Xem, xác nhận hoặc rút lại đồng ý liên kết tài khoản nhà vườn với hộ gia đình của bạn."),
        "url": url_for(PRODUCER_PAGE),
    }


@bp.record_once
def _register(state) -> None:
    account_sections.add(state.app, _account_section)


# --- The producer's side ------------------------------------------------------------------------


def _producer_page(form: ConfirmLinkForm, proposal=None, problem=None, status: int = 200):
    own = links.links_for_producer_user(current_user)
    page = render_template(
        "households/producer_links.html", links=own, proposal=proposal, form=form, problem=problem,
        consent_labels=CONSENT_LABELS, has_producer=_own_producer() is not None,
    )
    db.session.commit()  # the reads logged above
    return page, status


def _own_producer():
    return db.session.execute(db.select(Producer.id).where(Producer.user_id == current_user.id)).first()


@bp.get("/tai-khoan/lien-ket-ho")
@audience(Audience.SIGNED_IN)
def producer_links():
    token = request.args.get("de-nghi")
    form = ConfirmLinkForm(token=token)
    if not token:
        return _producer_page(form)
    try:
        proposal = links.read_proposal(current_user, token)
    except links.InvalidProposal as error:
        return _producer_page(form, problem=error.message, status=400)
    return _producer_page(form, proposal=proposal)


@bp.post("/tai-khoan/lien-ket-ho")
@audience(Audience.SIGNED_IN)
def confirm_link():
    form = ConfirmLinkForm()
    form.validate()
    try:
        proposal = links.read_proposal(current_user, form.token.data)
    except links.InvalidProposal as error:
        return _producer_page(form, problem=error.message, status=400)
    try:
        links.confirm_link(current_user._get_current_object(), proposal, form.consent.data is True)
    except RuleBroken as error:
        show_error(form, error)
        return _producer_page(form, proposal=proposal, status=400)
    db.session.commit()
    flash(_("Đã ghi nhận đồng ý liên kết của bạn."), "success")
    return redirect(url_for(PRODUCER_PAGE))


def _own_link_or_404(link_id: int) -> ProducerLink:
    link = links.own_link(current_user, link_id)
    if link is None or link.withdrawn_at is not None:
        abort(404)
    return link


# Withdrawing cannot be undone by the producer (linking again needs a new proposal and consent):
# a page asks first, and only its POST, carrying this value, withdraws.
CONFIRM_WITHDRAW = "rut-lai"


def _withdraw_page(link: ProducerLink, form: WithdrawLinkForm, status: int = 200):
    log_access(current_user, link.household, AccessAction.READ, links.SHOWN_TO_PRODUCER)
    page = render_template("households/withdraw_link.html", link=link, form=form, confirm=CONFIRM_WITHDRAW)
    db.session.commit()
    return page, status


@bp.get("/tai-khoan/lien-ket-ho/<int:link_id>/rut-lai")
@audience(Audience.SIGNED_IN)
def withdraw_confirm(link_id: int):
    return _withdraw_page(_own_link_or_404(link_id), WithdrawLinkForm())


@bp.post("/tai-khoan/lien-ket-ho/<int:link_id>/rut-lai")
@audience(Audience.SIGNED_IN)
def withdraw_link(link_id: int):
    link = _own_link_or_404(link_id)
    form = WithdrawLinkForm()
    if not form.validate():
        abort(400)
    if request.form.get("confirm") != CONFIRM_WITHDRAW:
        return _withdraw_page(link, form, 400)  # asked again; nothing is withdrawn
    links.withdraw_link(current_user._get_current_object(), link)
    db.session.commit()
    flash(_("Đã rút lại đồng ý. Tài khoản của bạn không còn liên kết với hộ."), "success")
    return redirect(url_for(PRODUCER_PAGE))


# --- The officer's side -------------------------------------------------------------------------


def _household_or_404(household_id: int, action: AccessAction):
    try:
        return require_household(current_user, household_id, action)
    except HouseholdNotFound:
        db.session.commit()  # keep the refusal's log entry
        abort(404)


def _officer_forms(household, paper=None, propose=None):
    choices = [(p.id, p.display_name) for p in links.producers_in_commune(household)]
    paper = paper or PaperConsentForm(formdata=None, purpose=str(DEFAULT_PURPOSE), prefix="paper")
    propose = propose or ProposeLinkForm(formdata=None, purpose=str(DEFAULT_PURPOSE), prefix="propose")
    for form in (paper, propose):
        form.producer_id.choices = [(0, _("— Chọn nhà vườn —")), *choices]
    return paper, propose


def _officer_page(household, paper=None, propose=None, withdraw=None, proposal=None, status=200):
    paper, propose = _officer_forms(household, paper, propose)
    history = links.links_of(household)
    log_access(current_user, household, AccessAction.READ, ["code", "head_name", "commune_id", *links.LINK_FIELDS])
    page = render_template(
        "households/officer_links.html", household=household, links=history, paper=paper, propose=propose,
        withdraw=withdraw or OfficerWithdrawForm(formdata=None), proposal=proposal, consent_labels=CONSENT_LABELS,
        proposal_url=proposal and url_for(PRODUCER_PAGE, **{"de-nghi": proposal.token}, _external=True),
    )
    db.session.commit()
    return page, status


@bp.get("/ho-ho-tro/<int:household_id>/lien-ket")
def household_links(household_id: int):
    return _officer_page(_household_or_404(household_id, AccessAction.READ))


@bp.post("/ho-ho-tro/<int:household_id>/lien-ket")
def change_household_links(household_id: int):
    household = _household_or_404(household_id, AccessAction.UPDATE)
    # The two forms share a page, so their fields carry a prefix (paper-…, propose-…): one id
    # per box, and each label names its own box.
    action = request.form.get("action") or ("paper" if "paper-action" in request.form else "propose")
    if action == "withdraw":
        return _officer_withdraw(household)
    form = PaperConsentForm(prefix="paper") if action == "paper" else ProposeLinkForm(prefix="propose")
    _officer_forms(household, *((form, None) if action == "paper" else (None, form)))
    forms = {"paper": form} if action == "paper" else {"propose": form}
    if not form.validate():
        return _officer_page(household, status=400, **forms)
    producer = db.session.get(Producer, form.producer_id.data) if form.producer_id.data else None
    try:
        if action == "paper":
            links.record_paper_consent(
                current_user, household, producer, form.given_on.data, form.paper_reference.data, form.purpose.data
            )
        else:
            proposal = links.propose_link(current_user, household, producer, form.purpose.data)
            return _officer_page(household, proposal=proposal)
    except RuleBroken as error:
        show_error(form, error)
        db.session.commit()  # a refusal logged on the way stays logged
        return _officer_page(household, status=400, **forms)
    db.session.commit()
    flash(_("Đã ghi nhận đồng ý trên giấy và liên kết nhà vườn với hộ."), "success")
    return redirect(url_for("household_links.household_links", household_id=household.id))


def _officer_withdraw(household):
    form = OfficerWithdrawForm()
    form.validate()
    link_id = form.link_id.data
    link = db.session.get(ProducerLink, int(link_id)) if (link_id or "").isdigit() else None
    if link is None or link.household_id != household.id:
        abort(404)
    try:
        links.withdraw_link(current_user, link, at_producers_request=form.requested.data is True)
    except RuleBroken as error:
        show_error(form, error)
        return _officer_page(household, withdraw=form, status=400)
    db.session.commit()
    flash(_("Đã rút lại liên kết theo yêu cầu của nhà vườn; lịch sử vẫn được giữ."), "success")
    return redirect(url_for("household_links.household_links", household_id=household.id))
