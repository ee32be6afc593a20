from __future__ import annotations

from app.accounts.models import User
from app.extensions import db


def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
