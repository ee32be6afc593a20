"""Households and their yearly reviews from a spreadsheet shaped like the office's review sheet.

Each row goes through the same services as the forms (registry.create_household or
update_household by code, reviews.save_review submitted), each in its own savepoint inside one
savepoint for the file: every row is checked and its faults reported (row number as the
spreadsheet shows it, column, message), and when any row is at fault the whole file is rolled
back, so nothing of it is imported. A refusal for a commune the officer does not cover is
written to the access log again after the roll back, so the attempt stays on record.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.common.errors import RuleBroken
from app.common.text import fold
from app.extensions import db
from app.households.access import log_refusal, may_cover_commune, visible_households
from app.households.models import AccessAction, HouseholdGroup, StandardIndicator, SupportedHousehold
from app.households.registry import HouseholdValues, create_household, update_household
from app.households.reviews import CAUSES, ReviewValues, save_review
from app.places.models import Commune

CODE, HEAD, COMMUNE, VILLAGE, AREA, PHONE = (
    "Mã hộ", "Chủ hộ", "Xã/phường", "Thôn", "Khu vực (nông thôn/thành thị)", "Điện thoại")
YEAR, DAY, INCOME, CAUSE = (
    "Năm rà soát", "Ngày rà soát", "Thu nhập bình quân (đồng/người/tháng)", "Nguyên nhân nghèo")
REQUIRED = (CODE, HEAD, COMMUNE, AREA, YEAR, DAY, INCOME)
LACKING_PREFIX = "Thiếu:"
DEFAULT_GROUP = "ho_ngheo_can_ngheo"
AREAS = {"nong thon": "rural", "thanh thi": "urban"}
# The service's name for a value → the column it came from.
COLUMNS = {"code": CODE, "head_name": HEAD, "commune_id": COMMUNE, "province_id": COMMUNE, "village": VILLAGE,
           "area_type": AREA, "phone": PHONE, "year": YEAR, "reviewed_on": DAY, "income": INCOME, "causes": CAUSE}
MAX_ROWS = 5000


class UnreadableFile(RuleBroken):
    field = "file"


@dataclass
class Fault:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    reviews: int = 0
    faults: list[Fault] = field(default_factory=list)


def read_rows(filename: str, content: bytes) -> tuple[list[str], list[list]]:
    """The header and the rows of a .csv (UTF-8, with or without BOM, comma or semicolon) or .xlsx."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception:  # openpyxl raises many kinds of error for a file that is not a workbook
            raise UnreadableFile(_l("Không đọc được tệp Excel này.")) from None
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile(_l("Tệp CSV phải lưu theo mã UTF-8.")) from None
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;")
        rows = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise UnreadableFile(_l("Hãy chọn tệp .csv hoặc .xlsx."))
    rows = [row for row in rows if any(_cell(value) for value in row)]
    if not rows:
        raise UnreadableFile(_l("Tệp không có dòng nào."))
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFile(_l("Mỗi lần nhập tối đa %(count)d dòng.", count=MAX_ROWS))
    header = [_cell(value) for value in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise UnreadableFile(_l("Tệp thiếu cột: %(columns)s.", columns=", ".join(missing)))
    return header, rows[1:]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RuleBroken(_l("Ngày rà soát phải có dạng ngày/tháng/năm, ví dụ 15/10/2025."), "reviewed_on")


def _references():
    communes = {fold(c.name): c for c in db.session.execute(sa.select(Commune)).scalars()}
    indicators = {}
    for code, name in db.session.execute(sa.select(StandardIndicator.code, StandardIndicator.name_vi)).all():
        indicators[fold(name)] = code
    group = db.session.execute(sa.select(HouseholdGroup).filter_by(code=DEFAULT_GROUP)).scalar_one()
    causes = {fold(str(label)): code for code, label in CAUSES.items()} | {code: code for code in CAUSES}
    return communes, indicators, group, causes


def _lacking(header: list[str], row: dict, indicators: dict) -> list[str]:
    codes = []
    for name in header:
        if not name.startswith(LACKING_PREFIX):
            continue
        code = indicators.get(fold(name[len(LACKING_PREFIX):]))
        if code is None:
            raise RuleBroken(_l("Không có chỉ số “%(name)s”.", name=name[len(LACKING_PREFIX):].strip()[:60]), name)
        mark = fold(row.get(name, ""))
        if mark not in ("", "x"):
            raise RuleBroken(_l("Chỉ đánh dấu x hoặc để trống."), name)
        if mark == "x":
            codes.append(code)
    return codes


def _causes(text: str, causes: dict) -> list[str]:
    chosen = []
    # Separated by ";": some of the causes' own names hold a comma.
    for part in text.split(";"):
        if part.strip():
            code = causes.get(fold(part))
            if code is None:
                raise RuleBroken(_l("Không có nguyên nhân nghèo “%(code)s”.", code=part.strip()[:40]), "causes")
            chosen.append(code)
    return chosen


def _import_row(actor, header, row: dict, references, refused: list[int]) -> tuple[bool, SupportedHousehold]:
    communes, indicators, group, causes = references
    commune = communes.get(fold(row.get(COMMUNE, "")))
    if commune is None:
        raise RuleBroken(_l("Không có xã/phường “%(name)s”.", name=row.get(COMMUNE, "")[:80]), "commune_id")
    if not may_cover_commune(actor, commune.id):
        refused.append(commune.id)
        raise RuleBroken(_l("Bạn không phụ trách xã/phường này."), "commune_id")
    area = AREAS.get(fold(row.get(AREA, "")))
    if area is None:
        raise RuleBroken(_l("Hãy ghi nông thôn hoặc thành thị."), "area_type")
    lacking = _lacking(header, row, indicators)
    values = HouseholdValues(
        code=row.get(CODE, ""), head_name=row.get(HEAD, ""), province_id=commune.province_id,
        commune_id=commune.id, area_type=area, group_id=group.id, village=row.get(VILLAGE, ""),
        phone=row.get(PHONE) or None,
    )
    existing = db.session.execute(
        visible_households(actor).where(SupportedHousehold.commune_id == commune.id,
                                        SupportedHousehold.code == " ".join(values.code.split()))
    ).scalar_one_or_none()
    if existing is None:
        household = create_household(actor, values)
    else:
        values.group_id = existing.group_id
        household = update_household(actor, existing, values)
    save_review(actor, household, ReviewValues(
        year=row.get(YEAR, ""), reviewed_on=_day(row.get(DAY)), income=row.get(INCOME, ""),
        lacking=lacking, causes=_causes(row.get(CAUSE, ""), causes),
    ), submit=True)
    return existing is None, household


def import_reviews(actor, filename: str, content: bytes) -> ImportResult:
    """Import the file's households and reviews, or nothing at all when a row is at fault."""
    header, rows = read_rows(filename, content)
    references = _references()
    result = ImportResult()
    refused: list[int] = []
    whole = db.session.begin_nested()
    for number, cells in enumerate(rows, start=2):
        row = {name: (_cell(cells[i]) if name != DAY else cells[i]) if i < len(cells) else ""
               for i, name in enumerate(header)}
        one = db.session.begin_nested()
        try:
            created, _household = _import_row(actor, header, row, references, refused)
        except RuleBroken as error:
            one.rollback()
            column = COLUMNS.get(error.field or "", error.field or "")
            if error.field == "lacking":
                column = f"{LACKING_PREFIX} …"
            result.faults.append(Fault(number, column, str(error.message)))
            continue
        one.commit()
        result.created += created
        result.updated += not created
        result.reviews += 1
    if result.faults:
        whole.rollback()
        for _commune in refused:
            log_refusal(actor, None, AccessAction.CREATE)
    else:
        whole.commit()
    return result
