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

from app.accounts import services as accounts
from app.catalog.home import home_page
from app.common.access import Audience, declare
from app.common.timezone import utcnow
from app.common.urls import safe_next
from app.cooperatives import services as cooperatives
from app.extensions import db
from app.livestreams import queries
from app.main.i18n import LANGUAGE_COOKIE

bp = Blueprint("main", __name__)
declare(bp, Audience.ANYONE)

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


def _switch_language(language: str):
    """Back to the page the visitor was on, with the language cookie set when language is offered."""
    target = safe_next(request.values.get("next"), url_for("main.home"))
    response = make_response(redirect(target))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


@bp.get("/ngon-ngu/<language>")
def set_language(language: str):
    """Old links and links shared around: the cookie only. A GET never writes to the database."""
    return _switch_language(language)


@bp.post("/ngon-ngu/<language>")
def choose_language(language: str):
    """The header's switch (a CSRF-protected form): the cookie, and the account when signed in,
    so mail reaches the person in the language they chose."""
    response = _switch_language(language)
    if language in current_app.config["LANGUAGES"] and current_user.is_authenticated:
        accounts.remember_language(current_user._get_current_object(), language)
        db.session.commit()
    return response


@bp.get("/media/<path:filename>")
def media(filename: str):
    """Uploaded photos. Names are content hashes, so a name never changes meaning: cache forever."""
    response = send_from_directory(current_app.config["UPLOAD_DIR"], filename, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
