from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import Producer, Product
from app.common.database import stored_enum
from app.common.timezone import UTCDateTime, utcnow
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.media.models import StoredImage


def _enum(enum_class):
    return stored_enum(enum_class, length=20)


class Platform(enum.Enum):
    FACEBOOK = "facebook"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    ZALO = "zalo"
    OTHER = "other"


class HostState(enum.Enum):
    """What the host has said about the live. SCHEDULED means "follow the clock"."""

    SCHEDULED = "scheduled"
    LIVE = "live"  # marked as started, possibly before the planned start
    ENDED = "ended"  # marked as over, possibly before the planned end
    CANCELLED = "cancelled"


class Status(enum.Enum):
    """What a visitor is told, from the host's state and the clock (livestreams.lifecycle.status_at)."""

    UPCOMING = "upcoming"
    LIVE = "live"
    ENDED = "ended"
    CANCELLED = "cancelled"


def _new_uid() -> str:
    return f"{uuid.uuid4()}@chophien"


class Livestream(db.Model):
    __tablename__ = "livestreams"
    __table_args__ = (
        # A live has exactly one host: a cooperative or a producer.
        CheckConstraint("(cooperative_id IS NULL) <> (producer_id IS NULL)", name="one_host"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_livestreams_starts_at", "starts_at"),
        Index("ix_livestreams_ends_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # iCalendar UID: fixed at creation so calendar apps see later edits as edits of one event.
    uid: Mapped[str] = mapped_column(String(80), unique=True, default=_new_uid)
    # Raised whenever what a calendar shows changes (time, title, link, cancellation): RFC 5545 SEQUENCE.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    cooperative_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), index=True
    )
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    platform: Mapped[Platform] = mapped_column(_enum(Platform))
    url: Mapped[str] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    host_state: Mapped[HostState] = mapped_column(_enum(HostState), default=HostState.SCHEDULED)
    # When the host marked it live or ended, for the record and the page ("bắt đầu sớm lúc…").
    marked_live_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    marked_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cover_image_id: Mapped[int | None] = mapped_column(ForeignKey("stored_images.id", ondelete="SET NULL"))
    pinned_product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    replay_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Moved by every write (onupdate): the calendar feeds' cache and LAST-MODIFIED rely on it, so
    # no write may forget it. A value set in the same flush is kept; tests set the clock instead.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    cooperative: Mapped[Cooperative | None] = relationship()
    producer: Mapped[Producer | None] = relationship()
    cover_image: Mapped[StoredImage | None] = relationship()
    pinned_product: Mapped[Product | None] = relationship()
    featured: Mapped[list[FeaturedProduct]] = relationship(
        back_populates="livestream", cascade="all, delete-orphan", order_by="FeaturedProduct.position"
    )
    reminders: Mapped[list[Reminder]] = relationship(back_populates="livestream", cascade="all, delete-orphan")

    @property
    def host(self) -> Cooperative | Producer:
        return self.cooperative or self.producer

    @property
    def host_name(self) -> str:
        return self.cooperative.name if self.cooperative else self.producer.display_name

    def __str__(self) -> str:
        return self.title


class FeaturedProduct(db.Model):
    """A product shown with a live, in the order the host set."""

    __tablename__ = "livestream_products"
    __table_args__ = (UniqueConstraint("livestream_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestreams.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    livestream: Mapped[Livestream] = relationship(back_populates="featured")
    product: Mapped[Product] = relationship()


class ChangeNotice(enum.Enum):
    """News about a live that a waiting person has not been sent yet."""

    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class Reminder(db.Model):
    """A person asked to be told when a live is about to start ("Nhắc tôi")."""

    __tablename__ = "livestream_reminders"
    __table_args__ = (
        UniqueConstraint("livestream_id", "user_id"),
        Index("ix_livestream_reminders_pending", "sent_at", "livestream_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    livestream_id: Mapped[int] = mapped_column(ForeignKey("livestreams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the before-the-start message was handed to the mail layer; cleared when the start moves.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A change of time or a cancellation still to be told to this person.
    notice: Mapped[ChangeNotice | None] = mapped_column(_enum(ChangeNotice))

    livestream: Mapped[Livestream] = relationship(back_populates="reminders")
    user = relationship("User")
