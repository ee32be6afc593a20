"""`flask create-user`: make an account with chosen roles, for administrators and scripts."""

from __future__ import annotations

import click
from flask_babel import gettext as _

from app.accounts import services, throttle
from app.accounts.models import Role
from app.accounts.phone import InvalidPhoneNumber, display_phone, normalize_phone
from app.extensions import db


def register_account_commands(app) -> None:
    @app.cli.command("create-user")
    @click.option("--email", help="Email address to log in with.")
    @click.option("--phone", help="Vietnamese mobile number to log in with, e.g. 0912345678.")
    @click.option("--name", "full_name", required=True, help="Full name.")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        type=click.Choice([role.value for role in Role]),
        help="A role to grant; repeat for several. Default: buyer.",
    )
    @click.option("--password", help="Password, for scripts. Without it you are asked (input hidden).")
    def create_user(email, phone, full_name, roles, password):
        """Create an account that logs in with --email and/or --phone."""
        if not email and not phone:
            raise click.UsageError(_("Cần --email hoặc --phone (hoặc cả hai)."))
        if not full_name.strip() or len(full_name.strip()) > services.MAX_NAME_LENGTH:
            raise click.UsageError(
                _("--name cần có từ 1 đến %(num)d ký tự.", num=services.MAX_NAME_LENGTH)
            )
        # Check what can be checked before asking for a password nobody will use.
        try:
            email = services.normalize_email(email) if email else None
        except services.InvalidEmail:
            raise click.ClickException(_("Email không đúng dạng: %(email)s", email=email)) from None
        try:
            phone = normalize_phone(phone) if phone else None
        except InvalidPhoneNumber:
            raise click.ClickException(
                _("Số điện thoại không phải số di động Việt Nam hợp lệ: %(phone)s", phone=phone)
            ) from None
        if password is None:
            password = click.prompt(
                _("Mật khẩu"), hide_input=True, confirmation_prompt=_("Nhập lại mật khẩu")
            )

        try:
            user = services.register_user(
                full_name,
                password,
                email=email,
                phone=phone,
                roles=[Role(value) for value in roles] or [Role.BUYER],
                source="command",
            )
        except services.AccountExists as error:
            db.session.rollback()
            messages = []
            if "email" in error.fields:
                messages.append(_("Email %(email)s đã có tài khoản.", email=email))
            if "phone" in error.fields:
                messages.append(_("Số điện thoại %(phone)s đã có tài khoản.", phone=display_phone(phone)))
            raise click.ClickException(" ".join(messages)) from None
        except services.PasswordTooShort as error:
            raise click.ClickException(
                _("Mật khẩu cần ít nhất %(num)d ký tự.", num=error.minimum)
            ) from None
        except services.PasswordTooLong as error:
            raise click.ClickException(_("Mật khẩu dài quá %(num)d ký tự.", num=error.maximum)) from None
        db.session.commit()
        click.echo(
            _(
                "Đã tạo tài khoản %(id)d: %(login)s (%(roles)s).",
                id=user.id,
                login=user.email or display_phone(user.phone),
                roles=", ".join(sorted(role.value for role in user.roles)),
            )
        )

    @app.cli.command("forget-login-failures")
    def forget_login_failures():
        """Delete failed-login counters that no longer slow anyone down (run daily from cron)."""
        removed = throttle.forget_stale_throttles()
        db.session.commit()
        click.echo(_("Đã xoá %(num)d bộ đếm đăng nhập sai cũ.", num=removed))
