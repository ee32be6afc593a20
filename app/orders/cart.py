"""The cart: what a buyer means to order, checked against the catalogue every time it is shown.

A visitor's cart is found by a token kept in their session; a signed-in buyer's by their account.
When a visitor signs in, their cart is merged into the saved one, so nothing they chose is lost.
Prices are never stored as what the buyer will pay: a line remembers the price it was added at
only to tell the buyer when it changed. What is charged comes from the product at checkout.

Functions here flush but never commit; the route commits once.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.catalog.models import Producer, Product, ProductStatus, available_to_buy
from app.common.errors import RuleBroken
from app.common.timezone import utcnow
from app.extensions import db
from app.livestreams.models import FeaturedProduct
from app.orders.codes import token as new_token
from app.orders.models import Cart, CartLine

MAX_LINES = 50


class CartRuleBroken(RuleBroken):
    field = "quantity"


class Problem(enum.Enum):
    WITHDRAWN = "withdrawn"  # the seller took it off sale (draft or archived)
    SOLD_OUT = "sold_out"  # not even one minimum order left
    NOT_ENOUGH = "not_enough"  # fewer left than the buyer wants
    BELOW_MINIMUM = "below_minimum"  # the seller raised the minimum order since
    PRICE_CHANGED = "price_changed"  # a notice, not a blocker: the new price is what counts


BLOCKING = {Problem.WITHDRAWN, Problem.SOLD_OUT, Problem.NOT_ENOUGH, Problem.BELOW_MINIMUM}


# --- Finding the cart ---------------------------------------------------------------------


def _lines_loaded():
    return selectinload(Cart.lines).options(
        joinedload(CartLine.product).options(
            joinedload(Product.producer).joinedload(Producer.cooperative),
            selectinload(Product.photos),
        )
    )


def find(user: User | None, token: str | None) -> Cart | None:
    """The cart of this person: their account's when signed in, else the one their token names."""
    query = sa.select(Cart).options(_lines_loaded())
    if user is not None and user.is_authenticated:
        return db.session.execute(query.where(Cart.user_id == user.id)).scalar_one_or_none()
    if token:
        return db.session.execute(query.where(Cart.token == token, Cart.user_id.is_(None))).scalar_one_or_none()
    return None


def find_or_create(user: User | None, token: str | None) -> Cart:
    cart = find(user, token)
    if cart is None:
        signed_in = user is not None and user.is_authenticated
        cart = Cart(token=new_token(), user_id=user.id if signed_in else None, created_at=utcnow())
        db.session.add(cart)
        db.session.flush()
    return cart


def merge_on_sign_in(user: User, token: str | None) -> Cart | None:
    """Fold the visitor cart named by token into the account's cart; quantities add up."""
    visitor = find(None, token)
    if visitor is None or not visitor.lines:
        return None
    saved = find_or_create(user, None)
    by_product = {line.product_id: line for line in saved.lines}
    for line in list(visitor.lines):
        mine = by_product.get(line.product_id)
        if mine is None:
            visitor.lines.remove(line)
            saved.lines.append(line)
        else:
            mine.quantity += line.quantity
            mine.livestream_id = mine.livestream_id or line.livestream_id
    db.session.delete(visitor)
    saved.updated_at = utcnow()
    db.session.flush()
    return saved


# --- Changing it -----------------------------------------------------------------------------


def _line(cart: Cart, line_id: int) -> CartLine:
    line = next((ln for ln in cart.lines if ln.id == line_id), None)
    if line is None:
        raise CartRuleBroken(_l("Sản phẩm này không còn trong giỏ của bạn."))
    return line


def _check_quantity(product: Product, quantity: int) -> None:
    if quantity < product.min_order:
        raise CartRuleBroken(
            _l("“%(name)s” đặt tối thiểu %(min)d.", name=product.name, min=product.min_order)
        )
    if quantity > product.stock:
        raise CartRuleBroken(
            _l("“%(name)s” chỉ còn %(stock)d.", name=product.name, stock=product.stock)
        )


def featured_in(product: Product, livestream_id: int | None) -> int | None:
    """The live's id if it really features the product; a made-up id is dropped, not trusted."""
    if not livestream_id:
        return None
    found = db.session.execute(
        sa.select(FeaturedProduct.livestream_id).where(
            FeaturedProduct.livestream_id == livestream_id, FeaturedProduct.product_id == product.id
        )
    ).scalar_one_or_none()
    return found


def add(cart: Cart, product: Product, quantity: int | None = None, livestream_id: int | None = None) -> CartLine:
    """Put a product in the cart (its minimum order when no quantity is given), or add to its line."""
    if not available_to_buy(product):
        raise CartRuleBroken(_l("“%(name)s” hiện không bán hoặc đã hết hàng.", name=product.name))
    line = next((ln for ln in cart.lines if ln.product_id == product.id), None)
    wanted = (line.quantity if line else 0) + (quantity if quantity is not None else product.min_order)
    if line is None and len(cart.lines) >= MAX_LINES:
        raise CartRuleBroken(_l("Giỏ hàng có tối đa 50 sản phẩm."))
    _check_quantity(product, wanted)
    live = featured_in(product, livestream_id)
    if line is None:
        line = CartLine(product=product, quantity=wanted, price_seen_vnd=product.price_vnd,
                        livestream_id=live, added_at=utcnow())
        cart.lines.append(line)
    else:
        line.quantity = wanted
        line.livestream_id = live or line.livestream_id
    cart.updated_at = utcnow()
    db.session.flush()
    return line


def set_quantity(cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Change a line's quantity; 0 removes it. The buyer now sees today's price for it."""
    line = _line(cart, line_id)
    if quantity == 0:
        return remove(cart, line_id)
    _check_quantity(line.product, quantity)
    line.quantity = quantity
    line.price_seen_vnd = line.product.price_vnd
    cart.updated_at = utcnow()
    db.session.flush()
    return line


def remove(cart: Cart, line_id: int) -> None:
    cart.lines.remove(_line(cart, line_id))
    cart.updated_at = utcnow()
    db.session.flush()


def remove_products(cart: Cart, product_ids: set[int]) -> None:
    for line in [ln for ln in cart.lines if ln.product_id in product_ids]:
        cart.lines.remove(line)
    db.session.flush()


# --- What the buyer is shown -------------------------------------------------------------------


def problems(line: CartLine) -> list[Problem]:
    """What is wrong with a line today, by the catalogue's one availability rule."""
    product = line.product
    if product.status not in (ProductStatus.ON_SALE, ProductStatus.SOLD_OUT):
        return [Problem.WITHDRAWN]
    if not available_to_buy(product):
        return [Problem.SOLD_OUT]
    found = []
    if line.quantity < product.min_order:
        found.append(Problem.BELOW_MINIMUM)
    if line.quantity > product.stock:
        found.append(Problem.NOT_ENOUGH)
    if product.price_vnd != line.price_seen_vnd:
        found.append(Problem.PRICE_CHANGED)
    return found


@dataclass
class ReviewedLine:
    line: CartLine
    problems: list[Problem]

    @property
    def product(self) -> Product:
        return self.line.product

    @property
    def orderable(self) -> bool:
        return not BLOCKING.intersection(self.problems)

    @property
    def line_total_vnd(self) -> int:
        return self.product.price_vnd * self.line.quantity


@dataclass
class ProducerGroup:
    producer: Producer
    lines: list[ReviewedLine] = field(default_factory=list)

    @property
    def goods_vnd(self) -> int:
        return sum(rl.line_total_vnd for rl in self.lines if rl.orderable)


@dataclass
class Review:
    groups: list[ProducerGroup]

    @property
    def lines(self) -> list[ReviewedLine]:
        return [rl for group in self.groups for rl in group.lines]

    @property
    def total_vnd(self) -> int:
        return sum(group.goods_vnd for group in self.groups)

    @property
    def blocked(self) -> bool:
        return any(not rl.orderable for rl in self.lines)

    @property
    def empty(self) -> bool:
        return not self.lines

    @property
    def count(self) -> int:
        return sum(rl.line.quantity for rl in self.lines)


def review(cart: Cart | None) -> Review:
    """The cart line by line with today's catalogue, grouped by producer (one order each)."""
    groups: OrderedDict[int, ProducerGroup] = OrderedDict()
    for line in cart.lines if cart else []:
        producer = line.product.producer
        groups.setdefault(producer.id, ProducerGroup(producer)).lines.append(ReviewedLine(line, problems(line)))
    return Review(list(groups.values()))


def put_back_in_cart(cart: Cart, orders) -> None:
    """Put an abandoned checkout's lines back in the cart (a card payment given up), so the buyer
    can choose another way to pay without choosing the products again. Products no longer on sale
    come back too: the cart then says so, line by line."""
    by_product = {line.product_id: line for line in cart.lines}
    for order in orders:
        for ordered in order.lines:
            if ordered.product_id is None or ordered.product_id in by_product:
                continue
            line = CartLine(product_id=ordered.product_id, quantity=ordered.quantity,
                            price_seen_vnd=ordered.unit_price_vnd, livestream_id=ordered.livestream_id,
                            added_at=utcnow())
            cart.lines.append(line)
            by_product[ordered.product_id] = line
    cart.updated_at = utcnow()
    db.session.flush()
