"""An officer links a consenting farmer to a household from a phone and downloads the Excel report.

The farmer has no phone of their own: the officer records the consent given on paper. The report
is the office's, opened as a spreadsheet with Vietnamese headers.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.households.models import ProducerLink
from tests.e2e.steps import log_in
from tests.factories import ProducerFactory
from tests.households.factories import HouseholdFactory, officer

pytestmark = pytest.mark.e2e


@pytest.fixture
def setting(live_server) -> dict:
    with live_server.app.app_context():
        user = officer()  # Phường Hương Trà
        household = HouseholdFactory(head_name="Hồ Thị Lài")
        farm = ProducerFactory(display_name="Vườn ổi bà Lài", user=None)
        db.session.commit()
        found = {"login": user.email, "household": household.id, "farm": farm.display_name, "farm_id": farm.id}
        db.session.remove()
    return found


def test_an_officer_records_a_paper_consent_and_downloads_the_excel_report(live_server, new_phone, setting):
    page = new_phone()
    log_in(page, live_server.url, setting["login"])
    page.goto(f"{live_server.url}/ho-ho-tro/{setting['household']}/lien-ket")
    paper = page.locator("form", has=page.get_by_role("button", name="Ghi nhận và liên kết"))
    paper.get_by_label("Nhà vườn").select_option(label=setting["farm"])
    paper.get_by_label("Ngày ký giấy đồng ý").fill("2026-06-01")
    paper.get_by_label("Số hoặc ký hiệu giấy đồng ý").fill("GĐY-2026/015")
    paper.get_by_label("Mục đích liên kết").fill("Theo dõi thu nhập từ bán hàng trực tuyến")
    paper.get_by_role("button", name="Ghi nhận và liên kết").click()
    expect(page.get_by_text("GĐY-2026/015").first).to_be_visible()
    with live_server.app.app_context():
        link = db.session.execute(sa.select(ProducerLink)).scalar_one()
        assert (link.producer_id, link.withdrawn_at, link.paper_reference) == (setting["farm_id"], None, "GĐY-2026/015")

    page.goto(f"{live_server.url}/ho-ho-tro/bao-cao/?nam=2026")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:  # saved without its extension, which openpyxl reads
        workbook = openpyxl.load_workbook(io.BytesIO(saved.read()))
    headers = [cell.value for cell in next(workbook.active.iter_rows(max_row=1))]
    assert headers and all(isinstance(h, str) and h for h in headers)
    assert any("Xã" in h or "xã" in h for h in headers), headers
