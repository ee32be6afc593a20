"""Forms for the bank account sellers are paid into, and for a card payout an admin records.

They parse what people type; the rules (which banks, which account numbers, how much may be paid
out) live in accounts.py and payouts.py, whose errors are shown on these fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from app.common.forms import NUMBER_PAD, Form, MoneyField, max_length
from app.payments import banks


def bank_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("— Chọn ngân hàng —"))] + [SelectChoice(b, label) for b, label in banks.choices()]


class BankAccountForm(Form):
    # The service checks the bank against the list, with a message of its own.
    bank_bin = SelectField(_l("Ngân hàng"), validate_choice=False)
    account_number = StringField(
        _l("Số tài khoản"),
        description=_l("Chỉ gồm chữ số, như trên thẻ hoặc ứng dụng ngân hàng."),
        validators=[max_length(40)],
        render_kw=NUMBER_PAD,
    )
    account_name = StringField(
        _l("Tên chủ tài khoản"),
        description=_l("Như ngân hàng ghi; được viết hoa, không dấu khi lưu."),
        validators=[max_length(200)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank_bin.choices = bank_choices()


class PayoutForm(Form):
    producer_id = SelectField(_l("Nhà vườn"), coerce=int, validate_choice=True)
    amount = MoneyField(
        _l("Số tiền đã chuyển (đồng)"), read=False, description=_l("Số đồng nguyên, ví dụ 1500000 hoặc 1.500.000.")
    )
    reference = StringField(
        _l("Mã giao dịch hoặc ghi chú"),
        description=_l("Để đối chiếu với sao kê ngân hàng."),
        validators=[max_length(120)],
    )
