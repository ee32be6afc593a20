"""What an officer decided about two households that looked like one entered twice.

Only "not a duplicate" is recorded: households that really are one are corrected by hand (one
record fixed, the other deleted on request), never merged by the site. A pair is stored once,
the smaller id first, and goes when either household is deleted.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.common.database import stored_enum
from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db


class DuplicateVerdict(enum.Enum):
    NOT_DUPLICATE = "not_duplicate"  # checked: two different households


class DuplicateCheck(db.Model):
    __tablename__ = "duplicate_checks"
    __table_args__ = (
        UniqueConstraint("household_id", "other_household_id"),
        CheckConstraint("household_id < other_household_id", name="duplicate_pair_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("supported_households.id", ondelete="CASCADE"))
    other_household_id: Mapped[int] = mapped_column(
        ForeignKey("supported_households.id", ondelete="CASCADE"), index=True
    )
    verdict: Mapped[DuplicateVerdict] = mapped_column(stored_enum(DuplicateVerdict, 20))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # May name people ("the daughter-in-law's household"): kept out of every log.
    note: Mapped[str] = mapped_column(Text, default="", info={"sensitive": True})
