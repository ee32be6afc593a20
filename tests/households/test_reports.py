"""The office's reports: each figure on a small fixture, scoped to the officer's communes, and the
downloads (CSV with its BOM, Excel with the same rows) logged as exports."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.common.timezone import local_to_utc
from app.extensions import db
from app.households import report_tables
from app.households.models import (
    AccessAction,
    Classification,
    ConsentKind,
    HouseholdAccessLog,
    ProducerLink,
)
from app.households.registry import create_household, record_support
from app.households.reports import Period, by_classification, linked_sellers, lives, moves, revenue, support_by_kind
from app.households.reviews import ReviewValues, save_review
from app.orders import checkout
from app.orders.models import OrderStatus
from tests.factories import LivestreamFactory, ProducerFactory, ProductFactory, delivery_plan
from tests.households.factories import OTHER_COMMUNE, admin, household_values, officer
from tests.orders.helpers import cart_with, pickup, values

P = Classification


def _review(user, household, year, income, lacking=()):
    save_review(user, household, ReviewValues(year=year, reviewed_on=date(year, 5, 20) if year == 2026
                                              else date(year, 10, 15), income=income, lacking=list(lacking)),
                submit=True)


def _order(product, plan, status, at, live=None):
    order = checkout.place(cart_with(product), values({product.producer_id: pickup(plan)})).orders[0]
    if live is not None:
        for line in order.lines:
            line.livestream_id = live.id
    order.status = status
    order.status_changed_at = local_to_utc(at)
    return order


@pytest.fixture
def fixture(app):
    with app.app_context():
        boss = admin()
        a_officer = officer("phuong-huong-tra")
        b_officer = officer(OTHER_COMMUNE)
        poor = ["health_insurance", "housing_quality", "latrine"]
        # Commune A: one poor → near-poor, one near-poor → poor (a step back), one poor both years.
        a1 = create_household(boss, household_values(code="A-1", phone=None))
        a2 = create_household(boss, household_values(code="A-2", phone=None))
        a3 = create_household(boss, household_values(code="A-3", phone=None))
        b1 = create_household(boss, household_values(code="B-1", phone=None, commune=OTHER_COMMUNE))
        _review(boss, a1, 2025, "1.200.000", poor)
        _review(boss, a1, 2026, "1.400.000", ["telecom"])
        _review(boss, a2, 2025, "1.400.000")
        _review(boss, a2, 2026, "1.300.000", poor)
        _review(boss, a3, 2025, "1.000.000", poor)
        _review(boss, a3, 2026, "1.100.000", poor)
        _review(boss, b1, 2025, "1.000.000", poor)
        _review(boss, b1, 2026, "1.900.000")  # to average
        producer = ProducerFactory()
        product = ProductFactory(producer=producer, price_vnd=100_000)
        plan = delivery_plan(producer)
        live = LivestreamFactory(producer=producer, products=[product], starts_at=local_to_utc(datetime(2026, 3, 1, 20)),
                                 ends_at=local_to_utc(datetime(2026, 3, 1, 21)))
        db.session.add(ProducerLink(producer_id=producer.id, household_id=a1.id, consent_kind=ConsentKind.PAPER,
                                    consent_given_on=date(2026, 1, 5), paper_reference="GĐ-01", purpose="Báo cáo"))
        delivered = _order(product, plan, OrderStatus.DELIVERED, datetime(2026, 3, 1, 21, 30), live)
        completed = _order(product, plan, OrderStatus.COMPLETED, datetime(2026, 4, 30, 23, 30))  # local 30 April
        _order(product, plan, OrderStatus.CANCELLED, datetime(2026, 3, 2, 9))
        _order(product, plan, OrderStatus.PLACED, datetime(2026, 3, 3, 9))
        record_support(boss, a1, "telecom", date(2026, 2, 1), "2.000.000", "VNPT")
        record_support(boss, a2, "training", date(2026, 2, 2))
        record_support(boss, b1, "telecom", date(2026, 2, 3), "1.500.000")
        db.session.commit()
        yield {"admin": boss, "a": a_officer, "b": b_officer, "goods": (delivered.goods_vnd, completed.goods_vnd),
               "live": live.id}


YEAR = Period(2026, 2026)


def test_households_by_classification_per_commune(fixture):
    rows = {row.commune: row.counts for row in by_classification(fixture["admin"], YEAR)}
    assert rows["Phường Hương Trà"] == {P.POOR: 2, P.NEAR_POOR: 1}
    assert rows["Xã Bình Điền"] == {P.AVERAGE: 1}
    earlier = {row.commune: row.counts for row in by_classification(fixture["admin"], Period(2025, 2025))}
    assert earlier["Phường Hương Trà"] == {P.POOR: 2, P.NEAR_POOR: 1}


def test_linked_households_and_their_revenue_count_only_delivered_or_completed(fixture):
    delivered, completed = fixture["goods"]
    assert [(r.commune, r.linked, r.sold) for r in linked_sellers(fixture["admin"], YEAR)] == [("Phường Hương Trà", 1, 1)]
    assert [(r.linked, r.sold) for r in linked_sellers(fixture["admin"], Period(2025, 2025))] == [(1, 0)]
    figures = revenue(fixture["admin"], YEAR)
    assert figures.months["2026-03"] == delivered and figures.months["2026-04"] == completed
    assert figures.months["2026-05"] == 0 and len(figures.months) == 12
    assert figures.quarters == {"2026 Q1": delivered, "2026 Q2": completed, "2026 Q3": 0, "2026 Q4": 0}
    assert figures.years == {2026: delivered + completed}


def test_lives_their_products_featured_in(fixture):
    rows = lives(fixture["admin"], YEAR)
    assert [(row.livestream_id, row.orders, row.sold_vnd) for row in rows] == [
        (fixture["live"], 1, fixture["goods"][0])]


def test_support_received_by_kind(fixture):
    rows = {row.code: (row.records, row.households, row.value_vnd) for row in support_by_kind(fixture["admin"], YEAR)}
    assert rows == {"telecom": (2, 2, 3_500_000), "training": (1, 1, 0)}


def test_moves_between_statuses_from_one_year_to_the_next(fixture):
    figures = moves(fixture["admin"], YEAR)
    assert figures.count(P.POOR, P.NEAR_POOR) == 1 and figures.count(P.NEAR_POOR, P.POOR) == 1
    assert figures.count(P.POOR, P.POOR) == 1 and figures.count(P.POOR, P.AVERAGE) == 1
    assert (figures.up, figures.down, figures.same) == (2, 1, 1)
    assert moves(fixture["admin"], Period(2025, 2025)).counts == {}


def test_an_officer_sees_only_the_figures_of_their_communes(fixture):
    officer_a, officer_b = fixture["a"], fixture["b"]
    assert [row.commune for row in by_classification(officer_a, YEAR)] == ["Phường Hương Trà"]
    assert [row.commune for row in by_classification(officer_b, YEAR)] == ["Xã Bình Điền"]
    assert linked_sellers(officer_b, YEAR) == [] and revenue(officer_b, YEAR).years == {2026: 0}
    assert lives(officer_b, YEAR) == []
    assert {row.code: row.value_vnd for row in support_by_kind(officer_b, YEAR)} == {"telecom": 1_500_000}
    assert moves(officer_b, YEAR).counts == {(P.POOR, P.AVERAGE): 1}
    # Asking for the other commune by its id gives nothing either.
    a_commune = by_classification(fixture["admin"], YEAR)[0]
    assert a_commune.commune == "Phường Hương Trà"


def test_each_report_runs_a_fixed_number_of_queries(fixture, app, count_queries):
    with app.app_context(), count_queries() as statements:
        for key in report_tables.BUILDERS:
            report_tables.build(key, fixture["admin"], YEAR)
    # One grouped query per report (two for the lives: sold in, featured in), whatever the data;
    # the rest is loading the person and their roles.
    assert len([s for s in statements if "scope" in s]) == 7
    assert len(statements) <= 9


def _sign_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def test_the_dashboard_shows_tables_and_charts_for_the_officers_communes(fixture, client):
    _sign_in(client, fixture["b"])
    page = client.get("/ho-ho-tro/bao-cao/?nam=2026").get_data(as_text=True)
    assert "Xã Bình Điền" in page and "<svg" in page and "<title>" in page
    assert "Phường Hương Trà</td>" not in page


def test_csv_download_has_the_bom_vietnamese_headers_and_is_logged(fixture, client, app):
    _sign_in(client, fixture["a"])
    response = client.get("/ho-ho-tro/bao-cao/tai-ve.csv?bang=phan-loai&nam=2026")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Xã/phường", "Hộ nghèo", "Hộ cận nghèo"]
    assert rows[1:] == [["Phường Hương Trà", "2", "1", "0", "0", "3"]]
    with app.app_context():
        entry = db.session.execute(sa.select(HouseholdAccessLog).where(
            HouseholdAccessLog.action == AccessAction.EXPORT)).scalar_one()
        assert entry.actor_id == fixture["a"].id and "annual_reviews.classification" in entry.fields


def test_xlsx_download_opens_and_has_the_same_rows_with_money_as_numbers(fixture, client):
    _sign_in(client, fixture["a"])
    as_csv = client.get("/ho-ho-tro/bao-cao/tai-ve.csv?bang=doanh-thu&nam=2026").data.decode("utf-8-sig")
    response = client.get("/ho-ho-tro/bao-cao/tai-ve.xlsx?bang=doanh-thu&nam=2026")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Kỳ", "Thời gian", "Doanh thu (đồng)"]
    assert [[str(v) for v in row] for row in rows] == list(csv.reader(io.StringIO(as_csv)))
    assert isinstance(rows[3][2], int) and "₫" in sheet.cell(2, 3).number_format
