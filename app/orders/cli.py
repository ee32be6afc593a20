"""`flask send-order-mail`: mail buyers and sellers the order news they are owed (cron, every 5 minutes)."""

from __future__ import annotations

import click
from flask import current_app
from flask_babel import gettext as _

from app.livestreams.cli import FALLBACK_SITE_URL
from app.orders import mailing


def register_order_commands(app) -> None:
    @app.cli.command("send-order-mail")
    def send_order_mail():
        """Mail the order notices that are owed; exit 1 if any failed."""
        site_url = current_app.config.get("SITE_URL") or ""
        if not site_url:
            site_url = FALLBACK_SITE_URL
            click.echo(_("Chưa đặt SITE_URL: liên kết trong thư sẽ trỏ tới %(url)s.", url=site_url), err=True)
        # The links in the messages are built by url_for, which needs a request to know the site.
        with current_app.test_request_context(base_url=site_url):
            report = mailing.send_due()
        click.echo(_("Đã gửi %(sent)d thư về đơn hàng; %(failed)d lỗi.", sent=report.sent, failed=report.failed))
        if report.failed:
            # Cron mails the operator when a job fails; what can be retried waits for the next run.
            raise SystemExit(1)
