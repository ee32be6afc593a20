"""Supported households and what the office keeps about them.

Everything personal (names, phone, street, notes, income) is declared sensitive, so no value of it
reaches the general audit log; reads and changes are written to the households' own access log
(HouseholdAccessLog), which keeps field names only. The poverty standards, their indicators,
household groups and support kinds are rows of data an admin can change, not constants.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.database import stored_enum as _enum
from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db

SENSITIVE = {"sensitive": True}


def _owned(order_by) -> dict:
    """A household's own records: they live and die with it."""
    return {"back_populates": "household", "cascade": "all, delete-orphan", "passive_deletes": True,
            "order_by": order_by}


class AreaType(enum.Enum):
    RURAL = "rural"
    URBAN = "urban"


class Classification(enum.Enum):
    POOR = "poor"
    NEAR_POOR = "near_poor"
    AVERAGE = "average"  # average living standard: over the poor ceiling, within the average one
    ABOVE = "above"


class ReviewState(enum.Enum):
    DRAFT = "draft"  # started at the household, to be finished later
    SUBMITTED = "submitted"  # final: the household's review for the year


class HouseholdStatus(enum.Enum):
    """A status the authority recognised by decision (Decision 24/2021/QĐ-TTg)."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    OUT_OF_POVERTY = "out_of_poverty"
    OUT_OF_NEAR_POVERTY = "out_of_near_poverty"


class ConsentKind(enum.Enum):
    PRODUCER_CONFIRMED = "producer_confirmed"  # the producer said yes on their own account
    PAPER = "paper"  # given on paper to an officer, for a farmer without a phone


class AccessAction(enum.Enum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    REFUSED = "refused"


# --- Reference data ----------------------------------------------------------------------------


class HouseholdGroup(db.Model):
    """A group a programme reviews: poor and near-poor households, low-income workers, …"""

    __tablename__ = "household_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_vi: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(Integer, default=0)


class SupportKind(db.Model):
    __tablename__ = "support_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(Integer, default=0)


class PovertyStandard(db.Model):
    """The poverty standard a decree sets for a period and an area type."""

    __tablename__ = "poverty_standards"
    __table_args__ = (
        UniqueConstraint("first_year", "area_type"),
        CheckConstraint("first_year <= last_year", name="standard_years_in_order"),
        CheckConstraint("poor_income_ceiling_vnd > 0", name="standard_poor_ceiling_positive"),
        CheckConstraint("average_income_ceiling_vnd IS NULL OR average_income_ceiling_vnd > poor_income_ceiling_vnd",
                        name="standard_average_above_poor"),
        CheckConstraint("deprivation_threshold > 0", name="standard_threshold_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(120))  # "2022–2026 (Nghị định 07/2021/NĐ-CP)"
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    area_type: Mapped[AreaType] = mapped_column(_enum(AreaType, 10))
    # Income per person per month, in đồng: at or under it, a household is poor or near-poor.
    poor_income_ceiling_vnd: Mapped[int] = mapped_column(BigInteger)
    # At or under it, a household has an average living standard. Empty while not confirmed.
    average_income_ceiling_vnd: Mapped[int | None] = mapped_column(BigInteger)
    # Lacking this many indicators or more, within the income ceiling: poor.
    deprivation_threshold: Mapped[int] = mapped_column(Integer, default=3)
    decree: Mapped[str] = mapped_column(String(300), default="")

    indicators: Mapped[list[StandardIndicator]] = relationship(
        back_populates="standard", cascade="all, delete-orphan", order_by="StandardIndicator.position"
    )

    @property
    def years(self) -> str:
        return f"{self.first_year}–{self.last_year}"


class StandardIndicator(db.Model):
    """One basic-service indicator of a standard; reviews record each as lacking or not."""

    __tablename__ = "standard_indicators"
    __table_args__ = (UniqueConstraint("standard_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("poverty_standards.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    dimension_vi: Mapped[str] = mapped_column(String(120))
    dimension_en: Mapped[str] = mapped_column(String(120), default="")
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    standard: Mapped[PovertyStandard] = relationship(back_populates="indicators")


# --- The registry --------------------------------------------------------------------------------


class SupportedHousehold(db.Model):
    __tablename__ = "supported_households"
    # Its index also serves every lookup by commune (the officers' scope), so none of its own.
    __table_args__ = (UniqueConstraint("commune_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30))  # unique within its commune/ward
    head_name: Mapped[str] = mapped_column(String(120), info=SENSITIVE)
    # The head's name folded (app.common.text.fold), to find likely duplicates.
    head_name_key: Mapped[str] = mapped_column(String(120), index=True, info=SENSITIVE)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    village: Mapped[str] = mapped_column(String(120), default="")  # thôn or tổ dân phố
    street: Mapped[str] = mapped_column(String(200), default="", info=SENSITIVE)
    old_district: Mapped[str] = mapped_column(String(120), default="")  # before the 2025 reform
    area_type: Mapped[AreaType] = mapped_column(_enum(AreaType, 10))
    # Stored as +84 followed by nine digits, as accounts store them.
    phone: Mapped[str | None] = mapped_column(String(16), index=True, info=SENSITIVE)
    group_id: Mapped[int] = mapped_column(ForeignKey("household_groups.id"))
    no_working_capacity: Mapped[bool] = mapped_column(default=False)
    revolutionary_merit: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="", info=SENSITIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    province = relationship("Province")
    commune = relationship("Commune")
    group: Mapped[HouseholdGroup] = relationship()
    # Deleting a household on request deletes all of this with it (the database cascades too).
    members: Mapped[list[HouseholdMember]] = relationship(**_owned("HouseholdMember.id"))
    reviews: Mapped[list[AnnualReview]] = relationship(**_owned("AnnualReview.year"))
    statuses: Mapped[list[RecognisedStatus]] = relationship(
        **_owned(lambda: [RecognisedStatus.recognised_on, RecognisedStatus.id])
    )
    support_records: Mapped[list[SupportRecord]] = relationship(**_owned("SupportRecord.given_on"))
    producer_links: Mapped[list[ProducerLink]] = relationship(**_owned("ProducerLink.id"))

    def __repr__(self) -> str:
        return f"<SupportedHousehold {self.id}>"  # no name: a repr ends up in logs and error reports


class HouseholdMember(db.Model):
    __tablename__ = "household_members"
    __table_args__ = (
        CheckConstraint("birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)", name="member_birth_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("supported_households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), info=SENSITIVE)
    birth_year: Mapped[int | None] = mapped_column(Integer, info=SENSITIVE)
    relation: Mapped[str] = mapped_column(String(60), default="")  # to the head: vợ, con, …

    household: Mapped[SupportedHousehold] = relationship(back_populates="members")


class RecognisedStatus(db.Model):
    """One status the authority recognised, by decision; the rows of a household are its history."""

    __tablename__ = "recognised_statuses"
    __table_args__ = (
        CheckConstraint("support_until IS NULL OR support_until >= recognised_on", name="support_after_recognition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("supported_households.id", ondelete="CASCADE"), index=True)
    status: Mapped[HouseholdStatus] = mapped_column(_enum(HouseholdStatus), info=SENSITIVE)
    recognised_on: Mapped[date] = mapped_column(Date)
    decision_number: Mapped[str] = mapped_column(String(60), default="")
    # A household newly out of poverty keeps some support until this day.
    support_until: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    household: Mapped[SupportedHousehold] = relationship(back_populates="statuses")


class SupportRecord(db.Model):
    __tablename__ = "support_records"
    __table_args__ = (CheckConstraint("value_vnd >= 0", name="support_value_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("supported_households.id", ondelete="CASCADE"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("support_kinds.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(160), default="")
    # Empty when the support has no value in money the office knows (a training course).
    value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="", info=SENSITIVE)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    household: Mapped[SupportedHousehold] = relationship(back_populates="support_records")
    kind: Mapped[SupportKind] = relationship()


# --- Yearly reviews ----------------------------------------------------------------------------


class AnnualReview(db.Model):
    """A household's review for one year: income, indicators lacking, causes, and the verdict."""

    __tablename__ = "annual_reviews"
    __table_args__ = (
        UniqueConstraint("household_id", "year"),
        CheckConstraint("income_per_person_vnd >= 0", name="review_income_not_negative"),
        CheckConstraint("b1_score IS NULL OR (b1_score >= 0 AND b1_score <= 100)", name="review_b1_score"),
        CheckConstraint("b2_score IS NULL OR (b2_score >= 0 AND b2_score <= 100)", name="review_b2_score"),
        CheckConstraint("deprivation_count >= 0", name="review_deprivation_count"),
        # A draft may wait for its income; a submitted review has it and its verdict.
        CheckConstraint("state = 'draft' OR (income_per_person_vnd IS NOT NULL AND classification IS NOT NULL"
                        " AND submitted_at IS NOT NULL)", name="review_submitted_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("supported_households.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Per person per month, in đồng.
    income_per_person_vnd: Mapped[int | None] = mapped_column(BigInteger, info=SENSITIVE)
    # The B1 and B2 form scores as entered on the paper forms; not computed here.
    b1_score: Mapped[int | None] = mapped_column(Integer, info=SENSITIVE)
    b2_score: Mapped[int | None] = mapped_column(Integer, info=SENSITIVE)
    # Codes from app.households.reviews.CAUSES.
    causes: Mapped[list[str]] = mapped_column(JSON, default=list, info=SENSITIVE)
    standard_id: Mapped[int] = mapped_column(ForeignKey("poverty_standards.id"), index=True)
    classification: Mapped[Classification | None] = mapped_column(_enum(Classification), info=SENSITIVE)
    deprivation_count: Mapped[int] = mapped_column(Integer, default=0, info=SENSITIVE)
    state: Mapped[ReviewState] = mapped_column(_enum(ReviewState, 20), default=ReviewState.DRAFT)
    # The key the phone sent the review with: a review sent twice (offline, then again) is
    # found by it and accepted once.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    household: Mapped[SupportedHousehold] = relationship(back_populates="reviews")
    standard: Mapped[PovertyStandard] = relationship()
    reviewer = relationship("User")
    indicators: Mapped[list[ReviewIndicator]] = relationship(
        back_populates="review", cascade="all, delete-orphan", passive_deletes=True, order_by="ReviewIndicator.id"
    )


class ReviewIndicator(db.Model):
    """One indicator of the review's standard, as the officer recorded it."""

    __tablename__ = "review_indicators"
    __table_args__ = (UniqueConstraint("review_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("annual_reviews.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("standard_indicators.id"), index=True)
    lacking: Mapped[bool] = mapped_column(default=False, info=SENSITIVE)

    review: Mapped[AnnualReview] = relationship(back_populates="indicators")
    indicator: Mapped[StandardIndicator] = relationship()


# --- Who covers what, producers linked, and the access log ---------------------------------------


class OfficerAssignment(db.Model):
    """A commune/ward an officer covers: they see and change the households there, and only those."""

    __tablename__ = "officer_assignments"
    __table_args__ = (UniqueConstraint("user_id", "commune_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    commune = relationship("Commune")


class ProducerLink(db.Model):
    """A producer linked to a household, with the consent it rests on; withdrawn links stay as history."""

    __tablename__ = "producer_links"
    __table_args__ = (
        # One active link per producer; the partial index leaves withdrawn ones alone.
        Index("uq_producer_links_active_producer", "producer_id", unique=True,
              sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")),
        CheckConstraint("consent_kind <> 'paper' OR paper_reference <> ''", name="paper_consent_has_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("supported_households.id", ondelete="CASCADE"), index=True)
    consent_kind: Mapped[ConsentKind] = mapped_column(_enum(ConsentKind))
    consent_given_on: Mapped[date] = mapped_column(Date)
    paper_reference: Mapped[str] = mapped_column(String(120), default="")
    purpose: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    household: Mapped[SupportedHousehold] = relationship(back_populates="producer_links")
    producer = relationship("Producer")


class HouseholdAccessLog(db.Model):
    """Who read or changed which household record, which fields, and when; never a value.

    Admins read it; no code edits it. Deleting a household keeps its entries: household_id
    becomes empty and household_ref keeps the number the record had.
    """

    __tablename__ = "household_access_log"
    __table_args__ = (Index("ix_household_access_log_ref_at", "household_ref", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("supported_households.id", ondelete="SET NULL"), index=True
    )
    household_ref: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[AccessAction] = mapped_column(_enum(AccessAction, 20))
    # For a refusal: what the person tried to do.
    attempted: Mapped[AccessAction | None] = mapped_column(_enum(AccessAction, 20))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)

    actor = relationship("User")
