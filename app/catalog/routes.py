from flask import Blueprint

bp = Blueprint("catalog", __name__)


@bp.get("/san-pham")
def product_list():
    return ""


@bp.get("/nha-vuon")
def producer_list():
    return ""
