"""Officers export their area: every household they may see, as CSV (with a byte order mark) or
Excel. Each exported household gets one "export" entry in the access log, with field names only.
"""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from app.common.access import Audience, declare
from app.common.timezone import to_local, utcnow
from app.extensions import db
from app.households import export, report_tables
from app.households.access import log_access
from app.households.models import AccessAction
from app.households.report_routes import TYPES

bp = Blueprint("household_export", __name__, url_prefix="/ho-ho-tro")
declare(bp, Audience.OFFICER)


def _download(fmt: str) -> Response:
    table, households = export.households_table(current_user)
    for household in households:
        log_access(current_user, household, AccessAction.EXPORT, table.fields)
    db.session.commit()
    content = report_tables.to_csv(table) if fmt == "csv" else report_tables.to_xlsx(table)
    name = f"ho-ho-tro-{to_local(utcnow()):%Y-%m-%d}.{fmt}"
    response = Response(content, mimetype=TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    response.headers["Cache-Control"] = "no-store"  # names of people: not kept by a browser or proxy
    return response


@bp.get("/xuat.csv")
def export_csv():
    return _download("csv")


@bp.get("/xuat.xlsx")
def export_xlsx():
    return _download("xlsx")
