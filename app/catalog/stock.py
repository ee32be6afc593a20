"""Stock: the one place a product's stock changes, each change recorded as a movement.

Every change is a single conditional UPDATE that the database applies atomically, so two buyers
can never both take the last box, and a seller's count never overwrites a sale made while their
form was open: the seller's change is applied as a difference to whatever the number is now.

Functions here flush but never commit; the caller's transaction holds the change and its
movement together.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.catalog.models import Product, ProductStatus, StockMovement, StockReason
from app.common.errors import RuleBroken
from app.common.timezone import utcnow
from app.extensions import db

REASON_LABELS = {
    StockReason.ORDER: _l("Khách đặt hàng"),
    StockReason.CANCELLATION: _l("Đơn bị huỷ, trả lại kho"),
    StockReason.EXPIRY: _l("Thanh toán thẻ hết hạn, trả lại kho"),
    StockReason.REFUND: _l("Đơn hoàn tiền, trả lại kho"),
    StockReason.SELLER_COUNT: _l("Người bán cập nhật số lượng"),
}


class OutOfStock(RuleBroken):
    """Fewer units are left than asked for, or the product is no longer on sale."""

    field = "quantity"

    def __init__(self, message, product_id: int):
        super().__init__(message)
        self.product_id = product_id


class StockWouldGoNegative(RuleBroken):
    field = "stock"


def _apply(product_id: int, change: int, *conditions) -> int | None:
    """Add change to the stock where conditions hold; the new stock, or None when they did not."""
    new_stock = db.session.execute(
        sa.update(Product)
        .where(Product.id == product_id, *conditions)
        .values(stock=Product.stock + change)
        .returning(Product.stock),
        execution_options={"synchronize_session": False},
    ).scalar_one_or_none()
    if new_stock is not None:
        # A copy of the product already loaded in this session shows the new number too.
        loaded = db.session.identity_map.get(identity_key(Product, product_id))
        if loaded is not None:
            set_committed_value(loaded, "stock", new_stock)
    return new_stock


def _record(product_id: int, change: int, stock_after: int, reason: StockReason, *,
            order_code: str | None = None, actor_id: int | None = None) -> StockMovement:
    movement = StockMovement(
        product_id=product_id, change=change, stock_after=stock_after, reason=reason,
        order_code=order_code, actor_id=actor_id, at=utcnow(),
    )
    db.session.add(movement)
    return movement


def take_for_order(product_id: int, quantity: int, order_code: str, actor_id: int | None = None) -> int:
    """Take quantity units for an order, or raise OutOfStock; the stock left.

    The guard is in the UPDATE itself (on sale, and at least quantity left), so the database
    decides between two buyers of the last box: the second finds no row to change.
    """
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    left = _apply(
        product_id, -quantity, Product.status == ProductStatus.ON_SALE, Product.stock >= quantity
    )
    if left is None:
        raise OutOfStock(_l("Sản phẩm này vừa hết hàng hoặc không còn đủ số lượng bạn chọn."), product_id)
    _record(product_id, -quantity, left, StockReason.ORDER, order_code=order_code, actor_id=actor_id)
    return left


def put_back(product_id: int, quantity: int, reason: StockReason, order_code: str,
             actor_id: int | None = None) -> int | None:
    """Return units an order held (cancelled, expired, refunded before it left); None when the
    product no longer exists. The caller makes sure an order returns its stock once only."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    left = _apply(product_id, quantity)
    if left is not None:
        _record(product_id, quantity, left, reason, order_code=order_code, actor_id=actor_id)
    return left


def count(product: Product, counted: int, seen: int | None, actor_id: int | None) -> int:
    """The seller's own count: move the stock by what they changed (counted − seen).

    `seen` is the number their form showed. Orders placed since then stay taken: the seller's
    change is added to today's number rather than replacing it. Without `seen` (a caller that
    did not show a number) the stock is set to `counted`, measured against the number now.
    """
    current = db.session.execute(sa.select(Product.stock).where(Product.id == product.id)).scalar_one()
    change = counted - (current if seen is None else seen)
    if change == 0:
        return current
    left = _apply(product.id, change, Product.stock + change >= 0)
    if left is None:
        raise StockWouldGoNegative(
            _l("Trong lúc bạn sửa, khách đã đặt thêm: hiện chỉ còn %(left)d, không thể giảm %(change)d.",
               left=current, change=-change)
        )
    _record(product.id, change, left, StockReason.SELLER_COUNT, actor_id=actor_id)
    return left


def opening_count(product: Product, actor_id: int | None) -> None:
    """The first stock of a new listing, recorded like any count."""
    if product.stock > 0:
        _record(product.id, product.stock, product.stock, StockReason.SELLER_COUNT, actor_id=actor_id)


def movements(product: Product, limit: int = 50) -> list[StockMovement]:
    """The latest changes of a product's stock, newest first, for the seller's page."""
    return list(
        db.session.execute(
            sa.select(StockMovement)
            .where(StockMovement.product_id == product.id)
            .order_by(StockMovement.at.desc(), StockMovement.id.desc())
            .limit(limit)
        ).scalars()
    )
