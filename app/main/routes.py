from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.catalog.home import home_page
from app.common.timezone import utcnow
from app.common.urls import safe_next
from app.cooperatives import services as cooperatives
from app.extensions import db
from app.livestreams import queries
from app.main.i18n import LANGUAGE_COOKIE

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def home():
    now = utcnow()
    return render_template(
        "main/home.html",
        **home_page(),
        cooperatives=cooperatives.home_cooperatives(),
        next_lives=queries.next_lives(now, limit=3),
        now=now,
    )


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "database": "up"}, 200


@bp.route("/ngon-ngu/<language>", methods=["GET", "POST"])
def set_language(language: str):
    """Switch language and remember it in a cookie (and on the account, when signed in)."""
    target = safe_next(request.values.get("next"), url_for("main.home"))
    response = make_response(redirect(target))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="Lax", httponly=True)
        if current_user.is_authenticated and current_user.locale != language:
            current_user.locale = language
            db.session.commit()
    return response


@bp.get("/media/<path:filename>")
def media(filename: str):
    """Uploaded photos. Names are content hashes, so a name never changes meaning: cache forever."""
    response = send_from_directory(current_app.config["UPLOAD_DIR"], filename, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
