"""Forms for linking producers to households: the producer's confirmation, and the officer's side."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.common.forms import Form, max_length

DEFAULT_PURPOSE = _l("Theo dõi kết quả hỗ trợ bán hàng trực tuyến của hộ.")


class ConfirmLinkForm(Form):
    token = HiddenField()
    # Never ticked in advance: consent is the producer's own act.
    consent = BooleanField(_l("Tôi đồng ý liên kết tài khoản nhà vườn của tôi với hộ này, cho mục đích nêu trên."))


class WithdrawLinkForm(Form):
    pass


class _ProducerChoice(Form):
    producer_id = SelectField(_l("Nhà vườn"), coerce=int, validators=[InputRequired()])
    purpose = TextAreaField(_l("Mục đích liên kết"), validators=[InputRequired(), max_length(500)])


class PaperConsentForm(_ProducerChoice):
    action = HiddenField(default="paper")
    given_on = DateField(_l("Ngày ký giấy đồng ý"), validators=[InputRequired()])
    paper_reference = StringField(
        _l("Số hoặc ký hiệu giấy đồng ý"), validators=[InputRequired(), max_length(120)],
        description=_l("Ghi như trên giấy lưu ở xã/phường, ví dụ GĐY-2026/015."),
    )


class ProposeLinkForm(_ProducerChoice):
    action = HiddenField(default="propose")


class OfficerWithdrawForm(Form):
    action = HiddenField(default="withdraw")
    link_id = HiddenField()
    requested = BooleanField(_l("Nhà vườn đã yêu cầu rút lại đồng ý liên kết."))
