from flask import Blueprint

bp = Blueprint("cooperatives", __name__)


@bp.get("/hop-tac-xa")
def cooperative_list():
    return ""
