"""`flask send-reminders`: mail the reminders and change notices that are due (cron, every 5 minutes)."""

from __future__ import annotations

import click
from flask import current_app
from flask_babel import gettext as _

from app.livestreams import reminders

# Where links in mail point when SITE_URL is not set: the development server.
FALLBACK_SITE_URL = "http://127.0.0.1:5000"


def register_livestream_commands(app) -> None:
    @app.cli.command("send-reminders")
    def send_reminders():
        """Mail the livestream reminders and change notices that are due; exit 1 if any failed."""
        site_url = current_app.config.get("SITE_URL") or ""
        if not site_url:
            site_url = FALLBACK_SITE_URL
            click.echo(
                _("Chưa đặt SITE_URL: liên kết trong thư sẽ trỏ tới %(url)s.", url=site_url), err=True
            )
        # The links in the messages are built by url_for, which needs a request to know the site.
        with current_app.test_request_context(base_url=site_url):
            report = reminders.send_due()
        click.echo(
            _(
                "Đã gửi %(reminders)d lời nhắc, %(rescheduled)d thông báo đổi giờ, "
                "%(cancelled)d thông báo huỷ; %(failed)d lỗi.",
                reminders=report.reminders,
                rescheduled=report.rescheduled,
                cancelled=report.cancelled,
                failed=report.failed,
            )
        )
        if report.failed:
            # Cron mails the operator when a job fails; the messages stay queued for the next run.
            raise SystemExit(1)
