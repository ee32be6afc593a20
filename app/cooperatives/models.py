from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db

cooperative_managers = Table(
    "cooperative_managers",
    db.metadata,
    Column("cooperative_id", ForeignKey("cooperatives.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cooperative(db.Model):
    __tablename__ = "cooperatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    village: Mapped[str] = mapped_column(String(120), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    old_district: Mapped[str] = mapped_column(String(120), default="")
    # Often a manager's own mobile number: personal data, kept out of the audit log.
    contact_phone: Mapped[str | None] = mapped_column(String(16), info={"sensitive": True})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    province = relationship("Province")
    commune = relationship("Commune")
    members = relationship("Producer", back_populates="cooperative", order_by="Producer.display_name")
    managers = relationship("User", secondary=cooperative_managers)

    def __str__(self) -> str:
        return self.name
