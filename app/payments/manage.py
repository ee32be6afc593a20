"""The sellers' pages for the bank account buyers transfer to: a producer's own, a cooperative's.

Each view loads, checks access, calls payments.accounts and commits once. A detail a bank app
could not use comes back as an error on its field (400), with everything typed kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.catalog.access import may_manage_producer, producers_managed_by
from app.catalog.models import Producer
from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.cooperatives.access import managed_by as cooperatives_managed_by
from app.cooperatives.access import may_edit_cooperative
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.payments import accounts
from app.payments.banks import bank_by_bin
from app.payments.forms import BankAccountForm
from app.payments.models import BankAccount

bp = Blueprint("payments_manage", __name__, url_prefix="/quan-ly/thanh-toan")
declare(bp, Audience.SELLER)


@bp.get("/")
def bank_accounts():
    producers = producers_managed_by(current_user)
    cooperatives = cooperatives_managed_by(current_user)
    conditions = [BankAccount.producer_id.in_([p.id for p in producers])]
    cooperative_ids = {c.id for c in cooperatives} | {p.cooperative_id for p in producers if p.cooperative_id}
    if cooperative_ids:
        conditions.append(BankAccount.cooperative_id.in_(cooperative_ids))
    found = list(db.session.execute(sa.select(BankAccount).where(sa.or_(*conditions))).scalars())
    return render_template(
        "payments/bank_accounts.html",
        producers=producers,
        cooperatives=cooperatives,
        own={a.producer_id: a for a in found if a.producer_id},
        shared={a.cooperative_id: a for a in found if a.cooperative_id},
        bank_by_bin=bank_by_bin,
    )


def _form(account: BankAccount | None) -> BankAccountForm:
    form = BankAccountForm()
    if request.method == "GET" and account is not None:
        form.bank_bin.data = account.bank_bin
        form.account_number.data = account.account_number
        form.account_name.data = account.account_name
    return form


def _values(form: BankAccountForm) -> accounts.BankAccountValues:
    return accounts.BankAccountValues(
        bank_bin=form.bank_bin.data or "",
        account_number=form.account_number.data or "",
        account_name=form.account_name.data or "",
    )


def _edit(form: BankAccountForm, save, owner, **page):
    """Save the form's account for owner, or show it again with the field at fault (400)."""
    if form.validate_on_submit():
        try:
            save(current_user, owner, _values(form))
        except RuleBroken as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Đã lưu tài khoản nhận chuyển khoản."), "success")
            return redirect(url_for("payments_manage.bank_accounts"), 303)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("payments/bank_account_form.html", form=form, **page), status


def _producer(producer_id: int) -> Producer:
    producer = db.session.execute(
        sa.select(Producer).where(Producer.id == producer_id).options(joinedload(Producer.cooperative))
    ).scalar_one_or_none()
    if producer is None:
        abort(404)
    if not may_manage_producer(current_user, producer):
        abort(403)
    return producer


def _cooperative(cooperative_id: int) -> Cooperative:
    cooperative = db.session.get(Cooperative, cooperative_id) or abort(404)
    if not may_edit_cooperative(current_user, cooperative):
        abort(403)
    return cooperative


@bp.route("/nha-vuon/<int:producer_id>", methods=["GET", "POST"])
def producer_account(producer_id: int):
    producer = _producer(producer_id)
    account = accounts.own_account(producer)
    shared = accounts.cooperative_account(producer.cooperative) if producer.cooperative else None
    return _edit(
        _form(account), accounts.save_for_producer, producer,
        producer=producer, cooperative=None, account=account, shared=shared,
        remove_url=url_for("payments_manage.remove_producer_account", producer_id=producer.id),
    )


@bp.route("/hop-tac-xa/<int:cooperative_id>", methods=["GET", "POST"])
def cooperative_account(cooperative_id: int):
    cooperative = _cooperative(cooperative_id)
    account = accounts.cooperative_account(cooperative)
    return _edit(
        _form(account), accounts.save_for_cooperative, cooperative,
        producer=None, cooperative=cooperative, account=account, shared=None,
        remove_url=url_for("payments_manage.remove_cooperative_account", cooperative_id=cooperative.id),
    )


def _remove(account: BankAccount | None):
    if account is not None:
        accounts.remove(current_user, account)
        db.session.commit()
        flash(_("Đã xoá tài khoản nhận chuyển khoản."), "success")
    return redirect(url_for("payments_manage.bank_accounts"), 303)


@bp.post("/nha-vuon/<int:producer_id>/xoa")
def remove_producer_account(producer_id: int):
    return _remove(accounts.own_account(_producer(producer_id)))


@bp.post("/hop-tac-xa/<int:cooperative_id>/xoa")
def remove_cooperative_account(cooperative_id: int):
    return _remove(accounts.cooperative_account(_cooperative(cooperative_id)))
