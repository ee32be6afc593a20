"""Officers export their area: only the households they may see, in Vietnamese, logged by name."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.households.export import EXPORT_FIELDS
from app.households.models import AccessAction, ConsentKind, HouseholdAccessLog, ProducerLink
from app.households.registry import create_household, record_status
from app.households.reviews import ReviewValues, save_review
from tests.factories import ProducerFactory
from tests.households.factories import OTHER_COMMUNE, admin, household_values, officer
from tests.households.test_pages import sign_in

HEADERS = ["Mã hộ", "Xã/phường", "Thôn/tổ dân phố", "Chủ hộ", "Khu vực", "Nhóm hộ", "Xếp loại rà soát gần nhất",
           "Năm rà soát", "Trạng thái được công nhận gần nhất", "Có nhà vườn liên kết"]


@pytest.fixture
def area(app):
    with app.app_context():
        boss, user, stranger = admin(), officer(), officer(OTHER_COMMUNE)
        first = create_household(boss, household_values(code="HT-0001", phone=None))
        create_household(boss, household_values(code="HT-0002", head_name="Lê Văn Tám", phone=None))
        create_household(boss, household_values(code="BD-0001", phone=None, commune=OTHER_COMMUNE))
        save_review(boss, first, ReviewValues(year=2025, reviewed_on=date(2025, 10, 15), income="1.000.000",
                                              lacking=["health_insurance", "housing_quality", "latrine"]), submit=True)
        record_status(boss, first, "poor", date(2025, 12, 1), "15/QĐ-UBND")
        db.session.add(ProducerLink(producer_id=ProducerFactory().id, household_id=first.id,
                                    consent_kind=ConsentKind.PAPER, consent_given_on=date(2026, 1, 5),
                                    paper_reference="GĐ-01", purpose="Báo cáo"))
        db.session.commit()
        return {"officer": user.id, "stranger": stranger.id, "admin": boss.id}


def _exports(app) -> list[HouseholdAccessLog]:
    with app.app_context():
        return db.session.execute(
            sa.select(HouseholdAccessLog).where(HouseholdAccessLog.action == AccessAction.EXPORT)
        ).scalars().all()


def test_the_csv_holds_only_the_officers_communes(app, client, area):
    sign_in(client, area["officer"])
    response = client.get("/ho-ho-tro/xuat.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["HT-0001", "HT-0002"]
    assert rows[1][1:] == ["Phường Hương Trà", "Thôn Quang Lộc", "Hồ Thị Mai", "nông thôn", "Hộ nghèo, hộ cận nghèo",
                           "Hộ nghèo", "2025", "Hộ nghèo", "Có"]
    assert rows[2][3] == "Lê Văn Tám" and rows[2][6:] == ["", "", "", "Không"]
    entries = _exports(app)
    assert len(entries) == 2 and all(e.actor_id == area["officer"] for e in entries)
    assert all(e.fields == sorted(EXPORT_FIELDS) for e in entries)
    assert "Hồ Thị Mai" not in str([e.fields for e in entries])


def test_the_excel_file_opens_and_another_officer_exports_their_own(app, client, area):
    sign_in(client, area["stranger"])
    response = client.get("/ho-ho-tro/xuat.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["BD-0001"]
    assert len(_exports(app)) == 1
    sign_in(client, area["admin"])
    sheet = load_workbook(io.BytesIO(client.get("/ho-ho-tro/xuat.xlsx").data)).active
    assert sheet.max_row == 4  # every household, for an admin


def test_the_list_links_to_both_downloads(client, area):
    sign_in(client, area["officer"])
    page = client.get("/ho-ho-tro/").get_data(as_text=True)
    assert 'href="/ho-ho-tro/xuat.csv"' in page and 'href="/ho-ho-tro/xuat.xlsx"' in page
