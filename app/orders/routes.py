"""The buyer's side: the cart, checkout, and the order pages a guest reaches by a private link.

Each view loads, checks, calls a service in app.orders and commits once. A broken rule comes
back as a message with a 4xx status and the buyer's cart and typed details intact.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in
from sqlalchemy.exc import IntegrityError

from app.catalog.models import PUBLIC_STATUSES, Product
from app.catalog.stock import OutOfStock
from app.common.access import Audience, declare
from app.common.errors import RuleBroken
from app.common.forms import show_error
from app.common.i18n import current_language
from app.common.urls import safe_next
from app.extensions import db
from app.orders import cart as carts
from app.orders import checkout, delivery, labels, sections
from app.orders.forms import PAYMENT_CHOICES, CheckoutForm
from app.orders.models import Checkout, PaymentMethod
from app.places.forms import default_province_id, fill_place_choices

bp = Blueprint("orders", __name__)
declare(bp, Audience.ANYONE)

CART_TOKEN = "cart"  # the session key naming a visitor's cart
CART_COUNT = "cart_count"  # units in the cart, for the header, without a query on every page

# Service names for values, and the checkout form's names for them.
FIELD_NAMES = {"province": "province_id", "commune": "commune_id"}


def _signed_in_user():
    return current_user if current_user.is_authenticated else None


def current_cart(create: bool = False):
    """The cart of the person making this request (their account's, or their session's)."""
    user = _signed_in_user()
    if create:
        cart = carts.find_or_create(user, session.get(CART_TOKEN))
        if user is None:
            session[CART_TOKEN] = cart.token
            session.permanent = True  # a visitor's cart outlives closing the browser
        return cart
    return carts.find(user, session.get(CART_TOKEN))


def _count(review: carts.Review) -> None:
    session[CART_COUNT] = review.count


# Every page and mail that lists an order's lines (the buyer's, the seller's, the delivery note)
# words the line's unit in its reader's language.
bp.add_app_template_global(labels.line_unit, "line_unit")
bp.add_app_template_global(labels.line_quantity, "line_quantity")


@bp.record_once
def _merge_carts_on_sign_in(state) -> None:
    """A visitor who signs in keeps what they chose: it joins the cart saved on their account."""

    def merge(sender, user, **extra):
        token = session.pop(CART_TOKEN, None)
        if token:
            merged = carts.merge_on_sign_in(user, token)
            db.session.commit()
            if merged is not None:
                _count(carts.review(merged))

    user_logged_in.connect(merge, state.app, weak=False)


def _whole_number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _cart_page(message: str | None = None, http_status: int = 200):
    review = carts.review(current_cart())
    _count(review)
    return render_template("orders/cart.html", review=review, error=message, problem_labels=PROBLEM_LABELS), http_status


PROBLEM_LABELS = {
    carts.Problem.WITHDRAWN: lambda line: _("Người bán đã ngừng bán sản phẩm này. Hãy bỏ khỏi giỏ."),
    carts.Problem.SOLD_OUT: lambda line: _("Đã hết hàng. Hãy bỏ khỏi giỏ."),
    carts.Problem.NOT_ENOUGH: lambda line: _(
        "Chỉ còn %(stock)d, ít hơn số bạn chọn. Hãy giảm số lượng.", stock=line.product.stock
    ),
    carts.Problem.BELOW_MINIMUM: lambda line: _(
        "Người bán nay nhận tối thiểu %(min)d. Hãy tăng số lượng.", min=line.product.min_order
    ),
    carts.Problem.PRICE_CHANGED: lambda line: _("Giá đã đổi kể từ khi bạn thêm vào giỏ."),
}


@bp.get("/gio-hang")
def cart():
    return _cart_page()


@bp.post("/gio-hang/them")
def add_to_cart():
    product_id = _whole_number(request.form.get("product_id"))
    product = db.session.get(Product, product_id) if product_id else None
    if product is None or product.status not in PUBLIC_STATUSES:
        abort(404)
    quantity = None
    if request.form.get("quantity", "").strip():
        quantity = _whole_number(request.form["quantity"])
        if not quantity:
            return _cart_page(_("Số lượng phải là số nguyên lớn hơn 0."), 400)
    try:
        carts.add(current_cart(create=True), product, quantity, _whole_number(request.form.get("live")))
    except RuleBroken as error:
        db.session.rollback()
        return _cart_page(str(error.message), 409 if not product.in_stock else 400)
    db.session.commit()
    _count(carts.review(current_cart()))
    flash(_("Đã thêm “%(name)s” vào giỏ.", name=product.name), "success")
    return redirect(safe_next(request.form.get("next"), url_for("orders.cart")), 303)


@bp.post("/gio-hang/<int:line_id>")
def update_line(line_id: int):
    cart = current_cart()
    if cart is None:
        return redirect(url_for("orders.cart"), 303)
    chosen = request.form.get("quantity", "")
    quantity = _whole_number(request.form.get("typed") if chosen == "typed" else chosen)
    if quantity is None:
        return _cart_page(_("Số lượng phải là số nguyên, 0 để bỏ khỏi giỏ."), 400)
    try:
        carts.set_quantity(cart, line_id, quantity)
    except RuleBroken as error:
        db.session.rollback()
        return _cart_page(str(error.message), 400)
    db.session.commit()
    return redirect(url_for("orders.cart"), 303)


@bp.post("/gio-hang/<int:line_id>/xoa")
def remove_line(line_id: int):
    cart = current_cart()
    if cart is not None:
        try:
            carts.remove(cart, line_id)
        except RuleBroken:
            db.session.rollback()  # already gone: nothing to do
        else:
            db.session.commit()
    return redirect(url_for("orders.cart"), 303)


# --- Checkout ---------------------------------------------------------------------------------


def _checkout_form(review: carts.Review) -> CheckoutForm:
    form = CheckoutForm()
    offered = checkout.offered_methods(group.producer for group in review.groups)
    form.payment_method.choices = [(m.value, str(PAYMENT_CHOICES[m])) for m in PaymentMethod if m in offered]
    if request.method == "GET":
        form.submission_key.data = secrets.token_urlsafe(24)
        form.province_id.data = default_province_id()
        user = _signed_in_user()
        if user is not None:
            form.name.data, form.email.data = user.full_name, user.email
            form.phone.data = user.phone or ""
            last = checkout.last_address(user)
            if last is not None:
                form.name.data, form.phone.data = last.buyer_name, last.buyer_phone
                for name in ("province_id", "commune_id", "commune_name", "village", "street"):
                    getattr(form, name).data = getattr(last, name)
    return form


def _delivery_choices(review: carts.Review, plans) -> dict[int, str]:
    """Each producer's choice as posted, else pickup when that is all they offer, else delivery."""
    choices = {}
    for group in review.groups:
        posted = request.form.get(f"delivery_{group.producer.id}")
        plan = plans.get(group.producer.id)
        points = delivery.pickup_points(plan)
        only_pickup = plan is not None and not plan.zones and not plan.ships_nationwide and points
        choices[group.producer.id] = posted or (str(points[0].id) if only_pickup else delivery.ADDRESS)
    return choices


def _buyer(form: CheckoutForm) -> checkout.BuyerDetails:
    return checkout.BuyerDetails(
        name=form.name.data or "", phone=form.phone.data or "", email=form.email.data or None,
        province_id=form.province_id.data or None, commune_id=form.commune_id.data or None,
        commune_name=form.commune_name.data or "", village=form.village.data or "",
        street=form.street.data or "", note=form.note.data or "",
    )


def _values(form: CheckoutForm, choices: dict[int, str]) -> checkout.CheckoutValues:
    return checkout.CheckoutValues(
        buyer=_buyer(form),
        delivery=choices,
        payment_method=PaymentMethod(form.payment_method.data),
        submission_key=(form.submission_key.data or "")[:64] or secrets.token_urlsafe(24),
        language=current_language(),
        user=_signed_in_user(),
    )


def _checked(form: CheckoutForm, review: carts.Review, choices: dict[int, str]) -> bool:
    """The form's own checks and every buyer-details rule of the checkout, on one submit, so the
    buyer sees all that is missing at once; placing the order checks them again."""
    valid = form.validate()
    address_needed = checkout.needs_address(choices, (group.producer.id for group in review.groups))
    _, problems = checkout.buyer_problems(_buyer(form), address_needed)
    for problem in problems:
        if not getattr(form, FIELD_NAMES.get(problem.field, problem.field)).errors:
            show_error(form, problem, FIELD_NAMES)
    return valid and not problems


def _after_placing(placed: Checkout):
    if placed.payment_method == PaymentMethod.CARD and placed.stripe_session_id is None:
        endpoint = sections.card_checkout_endpoint.first()
        if endpoint:
            return redirect(url_for(endpoint, token=placed.access_token), 303)
    return redirect(url_for("orders.checkout_status", token=placed.access_token), 303)


@bp.route("/thanh-toan", methods=["GET", "POST"])
def checkout_page():
    key = request.form.get("submission_key", "")
    if request.method == "POST" and key:
        earlier = checkout.existing(key[:64])
        if earlier is not None:  # the same form again: a double tap, the back button, a retry
            return _after_placing(earlier)
    cart = current_cart()
    review = carts.review(cart)
    if review.empty:
        flash(_("Giỏ hàng của bạn đang trống."), "error")
        return redirect(url_for("orders.cart"), 303)
    form = _checkout_form(review)
    plans = delivery.plans_for(group.producer for group in review.groups)
    choices = _delivery_choices(review, plans)
    http_status = 200
    if request.method == "POST":
        http_status = 400
        if request.form.get("action") == "place" and _checked(form, review, choices):
            try:
                placed = checkout.place(cart, _values(form, choices))
                db.session.commit()
            except IntegrityError:
                # The same form submitted twice at once: the other request made the checkout.
                db.session.rollback()
                earlier = checkout.existing(form.submission_key.data)
                if earlier is None:
                    raise
                return _after_placing(earlier)
            except RuleBroken as error:
                db.session.rollback()
                if isinstance(error, OutOfStock):
                    http_status = 409
                return _render_checkout(form, current_cart(), choices, error, http_status)
            session[CART_COUNT] = 0
            return _after_placing(placed)
        if request.form.get("action") != "place":
            http_status = 200  # "recompute the delivery fees": not an error
    return _render_checkout(form, cart, choices, None, http_status, plans)


def _render_checkout(form: CheckoutForm, cart, choices: dict[int, str], error: RuleBroken | None, http_status: int,
                     plans: dict | None = None):
    """The form with each producer's quote. plans: the delivery plans already loaded, if still
    current (after a rollback they are not, and are read again)."""
    fill_place_choices(form)  # only to show the form: placing an order does not need the lists
    quoted = checkout.plan(cart, choices, form.commune_id.data or None, has_address=bool(form.commune_name.data),
                           plans=plans)
    review, plans = quoted.review, quoted.delivery_plans
    delivery_errors = {pid: str(e.message) for pid, e in quoted.errors.items()}
    if error is not None:
        if error.field and error.field.startswith("delivery_"):
            delivery_errors[int(error.field.removeprefix("delivery_"))] = str(error.message)
        else:
            show_error(form, error, FIELD_NAMES)
    return render_template(
        "orders/checkout.html", form=form, review=review, quoted=quoted, plans=plans, choices=choices,
        pickup_points=delivery.pickup_points, delivery_errors=delivery_errors, ADDRESS=delivery.ADDRESS,
        problem_labels=PROBLEM_LABELS,
    ), http_status


@bp.app_context_processor
def cart_count():
    return {"cart_count": session.get(CART_COUNT, 0) if current_app else 0}


# The buyer's pages after checkout live in their own module, on this blueprint.
from app.orders import buyer_pages  # noqa: E402,F401  (registers its views)
