"""Command-line tasks: `flask seed-demo`, `flask create-user`, `flask create-cooperative`, and each
domain's jobs (`flask send-reminders`, `flask send-order-mail`, `flask expire-card-payments`,
`flask forget-unused-photos`)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.accounts.cli import register_account_commands
from app.cooperatives.cli import register_cooperative_commands
from app.demo import seed as demo
from app.extensions import db
from app.livestreams.cli import register_livestream_commands
from app.media.cli import register_media_commands
from app.orders.cli import register_order_commands
from app.payments.cli import register_payment_commands


def register(app):
    register_account_commands(app)
    register_cooperative_commands(app)
    register_livestream_commands(app)
    register_media_commands(app)
    register_order_commands(app)
    register_payment_commands(app)
    app.cli.add_command(seed_demo_command)


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--first-run",
    is_flag=True,
    help="Do nothing if the catalogue already holds producers (used by `make run`).",
)
def seed_demo_command(first_run: bool) -> None:
    """Load the demo cooperatives, producers, products and accounts; safe to run again."""
    if first_run and demo.has_catalogue():
        click.echo(_("Danh mục đã có nhà vườn; không nạp dữ liệu mẫu."))
        return
    demo.seed_demo(log=click.echo)
    db.session.commit()
