"""Time: stored in UTC, shown and entered in Vietnam's time (UTC+7, no daylight saving)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from app.common.i18n import current_language

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def local_to_utc(moment: datetime) -> datetime:
    """A time typed into a form (naive, Vietnam's clock) as an aware UTC time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(UTC)


def with_zone(text: str) -> str:
    """A time on Vietnam's clock as a reader should take it. Someone reading Vietnamese is nearly
    always here, and "giờ Việt Nam" after every time would be noise; someone reading English may
    be abroad (a buyer overseas, a relative in another time zone) and needs to be told."""
    if not text or current_language() == "vi":
        return text
    return gettext("%(time)s giờ Việt Nam", time=text)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database.

    SQLite has no time-zone type and hands back naive values; this stores UTC and always
    returns an aware datetime, so comparisons behave the same on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
