"""Importing households and reviews from the review sheet: all rows or none, faults named by row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.extensions import db
from app.households.models import AccessAction, AnnualReview, Classification, HouseholdAccessLog, SupportedHousehold
from tests.households.factories import officer

SAMPLE = Path(__file__).resolve().parents[2] / "app" / "households" / "samples" / "ra-soat-mau.csv"


def _sample_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def signed_in(app, client):
    with app.app_context():
        user = officer("phuong-huong-tra")
        db.session.commit()
        user_id = user.id
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    return client


def _send(client, content: bytes, name: str):
    return client.post("/ho-ho-tro/bao-cao/nhap", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _counts(app):
    with app.app_context():
        return (db.session.execute(sa.select(sa.func.count(SupportedHousehold.id))).scalar(),
                db.session.execute(sa.select(sa.func.count(AnnualReview.id))).scalar())


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_sample_file_creates_the_households_and_their_reviews(app, signed_in, kind):
    rows = _sample_rows()
    content = SAMPLE.read_bytes() if kind == "csv" else _xlsx(rows)
    response = _send(signed_in, content, f"ra-soat.{kind}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _counts(app) == (4, 4)
    with app.app_context():
        verdicts = dict(db.session.execute(
            sa.select(SupportedHousehold.code, AnnualReview.classification).join(AnnualReview.household)).all())
        assert verdicts == {"HT-0101": Classification.POOR, "HT-0102": Classification.NEAR_POOR,
                            "HT-0103": Classification.AVERAGE, "HT-0104": Classification.POOR}
        first = db.session.execute(sa.select(AnnualReview).join(AnnualReview.household)
                                   .where(SupportedHousehold.code == "HT-0101")).scalar_one()
        assert first.causes == ["land", "capital"] and first.deprivation_count == 4


def test_a_second_year_updates_the_households_by_code(app, signed_in):
    rows = _sample_rows()
    assert _send(signed_in, _csv(rows), "2025.csv").status_code == 200
    for row in rows[1:]:
        row[6], row[7] = "2026", "20/05/2026"
    response = _send(signed_in, _csv(rows), "2026.csv")
    assert response.status_code == 200 and "4 hộ đã có" in response.get_data(as_text=True)
    assert _counts(app) == (4, 8)


BAD_ROWS = [
    (8, "-1.200.000", "Thu nhập bình quân (đồng/người/tháng)", "Số tiền không thể âm"),
    (2, "Xã Không Có", "Xã/phường", "Không có xã/phường"),
    (2, "Xã Bình Điền", "Xã/phường", "không phụ trách"),
    (6, "2019", "Năm rà soát", "Chưa có chuẩn nghèo cho năm 2019"),
    (9, "có", "Thiếu: Việc làm", "x hoặc để trống"),
]


@pytest.mark.parametrize("column, value, header, message", BAD_ROWS)
def test_one_bad_row_among_many_imports_nothing_and_names_the_row(app, signed_in, column, value, header, message):
    rows = _sample_rows()
    more = [row[:] for row in rows[1:]]
    for n, row in enumerate(more):
        row[0] = f"HT-02{n}"
    rows += more  # eight rows; the fifth of them (spreadsheet row 6) is at fault
    rows[5][column] = value
    response = _send(signed_in, _csv(rows), "ra-soat.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"<td>6</td><td>{header}</td>" in page and message in page
    assert page.count("<td>6</td>") == 1  # only that row is named
    assert _counts(app) == (0, 0)
    with app.app_context():
        actions = set(db.session.execute(sa.select(HouseholdAccessLog.action)).scalars())
    assert AccessAction.CREATE not in actions
    if message == "không phụ trách":
        assert actions == {AccessAction.REFUSED}


def test_a_file_that_is_not_a_review_sheet_is_refused(app, signed_in):
    response = _send(signed_in, b"a,b\n1,2\n", "ra-soat.csv")
    assert response.status_code == 400 and "Tệp thiếu cột" in response.get_data(as_text=True)
    assert _send(signed_in, b"hello", "ra-soat.txt").status_code == 400
    assert _counts(app) == (0, 0)
