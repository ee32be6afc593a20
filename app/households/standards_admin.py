"""The admins' pages of poverty standards, under /ho-ho-tro/chuan-ngheo: the list, a new period,
and correcting a standard no review uses yet. Admins only (the gate); officers get 403.

The rules live in standards.py; a broken one comes back on the form, on the field (or the
indicator row) it names, with everything typed kept, and 400. Nothing is saved then.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, FieldList, FormField, SelectMultipleField, StringField
from wtforms import Form as PlainForm
from wtforms.fields.choices import SelectChoice

from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.forms import Form, MoneyField, WholeNumberField, show_error
from app.extensions import db
from app.households import standards
from app.households.classification import AREA_LABELS
from app.households.models import AreaType, PovertyStandard

bp = Blueprint("household_standards", __name__, url_prefix="/ho-ho-tro/chuan-ngheo")
declare(bp, Audience.ADMIN)

SEE_OTHER = 303
BLANK_INDICATOR_ROWS = 4
YEAR = {"maxlength": 4}


class IndicatorForm(PlainForm):
    code = StringField(_l("Mã"), render_kw={"autocomplete": "off", "autocapitalize": "none"})
    dimension_vi = StringField(_l("Chiều thiếu hụt"))
    dimension_en = StringField(_l("Chiều thiếu hụt (tiếng Anh)"))
    name_vi = StringField(_l("Tên chỉ số"))
    name_en = StringField(_l("Tên chỉ số (tiếng Anh)"))
    drop = BooleanField(_l("Bỏ chỉ số này"))

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.code, self.dimension_vi, self.dimension_en,
                                                         self.name_vi, self.name_en))


class StandardForm(Form):
    period = StringField(_l("Tên giai đoạn"), description=_l("Ví dụ: 2031–2035 (Nghị định …/2030/NĐ-CP)"))
    decree = StringField(_l("Văn bản quy định"))
    area_types = SelectMultipleField(_l("Khu vực áp dụng"),
                                     choices=[SelectChoice(a.value, AREA_LABELS[a]) for a in AreaType])
    first_year = WholeNumberField(_l("Năm đầu"), render_kw=YEAR)
    last_year = WholeNumberField(_l("Năm cuối"), render_kw=YEAR)
    poor_ceiling = MoneyField(_l("Chuẩn nghèo (đồng/người/tháng)"), read=False)
    average_ceiling = MoneyField(
        _l("Chuẩn mức sống trung bình (đồng/người/tháng)"), read=False,
        description=_l("Để trống nếu chưa công bố."),
    )
    threshold = WholeNumberField(_l("Ngưỡng thiếu hụt (số chỉ số)"),
                            description=_l("Thiếu từ số chỉ số này trở lên, trong chuẩn nghèo: hộ nghèo."))
    indicators = FieldList(FormField(IndicatorForm))


def _money(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def _fill_indicators(form: StandardForm, standard: PovertyStandard | None) -> None:
    """One row per indicator of the standard given (the latest one for a new period), then blank rows."""
    for indicator in standard.indicators if standard is not None else ():
        form.indicators.append_entry({
            "code": indicator.code, "dimension_vi": indicator.dimension_vi, "dimension_en": indicator.dimension_en,
            "name_vi": indicator.name_vi, "name_en": indicator.name_en,
        })
    for _row in range(BLANK_INDICATOR_ROWS):
        form.indicators.append_entry()


def _values(form: StandardForm) -> standards.StandardValues:
    rows = [
        standards.IndicatorValues(
            code=row.form.code.data or "", dimension_vi=row.form.dimension_vi.data or "",
            dimension_en=row.form.dimension_en.data or "", name_vi=row.form.name_vi.data or "",
            name_en=row.form.name_en.data or "", row=index,
        )
        for index, row in enumerate(form.indicators)
        if not row.form.drop.data and not row.form.is_blank()
    ]
    return standards.StandardValues(
        period=form.period.data or "", decree=form.decree.data or "", first_year=form.first_year.data,
        last_year=form.last_year.data, area_types=list(form.area_types.data or ()),
        poor_ceiling=form.poor_ceiling.data, average_ceiling=form.average_ceiling.data,
        threshold=form.threshold.data, indicators=rows,
    )


def _show(form: StandardForm, error: RuleBroken) -> None:
    row = getattr(error, "row", None)
    if row is not None and row < len(form.indicators):
        field = getattr(form.indicators[row].form, error.field or "code", None) or form.indicators[row].form.code
        field.errors = list(field.errors) + [str(error.message)]
        form.indicators.errors = [_("Một chỉ số còn lỗi, hãy sửa dòng được đánh dấu.")]
    elif error.field == "indicators":
        form.indicators.errors = [str(error.message)]
    else:
        show_error(form, error)


def _render(form: StandardForm, standard=None, code: int = 200, read_only: bool = False):
    return render_template("households/standard_form.html", form=form, standard=standard, read_only=read_only,
                           area_labels=AREA_LABELS), code


@bp.get("/")
def standard_list():
    rows = standards.all_standards()
    return render_template("households/standards.html", standards=rows, used=standards.standards_in_use(),
                           covered=standards.covered_years(rows), area_labels=AREA_LABELS)


@bp.route("/moi", methods=["GET", "POST"])
def standard_new():
    if request.method == "POST":
        form = StandardForm()
        if form.validate():
            try:
                added = standards.add_standard(current_user, _values(form))
            except RuleBroken as error:
                db.session.rollback()
                _show(form, error)
            else:
                db.session.commit()
                flash(_("Đã thêm chuẩn nghèo %(period)s.", period=added[0].period), "success")
                return redirect(url_for(".standard_list"), SEE_OTHER)
        db.session.rollback()
        return _render(form, code=400)
    latest = standards.latest_standard()
    form = StandardForm(formdata=None, area_types=[area.value for area in AreaType])
    if latest is not None:
        form.first_year.data = str(latest.last_year + 1)
        form.threshold.data = str(latest.deprivation_threshold)
    _fill_indicators(form, latest)
    return _render(form)


@bp.route("/<int:standard_id>/sua", methods=["GET", "POST"])
def standard_edit(standard_id: int):
    standard = db.session.get(PovertyStandard, standard_id) or abort(404)
    if request.method == "POST":
        form = StandardForm()
        if form.validate():
            try:
                standards.update_standard(current_user, standard, _values(form))
            except RuleBroken as error:
                db.session.rollback()
                _show(form, error)
            else:
                db.session.commit()
                flash(_("Đã lưu chuẩn nghèo %(period)s.", period=standard.period), "success")
                return redirect(url_for(".standard_list"), SEE_OTHER)
        db.session.rollback()
        standard = db.session.get(PovertyStandard, standard_id)
        return _render(form, standard, 400, read_only=standards.in_use(standard))
    form = StandardForm(
        formdata=None, period=standard.period, decree=standard.decree, first_year=str(standard.first_year),
        last_year=str(standard.last_year), poor_ceiling=_money(standard.poor_income_ceiling_vnd),
        average_ceiling=_money(standard.average_income_ceiling_vnd), threshold=str(standard.deprivation_threshold),
        area_types=[standard.area_type.value],
    )
    _fill_indicators(form, standard)
    return _render(form, standard, read_only=standards.in_use(standard))
