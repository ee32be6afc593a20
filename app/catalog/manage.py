from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/quan-ly")


@bp.get("/")
def dashboard():
    return ""
