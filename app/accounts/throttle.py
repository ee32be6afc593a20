"""Slowing down password guessing: failure counters per account, per login and per address.

Each counter is a row locked for the length of the login's transaction, so parallel guesses
wait for each other. The rule: every `limit` failures within a window lock the key, for one
window the first time and twice as long after each further lockout, up to a cap.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import LoginThrottle, User
from app.common.timezone import utcnow
from app.extensions import db

# A lock lasts one failure window, doubles with each further lockout, and stops growing here.
DEFAULT_MAX_LOCK_SECONDS = 4 * 3600


def account_key(user: User) -> str:
    return f"account:{user.id}"


def unknown_login_key(identifier: str) -> str:
    """Key for a login no account has, counted like a real one so a lockout reveals nothing.

    Hashed: the column is short, and what strangers type should not be stored readable.
    """
    return "login:" + hashlib.sha256(identifier.encode()).hexdigest()[:40]


def address_key(address: str | None) -> str:
    """Key for the client address. An IPv6 client usually holds a whole /64, so count that."""
    if not address:
        return "address:unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "address:" + address[:100]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return "address:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return f"address:{ip}"


def limits() -> tuple[int, int, timedelta, timedelta]:
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"])
    cap = timedelta(seconds=config.get("LOGIN_LOCK_MAX_SECONDS") or DEFAULT_MAX_LOCK_SECONDS)
    return config["LOGIN_FAILURE_LIMIT"], config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"], window, cap


def _insert(dialect_name: str):
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def acquire(key: str, now: datetime) -> LoginThrottle:
    """The counter for key, created if missing and locked until the transaction ends.

    Holding the row while the password is checked makes parallel guesses at one account wait
    for each other, so a burst of requests cannot slip past the limit.
    """
    insert = _insert(db.engine.dialect.name)
    db.session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, window_started_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return db.session.execute(
        select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def locked_until(row: LoginThrottle | None, now: datetime) -> datetime | None:
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def count_failure(row: LoginThrottle, limit: int, now: datetime) -> datetime | None:
    """Count one failure; return the end of the lock if this failure started one.

    Failures are counted in a window that starts at the first of them. Every `limit` failures
    lock the key, for one window the first time and twice as long each time after, up to the
    cap. The count is forgotten once a window passes without failures after the last lock.
    """
    _, _, window, cap = limits()
    if row.locked_until is not None:
        if now >= row.locked_until + window:
            row.failures, row.window_started_at, row.locked_until = 0, now, None
    elif now >= row.window_started_at + window:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    limit = max(limit, 1)
    if row.failures % limit:
        return None
    lockouts = row.failures // limit
    duration = min(window * 2 ** min(lockouts - 1, 16), cap)
    row.locked_until = now + duration
    return row.locked_until


def discard_if_unused(rows: Iterable[LoginThrottle]) -> None:
    for row in rows:
        if row.failures == 0 and row.locked_until is None:
            db.session.delete(row)


def lock_until(key: str, now: datetime | None = None) -> datetime | None:
    """When the lock on key ends, or None if it is not locked."""
    row = db.session.get(LoginThrottle, key, populate_existing=True)
    return locked_until(row, now or utcnow())


def record_failure(key: str, limit: int, now: datetime | None = None) -> LoginThrottle:
    """Count one failed attempt for key (see count_failure for the rule)."""
    now = now or utcnow()
    row = acquire(key, now)
    count_failure(row, limit, now)
    db.session.flush()
    return row


def clear_failures(key: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def forget_stale_throttles(now: datetime | None = None) -> int:
    """Delete counters nobody needs any more: no lock in force and a quiet window since."""
    now = now or utcnow()
    _, _, window, _ = limits()
    cutoff = now - window
    result = db.session.execute(
        delete(LoginThrottle).where(
            or_(
                (LoginThrottle.locked_until.is_(None)) & (LoginThrottle.window_started_at < cutoff),
                LoginThrottle.locked_until < cutoff,
            )
        )
    )
    return result.rowcount or 0
