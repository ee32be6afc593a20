"""The officer's own area as a spreadsheet: every household they may see, one row each.

The rows come from visible_households, so an officer exports their communes/wards and nothing
else (an admin, every household). Headers are Vietnamese, as the office's spreadsheets are; the
file is written by report_tables (CSV with a byte order mark, or Excel). The caller writes one
"export" entry per household to the access log, naming EXPORT_FIELDS, never a value.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.households.access import visible_households
from app.households.classification import AREA_LABELS, CLASSIFICATION_LABELS
from app.households.models import ProducerLink, SupportedHousehold
from app.households.queries import latest_classification
from app.households.report_tables import Table
from app.households.status import STATUS_LABELS

EXPORT_FIELDS = (
    "code", "commune_id", "village", "head_name", "area_type", "group_id",
    "annual_reviews.year", "annual_reviews.classification", "annual_reviews.state",
    "recognised_statuses.status", "recognised_statuses.recognised_on",
    "producer_links.household_id", "producer_links.withdrawn_at",
)


def _headers() -> list[str]:
    return [str(label) for label in (
        _l("Mã hộ"), _l("Xã/phường"), _l("Thôn/tổ dân phố"), _l("Chủ hộ"), _l("Khu vực"), _l("Nhóm hộ"),
        _l("Xếp loại rà soát gần nhất"), _l("Năm rà soát"), _l("Trạng thái được công nhận gần nhất"),
        _l("Có nhà vườn liên kết"),
    )]


def households_table(user) -> tuple[Table, list[SupportedHousehold]]:
    """The table to download, in Vietnamese, and the households it holds (for the access log)."""
    latest = latest_classification()
    linked = sa.exists().where(ProducerLink.household_id == SupportedHousehold.id, ProducerLink.withdrawn_at.is_(None))
    query = (
        visible_households(user)
        .add_columns(latest.c.year, latest.c.classification, linked.label("linked"))
        .outerjoin(latest, latest.c.household_id == SupportedHousehold.id)
        .options(joinedload(SupportedHousehold.commune), joinedload(SupportedHousehold.group),
                 selectinload(SupportedHousehold.statuses))
        .order_by(SupportedHousehold.commune_id, SupportedHousehold.code)
    )
    results = db.session.execute(query).unique().all()
    with force_locale("vi"):
        yes, no = str(_l("Có")), str(_l("Không"))
        rows = []
        for household, year, classification, is_linked in results:
            status = household.statuses[-1].status if household.statuses else None
            rows.append([
                household.code, household.commune.name, household.village, household.head_name,
                str(AREA_LABELS[household.area_type]), household.group.name_vi,
                str(CLASSIFICATION_LABELS[classification]) if classification else "", year or "",
                str(STATUS_LABELS[status]) if status else "", yes if is_linked else no,
            ])
        table = Table("ho-ho-tro", str(_l("Danh sách hộ được hỗ trợ")), _headers(), rows, fields=EXPORT_FIELDS)
    return table, [household for household, *_rest in results]
