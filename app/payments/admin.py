"""The admins' page for card money: what the site holds for each producer, and payouts made."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.catalog.models import Producer
from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.common.money import InvalidAmount, parse_vnd
from app.extensions import db
from app.payments import payouts
from app.payments.forms import PayoutForm

bp = Blueprint("payments_admin", __name__, url_prefix="/quan-tri")
declare(bp, Audience.ADMIN)


@bp.route("/tien-the", methods=["GET", "POST"])
def card_money():
    balances = payouts.balances()
    form = PayoutForm()
    form.producer_id.choices = [SelectChoice(b.producer_id, b.producer_name) for b in balances if b.owed_vnd > 0]
    if form.validate_on_submit():
        try:
            amount = parse_vnd(form.amount.data)
        except InvalidAmount:
            form.amount.errors = [_("Hãy nhập số đồng nguyên, ví dụ 1500000 hoặc 1.500.000.")]
        else:
            producer = db.session.get(Producer, form.producer_id.data)
            try:
                payouts.record_payout(current_user, producer, amount, form.reference.data or "")
            except RuleBroken as error:
                db.session.rollback()
                show_error(form, error)
            else:
                db.session.commit()
                flash(_("Đã ghi khoản chi trả cho %(name)s.", name=producer.display_name), "success")
                return redirect(url_for("payments_admin.card_money"), 303)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "payments/card_money.html", balances=balances, form=form, recent=payouts.recent_payouts(),
    ), status
