"""Revision 0006: its tables come and go cleanly on SQLite and PostgreSQL, and its seeded data."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.households.models import HouseholdGroup, PovertyStandard, StandardIndicator, SupportKind
from tests.households.factories import HouseholdFactory
from tests.test_migrations import _differences

TABLES = {
    "household_groups", "supported_households", "household_members", "poverty_standards", "standard_indicators",
    "annual_reviews", "review_indicators", "recognised_statuses", "support_kinds", "support_records",
    "officer_assignments", "producer_links", "household_access_log",
}


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_downgrade_upgrade(app):
    with app.app_context():
        assert _tables() >= TABLES
        HouseholdFactory()
        db.session.commit()
        db.session.remove()  # the migration takes its own connection; no transaction may hold the tables

        downgrade(revision="0005")
        assert not TABLES & _tables()
        assert "producers" in _tables()

        upgrade()
        assert _tables() >= TABLES
        assert db.session.execute(sa.text("SELECT count(*) FROM supported_households")).scalar_one() == 0
        assert db.session.execute(sa.select(sa.func.count()).select_from(PovertyStandard)).scalar_one() == 4
        db.session.remove()
    assert _differences(app) == []


def test_the_standards_of_both_decrees_are_seeded(app):
    with app.app_context():
        standards = db.session.execute(
            sa.select(PovertyStandard).order_by(PovertyStandard.first_year, PovertyStandard.area_type)
        ).scalars().all()
        table = [
            (s.first_year, s.last_year, s.area_type.value, s.poor_income_ceiling_vnd, s.average_income_ceiling_vnd,
             s.deprivation_threshold)
            for s in standards
        ]
        assert table == [
            (2022, 2026, "rural", 1_500_000, 2_250_000, 3),
            (2022, 2026, "urban", 2_000_000, 3_000_000, 3),
            (2027, 2030, "rural", 2_200_000, None, 3),
            (2027, 2030, "urban", 2_800_000, None, 3),
        ]
        assert "07/2021" in standards[0].period and "351/2025" in standards[2].period
        for standard in standards:
            assert len(standard.indicators) == 12
            assert len({i.dimension_vi for i in standard.indicators}) == 6
            assert [i.position for i in standard.indicators] == list(range(12))
        codes = db.session.execute(sa.select(StandardIndicator.code).distinct()).scalars().all()
        assert {"employment", "health_insurance", "telecom", "information_access"} <= set(codes)


def test_groups_and_support_kinds_are_seeded(app):
    with app.app_context():
        groups = db.session.execute(sa.select(HouseholdGroup.code)).scalars().all()
        kinds = db.session.execute(sa.select(SupportKind.code).order_by(SupportKind.position)).scalars().all()
    assert set(groups) == {"ho_ngheo_can_ngheo", "nguoi_lao_dong_thu_nhap_thap"}
    assert kinds == [
        "telecom", "training", "livestream_coaching", "credit", "inputs", "health", "education", "housing", "other",
    ]


def test_revision_0007_adds_and_drops_the_duplicate_checks(app):
    with app.app_context():
        first, second = HouseholdFactory(), HouseholdFactory()
        db.session.commit()
        kept = {first.id, second.id}
        db.session.remove()

        downgrade(revision="0006")
        assert "duplicate_checks" not in _tables()
        assert "supported_households" in _tables()
        ids = set(db.session.execute(sa.text("SELECT id FROM supported_households")).scalars())
        assert ids == kept
        db.session.remove()

        upgrade()
        assert "duplicate_checks" in _tables()
        db.session.remove()
    assert _differences(app) == []
