"""`flask expire-card-payments`: close card checkouts whose payment news never came (cron)."""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.payments import card
from app.payments.stripe_gateway import PaymentProviderUnavailable, settings_from


@dataclass
class ExpiryReport:
    expired: int = 0  # checkouts whose orders were cancelled, stock back
    paid: int = 0  # Stripe says paid: left for the webhook, which Stripe retries for days
    unreachable: int = 0  # Stripe could not be asked: left for the next run


def expire_card_payments() -> ExpiryReport:
    """Expire each overdue card checkout, one transaction each, so one failure loses no other."""
    settings = settings_from(current_app.config)
    report = ExpiryReport()
    for checkout in card.overdue_checkouts():
        try:
            closed = card.expire_overdue(settings, checkout)
        except PaymentProviderUnavailable:
            db.session.rollback()
            report.unreachable += 1
            continue
        db.session.commit()
        if closed:
            report.expired += 1
        else:
            report.paid += 1
    return report


def register_payment_commands(app) -> None:
    @app.cli.command("expire-card-payments")
    def expire_card_payments_command():
        """Cancel card orders an hour past their payment time with no word from Stripe; stock back."""
        report = expire_card_payments()
        click.echo(
            _(
                "Đã huỷ %(expired)d lượt thanh toán thẻ quá hạn; %(paid)d đã trả, chờ xác nhận; "
                "%(unreachable)d chưa hỏi được Stripe.",
                expired=report.expired,
                paid=report.paid,
                unreachable=report.unreachable,
            )
        )
        if report.unreachable:
            raise SystemExit(1)
