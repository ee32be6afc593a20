"""The cart, checkouts and their per-producer orders, order history, delivery plans and the
mail an order change owes.

Money is whole đồng (BigInteger). Personal values (phone, email, address, note) are declared
sensitive so the audit log keeps only that they changed.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import SellingUnit
from app.common.database import stored_enum as _enum
from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db

SENSITIVE = {"sensitive": True}


# --- Cart -----------------------------------------------------------------------------------


class Cart(db.Model):
    """A visitor's cart (found by the token in their session) or a signed-in buyer's."""

    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id"
    )


class CartLine(db.Model):
    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("cart_id", "product_id"),
        CheckConstraint("quantity > 0", name="cart_quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    # The price the buyer saw when adding: the cart says so when the seller changes it since.
    price_seen_vnd: Mapped[int] = mapped_column(BigInteger)
    # The live the product was added from, so the sale is counted for that live.
    livestream_id: Mapped[int | None] = mapped_column(ForeignKey("livestreams.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cart: Mapped[Cart] = relationship(back_populates="lines")
    product = relationship("Product")


# --- Checkout and orders --------------------------------------------------------------------


class PaymentMethod(enum.Enum):
    CASH_ON_DELIVERY = "cod"
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"


class DeliveryMethod(enum.Enum):
    PICKUP = "pickup"  # at a point the seller offers; free
    LOCAL = "local"  # by the seller, to a commune/ward they serve, for its fee
    COURIER = "courier"  # elsewhere in Vietnam, priced by weight band


class OrderStatus(enum.Enum):
    AWAITING_PAYMENT = "awaiting_payment"
    PLACED = "placed"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Checkout(db.Model):
    """What a buyer submitted once: their contact, address and payment, split into orders."""

    __tablename__ = "checkouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # The key the checkout form was rendered with: a second submission of it (double tap, back
    # button, a retry on a slow network) finds this checkout instead of making another.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    # A guest's private link to the status pages.
    access_token: Mapped[str] = mapped_column(String(43), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    buyer_name: Mapped[str] = mapped_column(String(120), info=SENSITIVE)
    buyer_phone: Mapped[str] = mapped_column(String(16), info=SENSITIVE)
    buyer_email: Mapped[str | None] = mapped_column(String(254), info=SENSITIVE)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("provinces.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    # The commune/ward as typed, for a province whose communes are not in the site's list yet.
    commune_name: Mapped[str] = mapped_column(String(120), default="", info=SENSITIVE)
    village: Mapped[str] = mapped_column(String(120), default="", info=SENSITIVE)
    street: Mapped[str] = mapped_column(String(200), default="", info=SENSITIVE)
    note: Mapped[str] = mapped_column(Text, default="", info=SENSITIVE)
    payment_method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod))
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(5), default="vi")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Card payments: the Stripe Checkout Session, and until when its stock is held.
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_session_url: Mapped[str | None] = mapped_column(String(1000))
    payment_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    orders: Mapped[list[Order]] = relationship(back_populates="checkout", order_by="Order.id")
    province = relationship("Province")
    commune = relationship("Commune")


class Order(db.Model):
    """One producer's part of a checkout: what they fulfil and are paid for."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("goods_vnd > 0", name="order_goods_positive"),
        CheckConstraint("delivery_fee_vnd >= 0", name="order_fee_not_negative"),
        CheckConstraint("total_vnd = goods_vnd + delivery_fee_vnd", name="order_total_adds_up"),
        Index("ix_orders_producer_status", "producer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"))
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus))
    delivery_method: Mapped[DeliveryMethod] = mapped_column(_enum(DeliveryMethod))
    pickup_point_id: Mapped[int | None] = mapped_column(ForeignKey("pickup_points.id", ondelete="SET NULL"))
    # What the pickup point was when ordered, so a later edit does not move an order.
    pickup_text: Mapped[str] = mapped_column(String(400), default="")
    goods_vnd: Mapped[int] = mapped_column(BigInteger)
    delivery_fee_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    total_vnd: Mapped[int] = mapped_column(BigInteger)
    weight_grams: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by the one move that returns the order's stock, so it is returned once only.
    stock_returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    producer = relationship("Producer")
    pickup_point = relationship("PickupPoint")
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id"
    )

    @property
    def payment_method(self) -> PaymentMethod:
        return self.checkout.payment_method

    def __repr__(self) -> str:
        return f"<Order {self.code}>"


class OrderLine(db.Model):
    """A product as it was when ordered: name, unit, weight and price are copied, not linked."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="order_quantity_positive"),
        CheckConstraint("unit_price_vnd > 0", name="order_price_positive"),
        CheckConstraint("line_total_vnd = unit_price_vnd * quantity", name="order_line_adds_up"),
        CheckConstraint("unit IS NOT NULL OR unit_text IS NOT NULL", name="order_line_has_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), index=True)
    livestream_id: Mapped[int | None] = mapped_column(
        ForeignKey("livestreams.id", ondelete="SET NULL"), index=True
    )
    product_name: Mapped[str] = mapped_column(String(120))
    # The unit as the catalog's code, not a word: the same line reads "thùng" to a Vietnamese
    # seller and "box" to an English buyer (orders.labels words it for whoever reads).
    unit: Mapped[SellingUnit | None] = mapped_column(_enum(SellingUnit))
    # Only for a line ordered before units were kept as codes whose word matched no unit: the
    # word as it was written then, shown as it is. NULL whenever `unit` is set.
    unit_text: Mapped[str | None] = mapped_column(String(30))
    net_weight_grams: Mapped[int | None] = mapped_column(Integer)
    unit_price_vnd: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total_vnd: Mapped[int] = mapped_column(BigInteger)

    order: Mapped[Order] = relationship(back_populates="lines")
    product = relationship("Product")


class OrderEvent(db.Model):
    """One move of an order's state: who, when, from what to what, and why."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who moved it when there is no account: "buyer", "stripe", "system".
    actor_kind: Mapped[str] = mapped_column(String(20), default="seller")
    from_status: Mapped[OrderStatus | None] = mapped_column(_enum(OrderStatus))
    to_status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus))
    # Payment news (paid, transfer received) is recorded here too, without a change of state.
    payment_note: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")

    order: Mapped[Order] = relationship(back_populates="events")
    actor = relationship("User")


# --- Mail owed to buyers and sellers ---------------------------------------------------------


class NoticeKind(enum.Enum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class OrderNotice(db.Model):
    """A message an order change owes one party, queued in the same transaction as the change.

    `flask send-order-mail` claims a row with a conditional UPDATE, commits the claim, then sends:
    nothing leaves for a change that rolled back, and nothing twice.
    """

    __tablename__ = "order_notices"
    __table_args__ = (UniqueConstraint("order_id", "kind", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind, 20))
    recipient: Mapped[str] = mapped_column(String(10))  # "buyer" or "seller"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    failed: Mapped[bool] = mapped_column(default=False)

    order: Mapped[Order] = relationship()


# --- Delivery plans --------------------------------------------------------------------------


class DeliveryPlan(db.Model):
    """How a producer, or a cooperative for its members, gets orders to buyers."""

    __tablename__ = "delivery_plans"
    __table_args__ = (
        CheckConstraint(
            "(producer_id IS NULL) <> (cooperative_id IS NULL)", name="delivery_plan_has_one_owner"
        ),
        CheckConstraint("free_over_vnd IS NULL OR free_over_vnd > 0", name="free_over_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), unique=True)
    cooperative_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="CASCADE"), unique=True
    )
    # An order whose goods reach this value travels free (local delivery and courier alike).
    free_over_vnd: Mapped[int | None] = mapped_column(BigInteger)
    # Delivery elsewhere in Vietnam by courier, priced by the weight bands.
    ships_nationwide: Mapped[bool] = mapped_column(default=False)

    pickup_points: Mapped[list[PickupPoint]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PickupPoint.id"
    )
    zones: Mapped[list[LocalDeliveryZone]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="LocalDeliveryZone.id"
    )
    weight_bands: Mapped[list[WeightBand]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="WeightBand.up_to_grams"
    )


class PickupPoint(db.Model):
    __tablename__ = "pickup_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("delivery_plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(250))
    hours: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(default=True)

    plan: Mapped[DeliveryPlan] = relationship(back_populates="pickup_points")

    def describe(self) -> str:
        return " · ".join(part for part in (self.name, self.address, self.hours) if part)


class LocalDeliveryZone(db.Model):
    """A commune or ward the seller delivers to themselves, for a flat fee."""

    __tablename__ = "local_delivery_zones"
    __table_args__ = (
        UniqueConstraint("plan_id", "commune_id"),
        CheckConstraint("fee_vnd >= 0", name="zone_fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("delivery_plans.id", ondelete="CASCADE"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    fee_vnd: Mapped[int] = mapped_column(BigInteger, default=0)

    plan: Mapped[DeliveryPlan] = relationship(back_populates="zones")
    commune = relationship("Commune")


class WeightBand(db.Model):
    """Courier delivery: an order weighing up to `up_to_grams` costs `fee_vnd`."""

    __tablename__ = "weight_bands"
    __table_args__ = (
        UniqueConstraint("plan_id", "up_to_grams"),
        CheckConstraint("up_to_grams > 0", name="band_weight_positive"),
        CheckConstraint("fee_vnd >= 0", name="band_fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("delivery_plans.id", ondelete="CASCADE"), index=True)
    up_to_grams: Mapped[int] = mapped_column(Integer)
    fee_vnd: Mapped[int] = mapped_column(BigInteger)

    plan: Mapped[DeliveryPlan] = relationship(back_populates="weight_bands")
