"""Lives as iCalendar (RFC 5545): one file per live, and feeds that calendar apps re-fetch.

Each event keeps the live's UID for life and carries its SEQUENCE, so an app that re-reads a
feed after the host moved or cancelled a live updates the entry it has instead of adding one.
Times are written in UTC ("...Z"), which needs no VTIMEZONE block.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from app.common.timezone import utcnow
from app.livestreams.models import HostState, Livestream

PRODID = "-//Chợ Phiên//Lịch livestream//VI"
CONTENT_TYPE = "text/calendar; charset=utf-8"
REMINDER_BEFORE = timedelta(minutes=15)
# How often calendar apps that honour these properties should re-read a feed.
REFRESH_INTERVAL = timedelta(hours=1)  # also written as PT1H for X-PUBLISHED-TTL


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def livestream_event(live: Livestream, page_url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", live.uid)
    event.add("dtstamp", _utc(stamp))
    event.add("created", _utc(live.created_at))
    event.add("last-modified", _utc(live.updated_at))
    event.add("sequence", live.sequence)
    event.add("dtstart", _utc(live.starts_at))
    event.add("dtend", _utc(live.ends_at))
    event.add("summary", f"{live.title} · {live.host_name}")
    description = "\n\n".join(part for part in (live.description.strip(), live.url, page_url) if part)
    event.add("description", description)
    event.add("url", page_url)
    # Calendar apps show the location as a tappable line: the live itself.
    event.add("location", live.url)
    cancelled = live.host_state == HostState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # watching a live does not make a person busy
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", live.title)
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    return event


def build_calendar(
    lives: Iterable[Livestream],
    page_url: Callable[[Livestream], str],
    name: str,
    now: datetime | None = None,
) -> bytes:
    """The calendar text of lives, named `name` in apps that show a calendar's name."""
    stamp = now or utcnow()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for live in lives:
        calendar.add_component(livestream_event(live, page_url(live), stamp))
    return calendar.to_ical()


def fingerprint(lives: Iterable[Livestream], page_url: Callable[[Livestream], str], name: str) -> str:
    """A digest of everything an event shows, cheap to take: the feed's ETag and cache key.

    Every write to a live moves its updated_at (and a calendar-visible one its SEQUENCE); the host's
    name and the page address are added because they change without touching the live.
    """
    digest = hashlib.sha256(name.encode())
    for live in lives:
        digest.update(
            f"{live.uid}|{live.sequence}|{live.updated_at.isoformat()}|{live.host_state.value}|"
            f"{live.host_name}|{page_url(live)}\n".encode()
        )
    return digest.hexdigest()[:32]


class FeedCache:
    """The last few feeds built, by fingerprint.

    Calendar apps re-read the same feed every hour or so, and building one of 500 events takes
    about a quarter of a second; an unchanged feed is served from here (or as 304 Not Modified).
    """

    def __init__(self, size: int = 16):
        self.size = size
        self._feeds: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: str, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._feeds:
                self._feeds.move_to_end(key)
                return self._feeds[key]
        body = build()
        with self._lock:
            self._feeds[key] = body
            while len(self._feeds) > self.size:
                self._feeds.popitem(last=False)
        return body

    def clear(self) -> None:
        with self._lock:
            self._feeds.clear()


feed_cache = FeedCache()
