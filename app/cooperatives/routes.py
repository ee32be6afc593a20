"""Public cooperative pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from app.catalog import services as catalog
from app.catalog.forms import parse_filters
from app.cooperatives import services

bp = Blueprint("cooperatives", __name__)


@bp.get("/hop-tac-xa")
def cooperative_list():
    return render_template("cooperatives/list.html", cooperatives=services.list_cooperatives())


@bp.get("/hop-tac-xa/<slug>")
def cooperative_detail(slug: str):
    cooperative = services.cooperative_by_slug(slug)
    if cooperative is None:
        abort(404)
    filters, page, _errors = parse_filters(request.args)
    filters.cooperative_id = cooperative.id
    products = catalog.list_products(filters, page, current_app.config["PRODUCTS_PER_PAGE"])
    return render_template("cooperatives/detail.html", cooperative=cooperative, products=products)
