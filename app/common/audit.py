"""Who changed what, and when: one row per change, written in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
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
    # Only the fields that changed, as {"field": [old, new]} or a short description.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(actor, action: str, subject, changes: dict[str, Any] | None = None) -> AuditEntry:
    """Add an audit entry for a change to subject. The caller's transaction commits it."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        changes=changes or {},
    )
    db.session.add(entry)
    return entry


def diff(subject, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply values to subject and return what actually changed, for the audit entry."""
    changed = {}
    for field, new in values.items():
        old = getattr(subject, field)
        if old != new:
            changed[field] = [_plain(old), _plain(new)]
            setattr(subject, field, new)
    return changed


def _plain(value: Any) -> Any:
    if hasattr(value, "value"):  # enums
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value
