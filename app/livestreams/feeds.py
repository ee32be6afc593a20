"""Which lives a calendar feed holds (calendar.py writes them as iCalendar).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.catalog.models import Producer
from app.common.timezone import utcnow
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.models import (
    Livestream,
)
from app.livestreams.queries import with_producer

FEED_HISTORY = timedelta(days=60)
# A feed holds the next lives first and then the most recent past ones. 130 events are written in
# about 10 ms (make bench, "calendar feed, after a change"), and calendar apps keep the past events
# they have seen.
FEED_AHEAD = 100
FEED_PAST = 30


def feed_lives(
    now: datetime | None = None, cooperative: Cooperative | None = None, producer: Producer | None = None
) -> list[Livestream]:
    """Lives for a calendar feed, cancelled ones included: the next 100 and up to 30 from the last two months."""
    now = now or utcnow()
    conditions = []
    if cooperative is not None:
        conditions.append(Livestream.cooperative_id == cooperative.id)
    if producer is not None:
        conditions.append(with_producer(producer))
    query = sa.select(Livestream).options(joinedload(Livestream.cooperative), joinedload(Livestream.producer))
    ahead = db.session.execute(
        query.where(*conditions, Livestream.ends_at >= now)
        .order_by(Livestream.starts_at, Livestream.id)
        .limit(FEED_AHEAD)
    ).scalars().all()
    past = db.session.execute(
        query.where(*conditions, Livestream.ends_at < now, Livestream.ends_at >= now - FEED_HISTORY)
        .order_by(Livestream.starts_at.desc(), Livestream.id.desc())
        .limit(FEED_PAST)
    ).scalars().all()
    return [*reversed(past), *ahead]
