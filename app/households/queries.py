"""The officers' list of households: searched, filtered and paged, always through visible_households."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.common.pagination import Page
from app.common.text import fold
from app.extensions import db
from app.households.access import visible_households
from app.households.models import (
    AnnualReview,
    Classification,
    HouseholdAccessLog,
    ReviewState,
    SupportedHousehold,
)

PAGE_SIZE = 30
LOG_PAGE_SIZE = 50


@dataclass
class HouseholdFilters:
    text: str = ""
    commune_id: int | None = None
    classification: Classification | None = None


def latest_classification() -> sa.Subquery:
    """Each household's classification in its latest submitted review."""
    latest_year = (
        sa.select(AnnualReview.household_id, sa.func.max(AnnualReview.year).label("year"))
        .where(AnnualReview.state == ReviewState.SUBMITTED)
        .group_by(AnnualReview.household_id)
        .subquery()
    )
    return (
        sa.select(AnnualReview.household_id, AnnualReview.year, AnnualReview.classification)
        .join(latest_year, sa.and_(latest_year.c.household_id == AnnualReview.household_id,
                                   latest_year.c.year == AnnualReview.year))
        .subquery()
    )


def household_list(user, filters: HouseholdFilters, page: int) -> Page:
    """One page of (household, latest year, latest classification) the user may see; two queries."""
    latest = latest_classification()
    query = visible_households(user).outerjoin(latest, latest.c.household_id == SupportedHousehold.id)
    if filters.text:
        words = fold(filters.text)
        query = query.where(sa.or_(
            SupportedHousehold.head_name_key.contains(words, autoescape=True),
            sa.func.lower(SupportedHousehold.code).contains(filters.text.strip().lower(), autoescape=True),
        ))
    if filters.commune_id is not None:
        query = query.where(SupportedHousehold.commune_id == filters.commune_id)
    if filters.classification is not None:
        query = query.where(latest.c.classification == filters.classification)
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(query.with_only_columns(SupportedHousehold.id).subquery())
    ).scalar_one()
    rows = db.session.execute(
        query.add_columns(latest.c.year, latest.c.classification)
        .options(selectinload(SupportedHousehold.commune))
        .order_by(SupportedHousehold.commune_id, SupportedHousehold.code, SupportedHousehold.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page(items=[tuple(row) for row in rows], page=page, per_page=PAGE_SIZE, total=total)


def access_log(page: int) -> Page:
    entries = sa.select(HouseholdAccessLog)
    total = db.session.execute(sa.select(sa.func.count()).select_from(HouseholdAccessLog)).scalar_one()
    rows = db.session.execute(
        entries.options(selectinload(HouseholdAccessLog.actor))
        .order_by(HouseholdAccessLog.at.desc(), HouseholdAccessLog.id.desc())
        .limit(LOG_PAGE_SIZE)
        .offset((page - 1) * LOG_PAGE_SIZE)
    ).scalars().all()
    return Page(items=list(rows), page=page, per_page=LOG_PAGE_SIZE, total=total)
