"""`flask create-cooperative`: administrators set up a cooperative and its managers."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.accounts.models import User
from app.accounts.services import find_user_by_login
from app.cooperatives import services
from app.extensions import db
from app.places.models import Commune, Province


@click.command("create-cooperative")
@click.option("--name", required=True, help="Name, e.g. 'Hợp tác xã Cốm An Thuận'.")
@click.option("--province", "province_slug", default="hue", show_default=True, help="Province slug.")
@click.option("--commune", "commune_slug", help="Commune or ward slug, e.g. phuong-kim-tra.")
@click.option("--village", default="", help="Village (thôn) or residential group (tổ dân phố).")
@click.option("--description", default="")
@click.option("--manager", "managers", multiple=True, help="Email or phone of a manager; repeat for several.")
@with_appcontext
def create_cooperative_command(name, province_slug, commune_slug, village, description, managers):
    """Create a cooperative; its managers get the cooperative-manager role."""
    province = db.session.execute(sa.select(Province).filter_by(slug=province_slug)).scalar_one_or_none()
    if province is None:
        raise click.ClickException(_("Không có tỉnh/thành: %(slug)s", slug=province_slug))
    commune = None
    if commune_slug:
        commune = db.session.execute(
            sa.select(Commune).filter_by(slug=commune_slug, province_id=province.id)
        ).scalar_one_or_none()
        if commune is None:
            raise click.ClickException(
                _("Không có xã/phường %(slug)s ở %(province)s", slug=commune_slug, province=province.name)
            )
    people: list[User] = []
    for login in managers:
        user = find_user_by_login(login)
        if user is None:
            raise click.ClickException(
                _("Chưa có tài khoản %(login)s; hãy tạo trước bằng `flask create-user`.", login=login)
            )
        people.append(user)
    try:
        cooperative = services.create_cooperative(
            None,
            services.CooperativeValues(
                name=name, description=description, province_id=province.id,
                commune_id=commune.id if commune else None, village=village,
            ),
            managers=people,
        )
    except services.InvalidCooperative as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(
        _("Đã tạo hợp tác xã %(id)d: %(name)s (/hop-tac-xa/%(slug)s)",
          id=cooperative.id, name=cooperative.name, slug=cooperative.slug)
    )


def register_cooperative_commands(app) -> None:
    app.cli.add_command(create_cooperative_command)
