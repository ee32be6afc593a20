"""A live's status: what the clock and the host say, in Python and in SQL, and the host's moves
between states (go live, end, cancel) through one transition table.

Functions here flush and audit but never commit; the route that calls them commits once.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.common import audit
from app.common.errors import RuleBroken
from app.common.timezone import utcnow
from app.extensions import db
from app.livestreams.access import require_host
from app.livestreams.models import (
    ChangeNotice,
    HostState,
    Livestream,
    Status,
)


class TransitionNotAllowed(RuleBroken):
    """The live is not in a state where this can happen."""


class AlreadyCancelled(TransitionNotAllowed):
    pass


class AlreadyEnded(TransitionNotAllowed):
    pass


class NotStartedYet(TransitionNotAllowed):
    pass


class AlreadyLive(TransitionNotAllowed):
    pass


def status_at(live: Livestream, now: datetime) -> Status:
    """What a visitor is told at `now`: the host's word first, then the clock.

    status_condition() says the same in SQL; a test checks they agree.
    """
    if live.host_state == HostState.CANCELLED:
        return Status.CANCELLED
    if live.host_state == HostState.ENDED or now >= live.ends_at:
        return Status.ENDED
    if live.host_state == HostState.LIVE or now >= live.starts_at:
        return Status.LIVE
    return Status.UPCOMING


def status_condition(status: Status, now: datetime):
    """The lives with this status at `now`, as a WHERE clause (see status_at)."""
    state = Livestream.host_state
    following_clock = state.in_((HostState.SCHEDULED, HostState.LIVE))
    if status == Status.CANCELLED:
        return state == HostState.CANCELLED
    if status == Status.ENDED:
        return sa.or_(state == HostState.ENDED, sa.and_(following_clock, Livestream.ends_at <= now))
    if status == Status.LIVE:
        return sa.and_(
            following_clock,
            Livestream.ends_at > now,
            sa.or_(state == HostState.LIVE, Livestream.starts_at <= now),
        )
    return sa.and_(state == HostState.SCHEDULED, Livestream.starts_at > now)


def coming_condition(now: datetime):
    """Lives not over yet at `now`: live or upcoming (not cancelled)."""
    return sa.or_(status_condition(Status.LIVE, now), status_condition(Status.UPCOMING, now))


# What each host action needs the live's status to be, and the named error otherwise.
TRANSITIONS: dict[str, dict[Status, type[TransitionNotAllowed] | None]] = {
    "mark_live": {
        Status.UPCOMING: None,
        Status.LIVE: AlreadyLive,
        Status.ENDED: AlreadyEnded,
        Status.CANCELLED: AlreadyCancelled,
    },
    "mark_ended": {
        Status.UPCOMING: NotStartedYet,
        Status.LIVE: None,
        Status.ENDED: AlreadyEnded,
        Status.CANCELLED: AlreadyCancelled,
    },
    "cancel": {
        Status.UPCOMING: None,
        Status.LIVE: AlreadyLive,
        Status.ENDED: AlreadyEnded,
        Status.CANCELLED: AlreadyCancelled,
    },
}

TRANSITION_MESSAGES = {
    AlreadyLive: _l("Buổi livestream này đang phát."),
    AlreadyEnded: _l("Buổi livestream này đã kết thúc."),
    AlreadyCancelled: _l("Buổi livestream này đã bị huỷ."),
    NotStartedYet: _l("Buổi livestream này chưa bắt đầu. Nếu không phát nữa, hãy huỷ buổi này."),
}


def _begin_transition(actor: User, action: str, live: Livestream, now: datetime | None) -> datetime:
    """Check the host may do `action` to the live now; the moment it happens."""
    require_host(actor, live.host)
    now = now or utcnow()
    error = TRANSITIONS[action][status_at(live, now)]
    if action == "mark_live" and error is AlreadyLive and live.host_state == HostState.SCHEDULED:
        error = None  # live by the clock; the host confirming it is harmless
    if error is not None:
        raise error(TRANSITION_MESSAGES[error])
    return now


def mark_live(actor: User, live: Livestream, now: datetime | None = None) -> None:
    """The host has gone live, perhaps before the planned start: reminders go out at once."""
    now = _begin_transition(actor, "mark_live", live, now)
    live.host_state = HostState.LIVE
    live.marked_live_at = now
    db.session.flush()
    audit.record(actor, "livestream.marked_live", live)


def mark_ended(actor: User, live: Livestream, now: datetime | None = None) -> None:
    now = _begin_transition(actor, "mark_ended", live, now)
    live.host_state = HostState.ENDED
    live.marked_ended_at = now
    db.session.flush()
    audit.record(actor, "livestream.marked_ended", live)


def cancel(actor: User, live: Livestream, now: datetime | None = None) -> None:
    """Cancel an upcoming live: its page and calendar entry say so, and the people waiting are told."""
    now = _begin_transition(actor, "cancel", live, now)
    live.host_state = HostState.CANCELLED
    live.sequence += 1
    live.updated_at = now
    for reminder in live.reminders:
        reminder.notice = ChangeNotice.CANCELLED
    db.session.flush()
    audit.record(actor, "livestream.cancelled", live)
