from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.database import stored_enum as _enum
from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db
from app.media.models import StoredImage

ALL_MONTHS = (1 << 12) - 1


def months_to_mask(months: list[int]) -> int:
    return sum(1 << (m - 1) for m in set(months) if 1 <= m <= 12)


def mask_to_months(mask: int) -> list[int]:
    return [m for m in range(1, 13) if mask & (1 << (m - 1))]


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_vi: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_vi


class Certification(db.Model):
    """VietGAP, organic, OCOP stars...: kept as rows so a new scheme needs no code change."""

    __tablename__ = "certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name_vi: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_vi


product_certifications = Table(
    "product_certifications",
    db.metadata,
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("certification_id", ForeignKey("certifications.id"), primary_key=True),
)

producer_certifications = Table(
    "producer_certifications",
    db.metadata,
    Column("producer_id", ForeignKey("producers.id", ondelete="CASCADE"), primary_key=True),
    Column("certification_id", ForeignKey("certifications.id"), primary_key=True),
)


class Producer(db.Model):
    __tablename__ = "producers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The producer's own account; a producer helped by a cooperative may have none.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    cooperative_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="SET NULL"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    name_sort_key: Mapped[str] = mapped_column(String(255), default="", index=True)
    story: Mapped[str] = mapped_column(Text, default="")
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    village: Mapped[str] = mapped_column(String(120), default="")  # thôn or tổ dân phố
    # A farmer's house address and phone are personal data (Law 91/2025/QH15): kept out of the audit log.
    street: Mapped[str] = mapped_column(String(200), default="", info={"sensitive": True})
    old_district: Mapped[str] = mapped_column(String(120), default="")  # before the 2025 reform
    crops: Mapped[str] = mapped_column(String(500), default="")
    harvest_months: Mapped[int] = mapped_column(Integer, default=0)
    contact_phone: Mapped[str | None] = mapped_column(String(16), info={"sensitive": True})
    # The phone is shown (call and Zalo buttons) only when the producer has said yes.
    contact_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the row was last written (onupdate); no page shows it, so any write may move it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user = relationship("User")
    cooperative = relationship("Cooperative", back_populates="members")
    province = relationship("Province")
    commune = relationship("Commune")
    certifications: Mapped[list[Certification]] = relationship(
        secondary=producer_certifications, order_by=Certification.position
    )
    photos: Mapped[list[ProducerPhoto]] = relationship(
        back_populates="producer", cascade="all, delete-orphan", order_by="ProducerPhoto.position"
    )
    products: Mapped[list[Product]] = relationship(back_populates="producer")

    @property
    def harvest_month_list(self) -> list[int]:
        return mask_to_months(self.harvest_months)

    def __str__(self) -> str:
        return self.display_name


class ProducerPhoto(db.Model):
    __tablename__ = "producer_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("stored_images.id"))
    position: Mapped[int] = mapped_column(default=0)

    producer: Mapped[Producer] = relationship(back_populates="photos")
    image: Mapped[StoredImage] = relationship(lazy="joined")


class ProductStatus(enum.Enum):
    DRAFT = "draft"
    ON_SALE = "on_sale"
    SOLD_OUT = "sold_out"
    ARCHIVED = "archived"


# Statuses a visitor may see; drafts and archived products stay with their owner.
PUBLIC_STATUSES = (ProductStatus.ON_SALE, ProductStatus.SOLD_OUT)


class SellingUnit(enum.Enum):
    KG = "kg"
    BOX = "box"  # thùng
    BAG = "bag"  # túi
    PACK = "pack"  # hộp
    PIECE = "piece"  # quả
    BUNCH = "bunch"  # nải, bó


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_vnd > 0", name="price_positive"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("min_order >= 1", name="min_order_positive"),
        CheckConstraint("net_weight_grams IS NULL OR net_weight_grams > 0", name="net_weight_positive"),
        Index("ix_products_status_created", "status", "created_at"),
        Index("ix_products_status_price", "status", "price_vnd"),
        Index("ix_products_status_name", "status", "name_sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[SellingUnit] = mapped_column(_enum(SellingUnit))
    # Size of one selling unit, when it has one: 10000 for "thùng 10 kg", 500 for "túi 500 g".
    net_weight_grams: Mapped[int | None] = mapped_column(Integer)
    price_vnd: Mapped[int] = mapped_column(BigInteger)  # whole đồng per selling unit
    stock: Mapped[int] = mapped_column(Integer, default=0)  # selling units on hand
    min_order: Mapped[int] = mapped_column(Integer, default=1)  # selling units
    harvest_months: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[ProductStatus] = mapped_column(_enum(ProductStatus), default=ProductStatus.DRAFT)
    featured: Mapped[bool] = mapped_column(default=False)

    # Kept by catalog.listing on every write; read by the search index and the name sort.
    search_name: Mapped[str] = mapped_column(String(255), default="")
    search_context: Mapped[str] = mapped_column(Text, default="")
    name_sort_key: Mapped[str] = mapped_column(String(255), default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the seller last changed the listing (shown as "Cập nhật"): moved by the listing
    # services only (catalog.listing._changed_by), not on every write as an onupdate would.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    producer: Mapped[Producer] = relationship(back_populates="products")
    category: Mapped[Category] = relationship()
    certifications: Mapped[list[Certification]] = relationship(
        secondary=product_certifications, order_by=Certification.position
    )
    photos: Mapped[list[ProductPhoto]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductPhoto.position"
    )
    created_by = relationship("User", foreign_keys=[created_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    @property
    def harvest_month_list(self) -> list[int]:
        return mask_to_months(self.harvest_months)

    @property
    def in_stock(self) -> bool:
        return available_to_buy(self)

    @property
    def cover(self) -> StoredImage | None:
        return self.photos[0].image if self.photos else None

    def __str__(self) -> str:
        return self.name


def available_to_buy(product: Product) -> bool:
    """Whether a buyer may order the product now: on sale, with at least one minimum order in stock.

    available_condition() says the same in SQL; a test holds them equal.
    """
    return product.status == ProductStatus.ON_SALE and product.stock >= product.min_order


def available_condition():
    """The products available to buy, as a WHERE clause (see available_to_buy)."""
    return and_(Product.status == ProductStatus.ON_SALE, Product.stock >= Product.min_order)


class ProductPhoto(db.Model):
    __tablename__ = "product_photos"
    __table_args__ = (UniqueConstraint("product_id", "image_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("stored_images.id"))
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="photos")
    image: Mapped[StoredImage] = relationship(lazy="joined")


class StockReason(enum.Enum):
    ORDER = "order"  # a buyer's order took it
    CANCELLATION = "cancellation"  # an order was cancelled: back on the shelf
    EXPIRY = "expiry"  # a card payment expired or failed: the held stock is back
    REFUND = "refund"  # a refunded order that had not left the farm
    SELLER_COUNT = "seller_count"  # the seller counted and changed the number


class StockMovement(db.Model):
    """One change of a product's stock and why, so a seller can see how the number came to be."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("change <> 0", name="movement_not_zero"),
        Index("ix_stock_movements_product_at", "product_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    change: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[StockReason] = mapped_column(_enum(StockReason))
    # The order concerned, by its code (the catalogue does not know the orders table).
    order_code: Mapped[str | None] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User")
