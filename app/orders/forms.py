"""The checkout form. Delivery choices are per producer and posted as delivery_<producer id>."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import Email, Length, Optional

from app.common.forms import Form
from app.orders.models import PaymentMethod

# How the checkout form offers each way of paying (lists and mail use labels.PAYMENT_LABELS).
PAYMENT_CHOICES = {
    PaymentMethod.CASH_ON_DELIVERY: _l("Trả tiền mặt khi nhận hàng"),
    PaymentMethod.BANK_TRANSFER: _l("Chuyển khoản ngân hàng (quét mã VietQR)"),
    PaymentMethod.CARD: _l("Thẻ quốc tế (Visa, Mastercard…) qua Stripe"),
}


def _optional_id(value) -> int:
    """A select's value as an id, 0 for none chosen (an empty value is not an error here:
    a buyer collecting at a pickup point leaves the address empty)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else 0


class CheckoutForm(Form):
    submission_key = HiddenField()
    name = StringField(_l("Họ tên người nhận"), validators=[Length(max=120)])
    phone = TelField(_l("Số điện thoại di động"), description=_l("Người bán gọi số này khi giao hàng."))
    email = EmailField(
        _l("Email (không bắt buộc)"),
        validators=[Optional(), Email(_l("Địa chỉ email không đúng dạng.")), Length(max=254)],
        description=_l("Để nhận thư báo khi đơn được xác nhận và gửi đi."),
    )
    province_id = SelectField(_l("Tỉnh/thành phố"), coerce=_optional_id, validate_choice=False)
    commune_id = SelectField(_l("Xã/phường"), coerce=_optional_id, validate_choice=False)
    commune_name = StringField(
        _l("Xã/phường (nếu không có trong danh sách)"), validators=[Length(max=120)]
    )
    village = StringField(_l("Thôn, tổ dân phố"), validators=[Length(max=120)])
    street = StringField(_l("Số nhà, đường, chỉ dẫn"), validators=[Length(max=200)])
    note = TextAreaField(_l("Ghi chú cho người bán"), validators=[Length(max=1000)])
    payment_method = RadioField(_l("Cách thanh toán"), default=PaymentMethod.CASH_ON_DELIVERY.value)
