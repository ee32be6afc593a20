"""Lives as iCalendar (RFC 5545): one file per live, and feeds that calendar apps re-fetch.

Each event keeps the live's UID for life and carries its SEQUENCE, so an app that re-reads a
feed after the host moved or cancelled a live updates the entry it has instead of adding one.
Times are written in UTC ("...Z"), which needs no VTIMEZONE block.

The text is written here rather than through the icalendar package's components: a feed holds
130 events of the same dozen properties, and the package's general machinery (a parameter
object, time-zone lookups and a content-line object per property) took about 1.5 ms per event,
so a changed feed took 200 ms to build on a busy server; written directly it takes a few. Only
four kinds of value occur (TEXT, UTC DATE-TIME, INTEGER/URI as they are, DURATION), and the
tests read every feed back with icalendar, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from app.common.timezone import utcnow
from app.livestreams.models import HostState, Livestream

PRODID = "-//Chợ Phiên//Lịch livestream//VI"
CONTENT_TYPE = "text/calendar; charset=utf-8"
REMINDER_BEFORE = timedelta(minutes=15)
# How often calendar apps that honour these properties should re-read a feed.
REFRESH_INTERVAL = timedelta(hours=1)  # also written as X-PUBLISHED-TTL, for the apps that read that one

LINE_OCTETS = 75  # RFC 5545 3.1: longer lines are folded, the continuation starting with a space
# Control characters may not appear in a value (RFC 5545 3.3.11); line breaks become "\n".
_TEXT_ESCAPES = {
    ord("\\"): "\\\\", ord(";"): "\\;", ord(","): "\\,", ord("\n"): "\\n",
    **{code: None for code in (*range(0, 9), *range(11, 32), 127)},
}
_URI_CLEAN = {code: None for code in (*range(0, 32), 127)}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_TEXT_ESCAPES)


def _uri(value: str) -> str:
    """A URI value goes as it is; a validated address holds no control character, but a line break
    in one would end the line and let the rest pass for a property of its own."""
    return value.translate(_URI_CLEAN)


def _datetime(moment: datetime) -> str:
    return _utc(moment).strftime("%Y%m%dT%H%M%SZ")


def _duration(span: timedelta) -> str:
    """A DURATION (RFC 5545 3.3.6), e.g. -PT15M, PT1H, P1DT2H."""
    seconds = int(span.total_seconds())
    sign = "-" if seconds < 0 else ""
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not days and not time:
        return "PT0S"
    return f"{sign}P{f'{days}D' if days else ''}{'T' + time if time else ''}"


def _fold(line: str) -> bytes:
    """One content line in octets, folded at 75 octets without cutting a character in two."""
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return data + b"\r\n"
    parts, start, limit = [], 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character instead
            end -= 1
        parts.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1  # the space that starts a continuation counts too
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def livestream_event(live: Livestream, page_url: str, stamp: datetime) -> list[str]:
    """The content lines of one live's VEVENT (with its reminder unless it is cancelled)."""
    description = "\n\n".join(part for part in (live.description.strip(), live.url, page_url) if part)
    cancelled = live.host_state == HostState.CANCELLED
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(live.uid)}",
        f"DTSTAMP:{_datetime(stamp)}",
        f"CREATED:{_datetime(live.created_at)}",
        f"LAST-MODIFIED:{_datetime(live.updated_at)}",
        f"SEQUENCE:{int(live.sequence)}",
        f"DTSTART:{_datetime(live.starts_at)}",
        f"DTEND:{_datetime(live.ends_at)}",
        f"SUMMARY:{_text(f'{live.title} · {live.host_name}')}",
        f"DESCRIPTION:{_text(description)}",
        f"URL:{_uri(page_url)}",
        # Calendar apps show the location as a tappable line: the live itself.
        f"LOCATION:{_text(live.url)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:TRANSPARENT",  # watching a live does not make a person busy
    ]
    if not cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_text(live.title)}",
            f"TRIGGER:{_duration(-REMINDER_BEFORE)}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def build_calendar(
    lives: Iterable[Livestream],
    page_url: Callable[[Livestream], str],
    name: str,
    now: datetime | None = None,
) -> bytes:
    """The calendar text of lives, named `name` in apps that show a calendar's name."""
    stamp = now or utcnow()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
        f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(REFRESH_INTERVAL)}",
        f"X-PUBLISHED-TTL:{_duration(REFRESH_INTERVAL)}",
    ]
    for live in lives:
        lines += livestream_event(live, page_url(live), stamp)
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)


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

    Calendar apps re-read the same feed every hour or so; an app that still holds it is answered
    304 Not Modified from the fingerprint, and one that does not gets the text from here instead
    of 130 events written again (a few milliseconds each time, but every subscriber, every hour).
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

    def __len__(self) -> int:
        return len(self._feeds)

    def clear(self) -> None:
        with self._lock:
            self._feeds.clear()


feed_cache = FeedCache()
