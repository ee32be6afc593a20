"""Register, log in, log out, and the account page.

The client address used to slow password guessing is request.remote_addr. Behind a reverse
proxy that is the proxy's address, and every visitor would share one counter: a deployment
behind nginx or a load balancer must wrap the app in werkzeug.middleware.proxy_fix.ProxyFix
(with x_for set to the number of proxies it trusts) so remote_addr is the visitor's.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from app.accounts import services
from app.accounts.forms import ROLE_LABELS, ChangePasswordForm, LoginForm, RegistrationForm
from app.accounts.landing import landing_page
from app.accounts.models import Role
from app.accounts.phone import display_phone
from app.accounts.sections import sections_for
from app.common.access import Audience, audience, declare
from app.common.i18n import current_language
from app.common.timezone import utcnow
from app.common.urls import safe_next
from app.extensions import db

bp = Blueprint("accounts", __name__)
declare(bp, Audience.ANYONE)


def _next_target() -> str | None:
    """The page to return to, if it is on this site; None otherwise."""
    target = request.values.get("next")
    return target if safe_next(target, "") else None


def _throttled_message(error: services.LoginThrottled) -> str:
    minutes = error.minutes_left(utcnow())
    return ngettext(
        "Đã có quá nhiều lần đăng nhập sai. Vui lòng đợi %(num)d phút rồi thử lại.",
        "Đã có quá nhiều lần đăng nhập sai. Vui lòng đợi %(num)d phút rồi thử lại.",
        minutes,
    )


def _throttled_headers(error: services.LoginThrottled) -> dict[str, str]:
    return {"Retry-After": str(error.seconds_left(utcnow()))}


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    next_page = _next_target()
    if current_user.is_authenticated:
        return redirect(landing_page(current_user, next_page))
    form = LoginForm()
    if not form.is_submitted():
        return render_template("accounts/login.html", form=form, next=next_page)

    status, headers = 400, {}
    if form.validate():
        try:
            user = services.authenticate(form.login.data, form.password.data, request.remote_addr)
        except services.InvalidLogin:
            # The form already checked the shape; this is only reached if the two disagree.
            form.login.errors.append(_("Hãy nhập email hoặc số điện thoại di động."))
        except services.LoginThrottled as error:
            status, headers = 429, _throttled_headers(error)
            form.form_errors.append(_throttled_message(error))
        except services.InvalidCredentials:
            # The same words whether the account exists or not.
            form.form_errors.append(_("Sai thông tin đăng nhập: email/số điện thoại hoặc mật khẩu không đúng."))
        except services.InactiveAccount:
            status = 403
            form.form_errors.append(_("Tài khoản này đang bị tạm khoá. Vui lòng liên hệ ban quản trị Chợ Phiên."))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(_("Xin chào %(name)s, bạn đã đăng nhập.", name=user.full_name), "success")
            return redirect(landing_page(user, next_page))
        db.session.commit()  # keep the failure that was counted
    return render_template("accounts/login.html", form=form, next=next_page), status, headers


@bp.post("/dang-xuat")
def logout():
    if current_user.is_authenticated:
        logout_user()
        flash(_("Bạn đã đăng xuất."), "success")
    response = redirect(url_for("main.home"))
    # An officer's phone keeps household pages and unsent reviews for use without a signal
    # (households-sw.js): signing out removes them, and the service worker with them.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/dang-ky", methods=["GET", "POST"])
def register():
    next_page = _next_target()
    if current_user.is_authenticated:
        return redirect(landing_page(current_user, next_page))
    form = RegistrationForm()
    if not form.is_submitted():
        return render_template("accounts/register.html", form=form, next=next_page)

    if form.validate():
        roles = [Role.BUYER, Role.PRODUCER] if form.is_producer.data else [Role.BUYER]
        try:
            user = services.register_user(
                form.full_name.data,
                form.password.data,
                email=form.email.data,
                phone=form.phone.data,
                roles=roles,
                consented=form.consent.data,
            )
        except services.AccountExists as error:
            db.session.rollback()
            if "email" in error.fields:
                form.email.errors.append(_("Email này đã có tài khoản. Hãy đăng nhập, hoặc dùng email khác."))
            if "phone" in error.fields:
                form.phone.errors.append(
                    _("Số điện thoại này đã có tài khoản. Hãy đăng nhập, hoặc dùng số khác.")
                )
        else:
            db.session.commit()
            login_user(user)
            flash(_("Chào mừng %(name)s đến với Chợ Phiên! Tài khoản đã được tạo.", name=user.full_name), "success")
            # A new buyer goes back where they were; a new producer to the dashboard, to set up their farm.
            return redirect(landing_page(user, next_page))
    return render_template("accounts/register.html", form=form, next=next_page), 400


LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language, as switches are
SELLER_ROLES = {Role.PRODUCER, Role.COOPERATIVE_MANAGER}


def _profile_page(form: ChangePasswordForm, status: int = 200):
    user = current_user
    roles = [ROLE_LABELS[role] for role in Role if role in user.roles]
    language = current_language()
    other = "en" if language == "vi" else "vi"
    return (
        render_template(
            "accounts/profile.html",
            user=user,
            phone=display_phone(user.phone),
            roles=roles,
            form=form,
            sections=sections_for(user),
            language_name=LANGUAGE_NAMES[language],
            other_language=other,
            other_language_label=_("Chuyển sang %(language)s", language=LANGUAGE_NAMES[other]),
            is_seller=bool(user.roles & SELLER_ROLES),
        ),
        status,
    )


@bp.get("/tai-khoan")
@audience(Audience.SIGNED_IN)
def profile():
    return _profile_page(ChangePasswordForm())


@bp.post("/tai-khoan/mat-khau")
@audience(Audience.SIGNED_IN)
def change_password():
    form = ChangePasswordForm()
    if not form.validate():
        return _profile_page(form, 400)
    user = current_user._get_current_object()
    try:
        services.change_password(user, form.current_password.data, form.new_password.data)
    except services.LoginThrottled as error:
        db.session.commit()
        form.form_errors.append(_throttled_message(error))
        page, status = _profile_page(form, 429)
        return page, status, _throttled_headers(error)
    except services.InvalidCredentials:
        db.session.commit()
        form.current_password.errors.append(_("Mật khẩu hiện tại không đúng."))
        return _profile_page(form, 400)
    db.session.commit()
    flash(_("Đã đổi mật khẩu."), "success")
    return redirect(url_for("accounts.profile"))
