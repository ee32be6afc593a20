from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db


class StoredImage(db.Model):
    """An uploaded photo, kept only as resized, metadata-free variants named by content."""

    __tablename__ = "stored_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the cleaned pixels: the same photo uploaded twice is stored once.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    # Widths of the stored JPEG variants, smallest first, e.g. [320, 800, 1600].
    variant_widths: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def variant_path(self, width: int) -> str:
        return f"{self.digest[:2]}/{self.digest}-{width}.jpg"

    def best_width(self, wanted: int) -> int:
        """The smallest stored width at least as wide as wanted, or the largest there is."""
        return next((w for w in self.variant_widths if w >= wanted), self.variant_widths[-1])

    def height_for(self, width: int) -> int:
        return round(self.height * width / self.width)
