from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TelField, TextAreaField
from wtforms.validators import InputRequired, Optional

from app.accounts.forms import MobileNumber
from app.common.forms import Form, max_length


class CooperativeForm(Form):
    name = StringField(
        _l("Tên hợp tác xã"),
        validators=[
            InputRequired(_l("Hãy nhập tên hợp tác xã.")),
            max_length(160),
        ],
    )
    description = TextAreaField(
        _l("Giới thiệu"),
        validators=[Optional(), max_length(5000)],
        description=_l("Hợp tác xã trồng gì, có bao nhiêu thành viên, bán hàng thế nào."),
    )
    province_id = SelectField(_l("Tỉnh/thành phố"), coerce=int)
    commune_id = SelectField(_l("Xã/phường"), coerce=int)
    village = StringField(_l("Thôn/tổ dân phố"), validators=[max_length(120)])
    street = StringField(_l("Số nhà, đường"), validators=[max_length(200)])
    old_district = StringField(_l("Địa chỉ cũ (trước 7/2025)"), validators=[max_length(120)])
    contact_phone = TelField(_l("Số điện thoại liên hệ"), validators=[MobileNumber()])
