"""Public catalogue pages: product list and search, product page, producers."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from app.catalog import queries, stock, units
from app.catalog.forms import STATUS_LABELS, parse_filters
from app.catalog.presenters import product_json_ld
from app.catalog.sections import producer_page, product_page
from app.common.access import Audience, declare
from app.common.pagination import page_number

bp = Blueprint("catalog", __name__)
declare(bp, Audience.ANYONE)


@bp.get("/san-pham")
def product_list():
    filters, page, errors = parse_filters(request.args)
    products = queries.list_products(filters, page, current_app.config["PRODUCTS_PER_PAGE"])
    return (
        render_template(
            "catalog/product_list.html",
            products=products,
            filters=filters,
            errors=errors,
            choices=queries.filter_choices(filters),
        ),
        400 if errors else 200,
    )


@bp.get("/san-pham/<slug>")
def product_detail(slug: str):
    product = queries.product_for_page(slug, current_user)
    if product is None:
        abort(404)
    return render_template(
        "catalog/product_detail.html",
        product=product,
        json_ld=product_json_ld(product),
        sections=product_page.call_each(product),
    )


@bp.get("/nha-vuon")
def producer_list():
    producers = queries.list_producers(page_number(request.args))
    return render_template("catalog/producer_list.html", producers=producers)


@bp.get("/nha-vuon/<slug>")
def producer_detail(slug: str):
    producer = queries.producer_by_slug(slug)
    if producer is None:
        abort(404)
    filters, page, _errors = parse_filters(request.args)
    filters.producer_id = producer.id
    products = queries.list_products(filters, page, current_app.config["PRODUCTS_PER_PAGE"])
    return render_template(
        "catalog/producer_detail.html",
        producer=producer,
        products=products,
        sections=producer_page.call_each(producer),
    )


@bp.app_template_global()
def unit_label(product) -> str:
    return units.unit_label(product.unit, product.net_weight_grams)


@bp.app_template_global()
def quantity_label(product, count: int) -> str:
    """count of product's selling unit in words: "30 thùng 10 kg", "30 boxes of 10 kg"."""
    return units.quantity_text(count, product.unit, product.net_weight_grams)


@bp.app_template_global()
def stock_reason_label(reason) -> str:
    return str(stock.REASON_LABELS[reason])


@bp.app_template_global()
def status_label(status) -> str:
    return str(STATUS_LABELS[status])
