"""The database connection rules every environment shares."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Enum, event
from sqlalchemy.engine import Engine


def _foreign_keys_on(dbapi_connection, connection_record) -> None:
    # SQLite ignores REFERENCES and ON DELETE unless each connection asks for them; without
    # this a row that others point at could be deleted in development and tests while
    # PostgreSQL would refuse it.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def enforce_foreign_keys(engine: Engine) -> None:
    """Every new SQLite connection of engine enforces foreign keys, as PostgreSQL always does."""
    if not event.contains(engine, "connect", _foreign_keys_on):
        event.listen(engine, "connect", _foreign_keys_on)


def stored_enum(enum_class, length: int = 30) -> Enum:
    """A Python enum stored as its values in a plain string column (no database enum type), so
    adding a member needs no ALTER TYPE and SQLite and PostgreSQL store the same text."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])
