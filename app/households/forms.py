"""The officers' forms: a household, a recognised status, support received, a review's fields.

Forms only read what was typed; the services in registry.py and reviews.py decide whether it is
right, and their errors come back on the field they name (app.common.forms.show_error).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms import Form as PlainForm
from wtforms.fields import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.common.forms import Form, MoneyField, WholeNumberField, max_length, optional_id
from app.common.i18n import current_language
from app.common.text import vietnamese_sort_key
from app.extensions import db
from app.households.access import covered_communes, is_admin
from app.households.classification import AREA_LABELS
from app.households.models import AreaType, HouseholdGroup, HouseholdStatus, SupportKind
from app.households.registry import MemberValues
from app.households.status import STATUS_LABELS
from app.places.models import Commune, Province

BLANK_MEMBER_ROWS = 5


class MemberForm(PlainForm):
    name = StringField(_l("Họ tên"))
    birth_year = WholeNumberField(_l("Năm sinh"), render_kw={"maxlength": 4})
    relation = StringField(_l("Quan hệ với chủ hộ"))

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.name, self.birth_year, self.relation))


def _choose(label) -> SelectChoice:
    """The first choice of a select whose wrong default would cost the household: nothing chosen."""
    return SelectChoice("", label)


def _chosen(message):
    """A select starting on "— Chọn … —" must be answered; the message says what to choose."""
    def check(form, field):
        answer = field.data.strip() if isinstance(field.data, str) else field.data
        if not answer:
            raise ValidationError(message)
    return check


class RequiredDateField(DateField):
    """A date the officer must type (a decision's date), with its own message when left empty
    instead of WTForms' "not a valid date"."""

    def __init__(self, label=None, message=None, **kwargs):
        super().__init__(label, **kwargs)
        self.empty_message = message

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            raise ValueError(str(self.empty_message))
        super().process_formdata(valuelist)


class HouseholdForm(Form):
    # Code and head name are read by the service too (registry._fields); checking them here as
    # well puts every missing answer on one page, not one per submit.
    code = StringField(_l("Mã hộ"), validators=[_chosen(_l("Hãy nhập %(what)s.", what=_l("mã hộ"))), max_length(30)])
    head_name = StringField(_l("Họ tên chủ hộ"),
                            validators=[_chosen(_l("Hãy nhập %(what)s.", what=_l("họ tên chủ hộ"))), max_length(120)])
    province_id = SelectField(_l("Tỉnh/thành phố"), coerce=optional_id, default="",
                              validators=[_chosen(_l("Hãy chọn tỉnh/thành phố."))])
    commune_id = SelectField(_l("Xã/phường"), coerce=optional_id, default="",
                             validators=[_chosen(_l("Hãy chọn xã/phường."))])
    village = StringField(_l("Thôn/tổ dân phố"), validators=[max_length(120)])
    street = StringField(_l("Số nhà, đường"), validators=[max_length(200)])
    old_district = StringField(_l("Huyện cũ (trước 7/2025)"), validators=[max_length(120)])
    # Area type decides which poverty standard classifies the household, and the group what it
    # is counted as: neither starts on an answer the officer did not give.
    area_type = SelectField(
        _l("Khu vực"),
        choices=[_choose(_l("— Chọn khu vực —"))] + [SelectChoice(a.value, AREA_LABELS[a]) for a in AreaType],
        default="", validators=[_chosen(_l("Hãy chọn khu vực nông thôn hoặc thành thị."))],
    )
    phone = TelField(_l("Số điện thoại"), render_kw={"inputmode": "tel", "autocomplete": "off"})
    group_id = SelectField(_l("Nhóm hộ"), coerce=optional_id, default="", validators=[_chosen(_l("Hãy chọn nhóm hộ."))])
    no_working_capacity = BooleanField(_l("Hộ không có khả năng lao động"))
    revolutionary_merit = BooleanField(_l("Hộ có người có công với cách mạng"))
    notes = TextAreaField(_l("Ghi chú"))
    members = FieldList(FormField(MemberForm), min_entries=BLANK_MEMBER_ROWS)


class StatusForm(Form):
    status = SelectField(
        _l("Trạng thái được công nhận"),
        choices=[_choose(_l("— Chọn trạng thái —"))]
        + [SelectChoice(s.value, STATUS_LABELS[s]) for s in HouseholdStatus],
        default="", validators=[_chosen(_l("Hãy chọn trạng thái được công nhận."))],
    )
    # The date on the decision, not today's: how long support lasts is counted from it.
    recognised_on = RequiredDateField(_l("Ngày công nhận"), message=_l("Hãy nhập ngày trên quyết định công nhận."))
    decision_number = StringField(_l("Số quyết định"), validators=[max_length(60)])


class SupportForm(Form):
    kind = SelectField(_l("Loại hỗ trợ"), default="", validators=[_chosen(_l("Hãy chọn loại hỗ trợ."))])
    given_on = DateField(_l("Ngày nhận"))
    provider = StringField(_l("Đơn vị hỗ trợ"), validators=[max_length(160)])
    value = MoneyField(_l("Giá trị (đồng)"), read=False)


class ReviewForm(Form):
    reviewed_on = DateField(_l("Ngày rà soát"))
    income = MoneyField(_l("Thu nhập bình quân (đồng/người/tháng)"), read=False)
    b1_score = WholeNumberField(_l("Điểm phiếu B1"))
    b2_score = WholeNumberField(_l("Điểm phiếu B2"))
    submission_key = HiddenField()


class DeleteForm(Form):
    confirm = BooleanField(_l("Người dân đã yêu cầu xoá, và tôi hiểu việc xoá không hoàn tác được"))


def _name(row) -> str:
    return row.name_en if current_language() == "en" and row.name_en else row.name_vi


def communes_for(user) -> list[Commune]:
    """The communes/wards a person may keep households in: their own, or all for an admin."""
    query = sa.select(Commune)
    if not is_admin(user):
        query = query.where(Commune.id.in_(covered_communes(user)))
    return sorted(db.session.execute(query).scalars(), key=lambda c: vietnamese_sort_key(c.name))


def fill_household_choices(form: HouseholdForm, user) -> None:
    communes = communes_for(user)
    province_ids = {c.province_id for c in communes}
    provinces = db.session.execute(sa.select(Province).where(Province.id.in_(province_ids))).scalars()
    provinces = [SelectChoice(p.id, p.name) for p in sorted(provinces, key=lambda p: p.name)]
    # An officer covering one province has nothing to choose; otherwise the province is asked.
    if len(provinces) > 1:
        provinces.insert(0, _choose(_l("— Chọn tỉnh/thành phố —")))
    form.province_id.choices = provinces
    form.commune_id.choices = [_choose(_l("— Chọn xã/phường —"))] + [SelectChoice(c.id, c.name) for c in communes]
    groups = db.session.execute(sa.select(HouseholdGroup).order_by(HouseholdGroup.position)).scalars()
    form.group_id.choices = [_choose(_l("— Chọn nhóm hộ —"))] + [SelectChoice(g.id, _name(g)) for g in groups]


def fill_support_choices(form: SupportForm) -> None:
    kinds = db.session.execute(sa.select(SupportKind).order_by(SupportKind.position)).scalars()
    form.kind.choices = [_choose(_l("— Chọn loại hỗ trợ —"))] + [SelectChoice(k.code, _name(k)) for k in kinds]


def typed_members(form: HouseholdForm) -> list:
    """The member rows with something typed in them; blank rows are the spare ones."""
    return [
        MemberValues(name=row.form.name.data or "", birth_year=row.form.birth_year.data or None,
                     relation=row.form.relation.data or "")
        for row in form.members
        if not row.form.is_blank()
    ]
