from flask import Blueprint

bp = Blueprint("accounts", __name__)


@bp.route("/dang-nhap")
def login():
    return ""


@bp.post("/dang-xuat")
def logout():
    return ""
