"""Poverty standards as data: an admin adds the next period, or corrects one no review uses yet.

A standard covers a period of years for one area type: its income ceilings, its deprivation
threshold and its list of indicators. Periods of the same area type never overlap, so
classification.standard_for finds one standard for a year. Once a review (draft or submitted)
references a standard, its figures decided classifications: it is read-only from then on.

The figures are public rules, not personal data; each creation and change is written to the
general audit log. Functions flush, never commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.common import audit
from app.common.errors import RuleBroken
from app.extensions import db
from app.households import values as read
from app.households.classification import AREA_LABELS
from app.households.models import AnnualReview, AreaType, PovertyStandard, StandardIndicator

FIRST_YEAR, LAST_YEAR = 2000, 2100
ABSURD_CEILING_VND = 1_000_000_000
CODE = re.compile(r"^[a-z0-9_]{1,40}$")


class InvalidStandard(RuleBroken):
    row: int | None = None  # the indicator row at fault, when it is one


class StandardInUse(InvalidStandard):
    """A review uses the standard: its figures decided classifications and stay as they were."""


@dataclass
class IndicatorValues:
    code: str = ""
    dimension_vi: str = ""
    dimension_en: str = ""
    name_vi: str = ""
    name_en: str = ""
    row: int | None = None  # where the form showed it, to mark the right row


@dataclass
class StandardValues:
    period: str = ""
    decree: str = ""
    first_year: int | str | None = None
    last_year: int | str | None = None
    area_types: list[str] = field(default_factory=list)  # "rural", "urban"; ignored when editing
    poor_ceiling: int | str | None = None
    average_ceiling: int | str | None = None  # blank: not announced yet
    threshold: int | str | None = None
    indicators: list[IndicatorValues] = field(default_factory=list)


@dataclass
class _Checked:
    period: str
    decree: str
    first_year: int
    last_year: int
    poor: int
    average: int | None
    threshold: int
    indicators: list[IndicatorValues]


def _indicator_error(message, name: str, row: int | None) -> InvalidStandard:
    error = InvalidStandard(message, name)
    error.row = row
    return error


def _year(value, name: str) -> int:
    year = read.whole_number(value, name)
    if year is None:
        raise InvalidStandard(_l("Hãy nhập năm."), name)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidStandard(_l("Năm phải từ %(first)d đến %(last)d.", first=FIRST_YEAR, last=LAST_YEAR), name)
    return year


def _ceiling(value, name: str, required: bool) -> int | None:
    amount = read.amount(value, name)
    if amount is None:
        if required:
            raise InvalidStandard(_l("Hãy nhập chuẩn thu nhập (đồng/người/tháng)."), name)
        return None
    if amount <= 0:
        raise InvalidStandard(_l("Chuẩn thu nhập phải lớn hơn 0 đồng."), name)
    if amount > ABSURD_CEILING_VND:
        raise InvalidStandard(_l("Số này quá lớn cho một chuẩn thu nhập tháng: hãy kiểm tra lại."), name)
    return amount


def _indicators(rows: list[IndicatorValues]) -> list[IndicatorValues]:
    checked, seen = [], set()
    for row in rows:
        code = (row.code or "").strip()
        if not CODE.match(code):
            raise _indicator_error(
                _l("Mã chỉ số chỉ gồm chữ thường không dấu, số và dấu gạch dưới (tối đa 40 ký tự)."), "code", row.row
            )
        if code in seen:
            raise _indicator_error(_l("Mã chỉ số “%(code)s” đã dùng ở một dòng khác.", code=code), "code", row.row)
        seen.add(code)
        try:
            values = IndicatorValues(
                code=code,
                dimension_vi=read.text(row.dimension_vi, 120, "dimension_vi", required=True,
                                       label=_l("chiều thiếu hụt")),
                dimension_en=read.text(row.dimension_en, 120, "dimension_en"),
                name_vi=read.text(row.name_vi, 200, "name_vi", required=True, label=_l("tên chỉ số")),
                name_en=read.text(row.name_en, 200, "name_en"),
                row=row.row,
            )
        except RuleBroken as error:
            raise _indicator_error(error.message, error.field, row.row) from None
        checked.append(values)
    if not checked:
        raise InvalidStandard(_l("Chuẩn nghèo cần ít nhất một chỉ số."), "indicators")
    return checked


def _check(values: StandardValues) -> _Checked:
    period = read.text(values.period, 120, "period", required=True, label=_l("tên giai đoạn"))
    decree = read.text(values.decree, 300, "decree", required=True, label=_l("văn bản quy định"))
    first_year = _year(values.first_year, "first_year")
    last_year = _year(values.last_year, "last_year")
    if first_year > last_year:
        raise InvalidStandard(_l("Năm cuối không được trước năm đầu."), "last_year")
    poor = _ceiling(values.poor_ceiling, "poor_ceiling", required=True)
    average = _ceiling(values.average_ceiling, "average_ceiling", required=False)
    if average is not None and average <= poor:
        raise InvalidStandard(_l("Chuẩn mức sống trung bình phải cao hơn chuẩn nghèo."), "average_ceiling")
    indicators = _indicators(values.indicators)
    threshold = read.whole_number(values.threshold, "threshold")
    if threshold is None or not 1 <= threshold <= len(indicators):
        raise InvalidStandard(
            _l("Ngưỡng thiếu hụt phải từ 1 đến %(count)d (số chỉ số của chuẩn).", count=len(indicators)), "threshold"
        )
    return _Checked(period, decree, first_year, last_year, poor, average, threshold, indicators)


def _area_types(codes) -> list[AreaType]:
    chosen = set(codes or ())
    areas = [area for area in AreaType if area.value in chosen]
    if not areas or len(areas) != len(chosen):
        raise InvalidStandard(_l("Hãy chọn khu vực áp dụng: nông thôn, thành thị hoặc cả hai."), "area_types")
    return areas


def _no_overlap(checked: _Checked, area: AreaType, leaving_out: int | None = None) -> None:
    query = sa.select(PovertyStandard).where(
        PovertyStandard.area_type == area,
        PovertyStandard.first_year <= checked.last_year,
        PovertyStandard.last_year >= checked.first_year,
    )
    if leaving_out is not None:
        query = query.where(PovertyStandard.id != leaving_out)
    other = db.session.execute(query.order_by(PovertyStandard.first_year).limit(1)).scalar_one_or_none()
    if other is not None:
        raise InvalidStandard(
            _l(
                "Các năm %(first)d–%(last)d trùng với chuẩn “%(period)s” (%(years)s, %(area)s) đã có.",
                first=checked.first_year, last=checked.last_year, period=other.period, years=other.years,
                area=AREA_LABELS[area],
            ),
            "first_year",
        )


def _figures(checked: _Checked) -> dict:
    return {
        "period": checked.period,
        "decree": checked.decree,
        "first_year": checked.first_year,
        "last_year": checked.last_year,
        "poor_income_ceiling_vnd": checked.poor,
        "average_income_ceiling_vnd": checked.average,
        "deprivation_threshold": checked.threshold,
    }


def add_standard(actor, values: StandardValues) -> list[PovertyStandard]:
    """Add the standard of a period for each area type chosen; return them, or raise InvalidStandard."""
    checked = _check(values)
    areas = _area_types(values.area_types)
    for area in areas:
        _no_overlap(checked, area)
    added = []
    for area in areas:
        standard = PovertyStandard(area_type=area, **_figures(checked))
        standard.indicators = [_new_indicator(row, position) for position, row in enumerate(checked.indicators)]
        db.session.add(standard)
        db.session.flush()
        audit.record(actor, "poverty_standard.created", standard,
                     {**_figures(checked), "area_type": area.value,
                      "indicators": [row.code for row in checked.indicators]})
        added.append(standard)
    return added


def _new_indicator(row: IndicatorValues, position: int) -> StandardIndicator:
    return StandardIndicator(code=row.code, dimension_vi=row.dimension_vi, dimension_en=row.dimension_en,
                             name_vi=row.name_vi, name_en=row.name_en, position=position)


def in_use(standard: PovertyStandard) -> bool:
    """Whether a review, draft or submitted, references the standard."""
    return db.session.execute(
        sa.select(sa.exists().where(AnnualReview.standard_id == standard.id))
    ).scalar()


def update_standard(actor, standard: PovertyStandard, values: StandardValues) -> PovertyStandard:
    """Correct a standard no review uses yet; its area type stays. Raise StandardInUse otherwise."""
    if in_use(standard):
        raise StandardInUse(
            _l("Chuẩn “%(period)s” đã được dùng cho phiếu rà soát nên không sửa được nữa.", period=standard.period)
        )
    checked = _check(values)
    _no_overlap(checked, standard.area_type, leaving_out=standard.id)
    changes = audit.diff(standard, _figures(checked))
    before = [indicator.code for indicator in standard.indicators]
    existing = {indicator.code: indicator for indicator in standard.indicators}
    kept = []
    for position, row in enumerate(checked.indicators):
        indicator = existing.get(row.code)
        if indicator is None:
            indicator = _new_indicator(row, position)
        else:
            indicator_changes = audit.diff(indicator, {
                "dimension_vi": row.dimension_vi, "dimension_en": row.dimension_en,
                "name_vi": row.name_vi, "name_en": row.name_en, "position": position,
            })
            if indicator_changes and set(indicator_changes) != {"position"}:
                changes.setdefault("indicator_texts", []).append(row.code)
        kept.append(indicator)
    standard.indicators = kept
    after = [row.code for row in checked.indicators]
    if before != after:
        changes["indicators"] = [before, after]
    db.session.flush()
    if changes:
        audit.record(actor, "poverty_standard.updated", standard, changes)
    return standard


# --- What the list shows ------------------------------------------------------------------------


def all_standards() -> list[PovertyStandard]:
    return list(db.session.execute(
        sa.select(PovertyStandard).order_by(PovertyStandard.first_year, PovertyStandard.area_type)
    ).scalars())


def standards_in_use() -> set[int]:
    return set(db.session.execute(sa.select(AnnualReview.standard_id).distinct()).scalars())


def covered_years(standards: list[PovertyStandard]) -> dict[AreaType, list[str]]:
    """For each area type, the runs of years some standard covers: ["2022–2030"], or with gaps."""
    runs: dict[AreaType, list[list[int]]] = {area: [] for area in AreaType}
    for standard in sorted(standards, key=lambda s: s.first_year):
        area_runs = runs[standard.area_type]
        if area_runs and standard.first_year <= area_runs[-1][1] + 1:
            area_runs[-1][1] = max(area_runs[-1][1], standard.last_year)
        else:
            area_runs.append([standard.first_year, standard.last_year])
    return {area: [f"{first}–{last}" for first, last in area_runs] for area, area_runs in runs.items()}


def latest_standard() -> PovertyStandard | None:
    return db.session.execute(
        sa.select(PovertyStandard).order_by(PovertyStandard.first_year.desc(), PovertyStandard.id).limit(1)
    ).scalar_one_or_none()
