from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class ProvinceKind(enum.Enum):
    CITY = "city"  # thành phố trực thuộc trung ương
    PROVINCE = "province"


class CommuneKind(enum.Enum):
    WARD = "ward"  # phường
    COMMUNE = "commune"  # xã
    SPECIAL_ZONE = "special_zone"  # đặc khu


class Province(db.Model):
    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[ProvinceKind] = mapped_column(
        Enum(ProvinceKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )

    communes: Mapped[list[Commune]] = relationship(back_populates="province")

    def __str__(self) -> str:
        return self.name


class Commune(db.Model):
    """A commune, ward or special zone: the tier under the province since 1 July 2025."""

    __tablename__ = "communes"
    __table_args__ = (UniqueConstraint("province_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[CommuneKind] = mapped_column(
        Enum(CommuneKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )

    province: Mapped[Province] = relationship(back_populates="communes")

    def __str__(self) -> str:
        return self.name
