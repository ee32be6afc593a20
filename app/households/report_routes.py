"""The office's reports and imports: a dashboard for a year or period and a commune/ward, each
report as a table with its chart, downloads as CSV and Excel, and the import of a review sheet.

Officers and admins only (the gate); every figure is scoped to the person by the report queries.
Each download writes one "export" entry to the households' access log, with field names only.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.i18n import current_language
from app.common.money import format_vnd
from app.common.timezone import to_local, utcnow
from app.extensions import db
from app.households import charts, importing, report_tables
from app.households.access import log_access
from app.households.models import AccessAction
from app.households.reports import Period, report_communes

bp = Blueprint("household_reports", __name__, url_prefix="/ho-ho-tro/bao-cao")
declare(bp, Audience.OFFICER)

FIRST_YEAR = 2022  # the first year of the standards the site keeps
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


def _period() -> tuple[Period, list]:
    """The year (or years) and commune/ward chosen in the query string; this year and all by default."""
    this_year = to_local(utcnow()).year
    years = range(FIRST_YEAR, this_year + 1)
    year = request.args.get("nam", type=int)
    year = year if year in years else this_year
    first = request.args.get("tu-nam", type=int)
    first = first if first in years and first <= year else year
    communes = report_communes(current_user)
    commune_id = request.args.get("xa", type=int)
    commune_id = commune_id if commune_id in {c.id for c in communes} else None
    return Period(first, year, commune_id), communes


def _money(amount: int) -> str:
    return format_vnd(amount, current_language())


def _charts(tables: dict) -> dict:
    revenue = tables["doanh-thu"]
    return {
        "phan-loai": charts.horizontal_bars(
            tables["phan-loai"].title, list(zip(tables["phan-loai"].headers[1:-1],
                                                 [sum(row[i + 1] for row in tables["phan-loai"].rows)
                                                  for i in range(len(tables["phan-loai"].headers) - 2)]))),
        "lien-ket": charts.horizontal_bars(
            tables["lien-ket"].title, [(row[0], row[2]) for row in tables["lien-ket"].rows]),
        "doanh-thu": charts.monthly_columns(
            revenue.title, [(row[1], row[2]) for row in revenue.rows if row[1].count("-") == 1], _money),
        "ho-tro": charts.horizontal_bars(
            tables["ho-tro"].title, [(row[0], row[1]) for row in tables["ho-tro"].rows]),
    }


@bp.get("/")
def dashboard():
    period, communes = _period()
    tables = {key: report_tables.build(key, current_user, period) for key in report_tables.BUILDERS}
    this_year = to_local(utcnow()).year
    return render_template(
        "households/reports.html", period=period, communes=communes, tables=tables, charts=_charts(tables),
        years=list(range(this_year, FIRST_YEAR - 1, -1)),
        query={"nam": period.last_year, "tu-nam": period.first_year, "xa": period.commune_id or ""},
    )


def _download(fmt: str):
    period, _communes = _period()
    key = request.args.get("bang", "phan-loai")
    if key not in report_tables.BUILDERS:
        key = "phan-loai"
    table = report_tables.build_for_download(key, current_user, period)
    log_access(current_user, None, AccessAction.EXPORT, table.fields)
    db.session.commit()
    content = report_tables.to_csv(table) if fmt == "csv" else report_tables.to_xlsx(table)
    years = f"{period.first_year}-{period.last_year}" if period.first_year != period.last_year else period.last_year
    name = f"bao-cao-{key}-{years}.{fmt}"
    return Response(content, mimetype=TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/tai-ve.csv")
def download_csv():
    return _download("csv")


@bp.get("/tai-ve.xlsx")
def download_xlsx():
    return _download("xlsx")


@bp.route("/nhap", methods=["GET", "POST"])
def import_reviews():
    form = ImportForm()
    if request.method == "GET":
        return render_template("households/import.html", form=form, result=None)
    if not form.validate_on_submit():
        form.file.errors = [_("Hãy chọn tệp .csv hoặc .xlsx.")]
        return render_template("households/import.html", form=form, result=None), 400
    upload = form.file.data
    try:
        result = importing.import_reviews(current_user, upload.filename or "", upload.read())
    except RuleBroken as error:
        db.session.rollback()
        form.file.errors = [str(error.message)]
        return render_template("households/import.html", form=form, result=None), 400
    db.session.commit()  # the rows, or (when faulty) only the refusals written after the roll back
    status = 400 if result.faults else 200
    return render_template("households/import.html", form=form, result=result), status
