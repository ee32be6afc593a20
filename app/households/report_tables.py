"""The reports as tables (title, headers, rows), shown on the dashboard and downloaded as CSV or
Excel: one shape for all three, so a download has the same rows as the page.

Downloads are written with Vietnamese headers, whatever language the page is in, because the
office's spreadsheets are; CSV starts with a byte order mark so Excel reads it as UTF-8; money
stays a number in Excel, shown with a đồng format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.common.i18n import current_language
from app.common.timezone import to_local
from app.households import reports
from app.households.classification import CLASSIFICATION_LABELS
from app.households.reports import CLASSIFICATIONS, Period

VND_FORMAT = '#,##0 "₫"'


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    money: set[int] = field(default_factory=set)  # indexes of the columns in đồng
    # What the table reads, as names for the access log (never values).
    fields: tuple[str, ...] = ()


def _classifications(user, period: Period) -> Table:
    rows = reports.by_classification(user, period)
    return Table(
        "phan-loai", str(_l("Hộ theo phân loại năm %(year)d", year=period.last_year)),
        [str(_l("Xã/phường"))] + [str(CLASSIFICATION_LABELS[c]) for c in CLASSIFICATIONS] + [str(_l("Tổng"))],
        [[row.commune] + [row.counts.get(c, 0) for c in CLASSIFICATIONS] + [row.total] for row in rows],
        fields=("commune_id", "annual_reviews.year", "annual_reviews.classification", "annual_reviews.state"),
    )


def _linked(user, period: Period) -> Table:
    rows = reports.linked_sellers(user, period)
    return Table(
        "lien-ket", str(_l("Hộ liên kết với nhà vườn đã bán trên Chợ Phiên")),
        [str(_l("Xã/phường")), str(_l("Hộ có liên kết")), str(_l("Hộ có nhà vườn đã bán"))],
        [[row.commune, row.linked, row.sold] for row in rows],
        fields=("commune_id", "producer_links.producer_id", "producer_links.withdrawn_at"),
    )


def _revenue(user, period: Period) -> Table:
    figures = reports.revenue(user, period)
    rows = [[str(_l("Tháng")), key, amount] for key, amount in figures.months.items()]
    rows += [[str(_l("Quý")), key, amount] for key, amount in figures.quarters.items()]
    rows += [[str(_l("Năm")), str(key), amount] for key, amount in figures.years.items()]
    return Table(
        "doanh-thu", str(_l("Doanh thu của hộ liên kết (đơn đã giao hoặc hoàn tất)")),
        [str(_l("Kỳ")), str(_l("Thời gian")), str(_l("Doanh thu (đồng)"))], rows, money={2},
        fields=("commune_id", "producer_links.producer_id"),
    )


def _lives(user, period: Period) -> Table:
    rows = reports.lives(user, period)
    return Table(
        "livestream", str(_l("Các buổi livestream có sản phẩm của hộ liên kết")),
        [str(_l("Buổi livestream")), str(_l("Bắt đầu")), str(_l("Số đơn đã giao")), str(_l("Doanh thu (đồng)"))],
        [[row.title, to_local(row.starts_at).strftime("%d/%m/%Y %H:%M"), row.orders, row.sold_vnd] for row in rows],
        money={3}, fields=("commune_id", "producer_links.producer_id"),
    )


def _support(user, period: Period) -> Table:
    rows = reports.support_by_kind(user, period)
    english = current_language() == "en"
    return Table(
        "ho-tro", str(_l("Hỗ trợ đã nhận theo loại")),
        [str(_l("Loại hỗ trợ")), str(_l("Số lượt")), str(_l("Số hộ")), str(_l("Giá trị (đồng)"))],
        [[row.name_en if english else row.name_vi, row.records, row.households, row.value_vnd] for row in rows],
        money={3}, fields=("commune_id", "support_records.kind_id", "support_records.given_on",
                           "support_records.value_vnd"),
    )


def _moves(user, period: Period) -> Table:
    figures = reports.moves(user, period)
    labels = [str(CLASSIFICATION_LABELS[c]) for c in CLASSIFICATIONS]
    return Table(
        "chuyen-doi", str(_l("Thay đổi phân loại so với năm trước")),
        [str(_l("Năm trước → năm sau"))] + labels,
        [[labels[i]] + [figures.count(before, after) for after in CLASSIFICATIONS]
         for i, before in enumerate(CLASSIFICATIONS)],
        fields=("commune_id", "annual_reviews.year", "annual_reviews.classification", "annual_reviews.state"),
    )


BUILDERS: dict[str, Callable[..., Table]] = {
    "phan-loai": _classifications,
    "lien-ket": _linked,
    "doanh-thu": _revenue,
    "livestream": _lives,
    "ho-tro": _support,
    "chuyen-doi": _moves,
}


def build(key: str, user, period: Period) -> Table:
    return BUILDERS[key](user, period)


def build_for_download(key: str, user, period: Period) -> Table:
    with force_locale("vi"):
        return build(key, user, period)


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    for index in table.money:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            cell.number_format = VND_FORMAT
    for index, header in enumerate(table.headers):
        sheet.column_dimensions[sheet.cell(1, index + 1).column_letter].width = max(12, len(header) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
