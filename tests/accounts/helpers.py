"""Small helpers shared by the account tests."""

from __future__ import annotations

from app.extensions import db
from tests.factories import PASSWORD, UserFactory

__all__ = ["PASSWORD", "is_logged_in", "make_user"]


def make_user(app, **fields) -> int:
    """Create and commit an account; return its id."""
    with app.app_context():
        user = UserFactory(**fields)
        db.session.commit()
        return user.id


def is_logged_in(client) -> bool:
    """What a person sees: their account page opens, instead of a request to log in."""
    return client.get("/tai-khoan").status_code == 200
