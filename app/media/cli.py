"""`flask forget-unused-photos`: the media package's daily job."""

from __future__ import annotations

import click
from flask_babel import ngettext

from app.extensions import db
from app.media import cleanup


def register_media_commands(app) -> None:
    @app.cli.command("forget-unused-photos")
    def forget_unused_photos():
        """Delete photos nothing uses (kept across a form error but never saved, or removed
        everywhere) once they are a day old; run once a day from cron."""
        forgotten = cleanup.forget_unused_photos()
        db.session.commit()
        # Files only once the rows are gone for good: a failed commit leaves both in place.
        cleanup.remove_files(forgotten)
        click.echo(ngettext("Đã xoá %(num)d ảnh không còn dùng.", "Đã xoá %(num)d ảnh không còn dùng.", len(forgotten)))
