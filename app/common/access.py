"""Who may open which page: the outer gate, refused by default.

Each blueprint declares its audience once, where it is created::

    bp = Blueprint("manage", __name__, url_prefix="/quan-ly")
    declare(bp, Audience.SELLER)

and a view that differs from its blueprint says so with ``@audience(Audience.SIGNED_IN)``.
One ``before_request`` check (installed by the factory with ``install``) looks the endpoint's
audience up and refuses a request when there is none: a route whose author forgot is closed,
not open. Object rules (whose product, which cooperative) stay in the domain services; this
gate only says which kind of person may knock.

``common`` knows no domain, so audiences name roles by their stored names (the values of
``accounts.models.Role``); a test keeps the two in step.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, Flask, current_app, request
from flask_login import current_user
from werkzeug.exceptions import Forbidden

View = TypeVar("View", bound=Callable)

_ATTRIBUTE = "access_audience"


class Audience(enum.Enum):
    ANYONE = "anyone"  # anonymous visitors included
    SIGNED_IN = "signed_in"  # any account
    SELLER = "seller"  # producers and cooperative managers
    OFFICER = "officer"  # poverty-reduction programme officers
    ADMIN = "admin"


# Role names admitted by each audience that needs a role. Administrators are admitted everywhere.
ROLES_ADMITTED: dict[Audience, frozenset[str]] = {
    Audience.SELLER: frozenset({"producer", "cooperative_manager", "admin"}),
    Audience.OFFICER: frozenset({"officer", "admin"}),
    Audience.ADMIN: frozenset({"admin"}),
}


class AudienceRefused(Forbidden):
    """A signed-in person without the role the page is for; the error page may say how to get it."""

    def __init__(self, audience: Audience | None):
        super().__init__()
        self.audience = audience


def declare(blueprint: Blueprint, default: Audience) -> Blueprint:
    """Declare who may use every view of blueprint, unless a view says otherwise."""
    setattr(blueprint, _ATTRIBUTE, default)
    return blueprint


def audience(who: Audience) -> Callable[[View], View]:
    """Declare the audience of one view when it differs from its blueprint's.

    The function itself is marked (not wrapped), so the decorator may sit above or below the
    route decorator.
    """

    def mark(view: View) -> View:
        setattr(view, _ATTRIBUTE, who)
        return view

    return mark


def declare_endpoint(app: Flask, endpoint: str, who: Audience) -> None:
    """Declare the audience of one of the application's own endpoints (those outside blueprints)."""
    app.extensions.setdefault("access", {})[endpoint] = who


def audience_of(app: Flask, endpoint: str) -> Audience | None:
    """The declared audience of endpoint, or None when nobody declared one."""
    view = app.view_functions.get(endpoint)
    declared = getattr(view, _ATTRIBUTE, None)
    if declared is not None:
        return declared
    if "." not in endpoint:
        return app.extensions.get("access", {}).get(endpoint)
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    return getattr(blueprint, _ATTRIBUTE, None)


def admits(who: Audience | None, user) -> bool:
    """Whether user (Flask-Login's current user, possibly anonymous) belongs to the audience."""
    if who is None:
        return False
    if who is Audience.ANYONE:
        return True
    if user is None or not user.is_authenticated:
        return False
    if who is Audience.SIGNED_IN:
        return True
    return any(role.value in ROLES_ADMITTED[who] for role in user.roles)


def check_request():
    """The gate: let the request through, send an anonymous visitor to log in, or refuse it."""
    if request.routing_exception is not None:
        return None  # 404 or 405: nothing is served, let Flask answer it
    who = audience_of(current_app, request.endpoint)
    if admits(who, current_user):
        return None
    if who is not None and who is not Audience.ANYONE and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    raise AudienceRefused(who)


def install(app: Flask) -> None:
    declare_endpoint(app, "static", Audience.ANYONE)
    app.before_request(check_request)
