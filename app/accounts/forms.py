"""Forms for logging in, registering and changing a password.

They check shape only (is this an email address or a mobile number, is the password long
enough); whether an address is already taken is a rule of services.register_user.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, ValidationError

from app.accounts import services
from app.accounts.models import Role
from app.accounts.phone import InvalidPhoneNumber, normalize_phone
from app.common.forms import Form, max_length

ROLE_LABELS = {
    Role.BUYER: _l("Người mua"),
    Role.PRODUCER: _l("Người trồng (nhà vườn)"),
    Role.COOPERATIVE_MANAGER: _l("Quản lý hợp tác xã"),
    Role.OFFICER: _l("Cán bộ giảm nghèo"),
    Role.ADMIN: _l("Quản trị viên"),
}

PHONE_HINT = _l("Số di động Việt Nam, ví dụ 0912 345 678 hoặc +84 912 345 678.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def phone_error_message(reason: str) -> str:
    if reason == "network":
        return _("Đầu số này không phải số di động Việt Nam. Hãy kiểm tra lại số điện thoại.")
    return _("Số điện thoại không đúng dạng. Hãy nhập 10 chữ số, ví dụ 0912 345 678.")


class MobileNumber:
    """Validator for an optional contact number: replaces what was typed with +84…, or explains."""

    def __call__(self, form, field):
        if not (field.data or "").strip():
            field.data = None
            return
        try:
            field.data = normalize_phone(field.data)
        except InvalidPhoneNumber as error:
            raise ValidationError(phone_error_message(error.reason)) from error


def _password_field(label, **kwargs) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(message=_l("Hãy nhập mật khẩu.")),
            Length(
                min=services.MIN_PASSWORD_LENGTH,
                max=services.MAX_PASSWORD_LENGTH,
                message=_l("Mật khẩu cần từ %(min)d đến %(max)d ký tự."),
            ),
        ],
        render_kw={"autocomplete": "new-password", "minlength": services.MIN_PASSWORD_LENGTH},
        **kwargs,
    )


class LoginForm(Form):
    login = StringField(
        _l("Email hoặc số điện thoại"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Hãy nhập email hoặc số điện thoại.")),
            max_length(254),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Mật khẩu"),
        validators=[
            InputRequired(message=_l("Hãy nhập mật khẩu.")),
            Length(max=services.MAX_PASSWORD_LENGTH, message=_l("Mật khẩu quá dài.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))

    def validate_login(self, field):
        try:
            services.parse_login(field.data)
        except services.InvalidLogin as error:
            if "@" in field.data:
                raise ValidationError(_l("Email không đúng dạng. Hãy kiểm tra lại.")) from error
            if not any(ch.isdigit() for ch in field.data):
                raise ValidationError(_l("Hãy nhập email hoặc số điện thoại di động.")) from error
            raise ValidationError(phone_error_message(error.reason)) from error


class RegistrationForm(Form):
    full_name = StringField(
        _l("Họ và tên"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Hãy nhập họ và tên.")),
            Length(max=services.MAX_NAME_LENGTH, message=_l("Họ và tên tối đa %(max)d ký tự.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    phone = TelField(
        _l("Số điện thoại di động"),
        filters=[_strip],
        validators=[Optional(), max_length(30)],
        render_kw={"autocomplete": "tel"},
    )
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[Optional(), max_length(254)],
        render_kw={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = _password_field(_l("Mật khẩu"))
    password_confirm = PasswordField(
        _l("Nhập lại mật khẩu"),
        validators=[
            InputRequired(message=_l("Hãy nhập lại mật khẩu.")),
            EqualTo("password", message=_l("Hai mật khẩu không giống nhau.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    is_producer = BooleanField(_l("Tôi là nhà vườn hoặc người sản xuất và muốn bán nông sản"))
    # Law 91/2025/QH15: consent must be given by the person, so the box is never ticked for them.
    consent = BooleanField(
        _l("Tôi đồng ý để Chợ Phiên lưu họ tên, số điện thoại và email của tôi để quản lý tài khoản và đơn hàng."),
        validators=[DataRequired(message=_l("Cần có sự đồng ý của bạn để tạo tài khoản."))],
    )

    def validate_phone(self, field):
        if not field.data:
            return
        try:
            normalize_phone(field.data)
        except InvalidPhoneNumber as error:
            raise ValidationError(phone_error_message(error.reason)) from error

    def validate_email(self, field):
        if not field.data:
            return
        try:
            services.normalize_email(field.data)
        except services.InvalidEmail as error:
            raise ValidationError(_l("Email không đúng dạng, ví dụ: ten@example.com.")) from error

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data:
            message = _l("Hãy nhập số điện thoại hoặc email (ít nhất một) để đăng nhập sau này.")
            self.phone.errors = [*self.phone.errors, message]
            self.email.errors = [*self.email.errors, message]
            valid = False
        return valid


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Mật khẩu hiện tại"),
        validators=[InputRequired(message=_l("Hãy nhập mật khẩu hiện tại."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _password_field(_l("Mật khẩu mới"))
    new_password_confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[
            InputRequired(message=_l("Hãy nhập lại mật khẩu mới.")),
            EqualTo("new_password", message=_l("Hai mật khẩu không giống nhau.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
