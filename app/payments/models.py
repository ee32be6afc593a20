"""Where a seller is paid by bank transfer, the Stripe events received, and card money paid out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db


class BankAccount(db.Model):
    """The account a producer (or a cooperative, for its members) receives transfers into."""

    __tablename__ = "bank_accounts"
    __table_args__ = (
        CheckConstraint("(producer_id IS NULL) <> (cooperative_id IS NULL)", name="bank_account_has_one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), unique=True)
    cooperative_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), unique=True
    )
    bank_bin: Mapped[str] = mapped_column(String(6))  # NAPAS BIN, one of payments/banks.json
    # Shown to buyers who pay by transfer, but kept out of the audit log like other personal data.
    account_number: Mapped[str] = mapped_column(String(19), info={"sensitive": True})
    account_name: Mapped[str] = mapped_column(String(120), info={"sensitive": True})
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StripeEvent(db.Model):
    """Each Stripe event handled, under its id: a delivery seen before does nothing again."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the site did with it: "paid", "expired", "ignored", "unknown_session", "mismatch"...
    outcome: Mapped[str] = mapped_column(String(40), default="")


class Payout(db.Model):
    """Card money the site collected for a producer and passed on to them."""

    __tablename__ = "payouts"
    __table_args__ = (CheckConstraint("amount_vnd > 0", name="payout_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    producer = relationship("Producer")
    recorded_by = relationship("User")
