"""Who changed what, and when: one row per change, written in the same transaction.

Personal data stays out of the log. A model marks each such column where it is declared,
and that is the only way to do it::

    phone: Mapped[str | None] = mapped_column(String(16), info={"sensitive": True})

``record`` and ``diff`` then keep only the field's name and the word ``"changed"`` for it,
whatever the caller passes, so no service can copy a phone number or a password hash into an
audit row by forgetting a rule.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, inspect
from sqlalchemy.orm import Mapped, mapped_column

from app.common.timezone import UTCDateTime, utcnow
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    # Only the fields that changed, as {"field": [old, new]} or a short description; a sensitive
    # field as {"field": "changed"}.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


CHANGED = "changed"  # what is kept of a sensitive field's change: that it happened


@cache
def sensitive_fields(model: type) -> frozenset[str]:
    """The attribute names of model whose columns are declared with info={"sensitive": True}."""
    mapper = inspect(model, raiseerr=False)
    if mapper is None:
        return frozenset()
    return frozenset(
        attribute.key
        for attribute in mapper.column_attrs
        if any(column.info.get("sensitive") for column in attribute.columns)
    )


def redact(subject, changes: dict[str, Any]) -> dict[str, Any]:
    """changes, with the value of each of subject's sensitive fields replaced by CHANGED."""
    hidden = sensitive_fields(type(subject))
    return {field: CHANGED if field in hidden else value for field, value in changes.items()}


def record(actor, action: str, subject, changes: dict[str, Any] | None = None) -> AuditEntry:
    """Add an audit entry for a change to subject. The caller's transaction commits it.

    Sensitive fields of subject keep only their name, whatever changes holds for them.
    """
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        changes=redact(subject, changes or {}),
    )
    db.session.add(entry)
    return entry


def diff(subject, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply values to subject and return what actually changed, for the audit entry.

    A sensitive field's old and new values are never put in the result: only CHANGED.
    """
    hidden = sensitive_fields(type(subject))
    changed: dict[str, Any] = {}
    for field, new in values.items():
        old = getattr(subject, field)
        if old != new:
            changed[field] = CHANGED if field in hidden else [_plain(old), _plain(new)]
            setattr(subject, field, new)
    return changed


def _plain(value: Any) -> Any:
    if hasattr(value, "value"):  # enums
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value
