"""Reminders: a buyer asking to be told before a live starts, and the mail for the people waiting
(the reminder before it starts, and news of a change).

`send_due()` is the whole job behind `flask send-reminders`, which cron runs every few minutes.
Each message goes out once, even when the job runs twice or two copies overlap: a copy sends a
message only after it has claimed the row with a conditional UPDATE and committed that claim.

Links in the messages are built with url_for, so the job runs inside a request context whose
base URL is the site's address (the command sets one up from SITE_URL).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload

from app.accounts.models import User
from app.common import mail
from app.common.errors import RuleBroken
from app.common.timezone import to_local, utcnow, with_zone
from app.common.urls import absolute_url
from app.extensions import db
from app.livestreams.lifecycle import (
    TRANSITION_MESSAGES,
    AlreadyCancelled,
    AlreadyEnded,
    coming_condition,
    status_at,
    status_condition,
)
from app.livestreams.links import PLATFORM_NAMES
from app.livestreams.models import ChangeNotice, Livestream, Platform, Reminder, Status

# --- Asking for a reminder (flushes, never commits) -----------------------------------------


class ReminderNotPossible(RuleBroken):
    pass


def reminder_for(user: User | None, live: Livestream) -> Reminder | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.execute(
        sa.select(Reminder).where(Reminder.livestream_id == live.id, Reminder.user_id == user.id)
    ).scalar_one_or_none()


def request_reminder(user: User, live: Livestream, now: datetime | None = None) -> Reminder:
    """Ask to be told by email shortly before the live starts; asking twice keeps one reminder."""
    now = now or utcnow()
    status = status_at(live, now)
    if status in (Status.ENDED, Status.CANCELLED):
        raise ReminderNotPossible(TRANSITION_MESSAGES[AlreadyEnded if status == Status.ENDED else AlreadyCancelled])
    if not user.email:
        raise ReminderNotPossible(_l("Tài khoản của bạn chưa có email. Hãy thêm email trong hồ sơ để nhận lời nhắc."))
    reminder = reminder_for(user, live)
    if reminder is None:
        reminder = Reminder(livestream=live, user_id=user.id, created_at=now)
        db.session.add(reminder)
        db.session.flush()
    return reminder


def cancel_reminder(user: User, live: Livestream) -> bool:
    reminder = reminder_for(user, live)
    if reminder is None:
        return False
    db.session.delete(reminder)
    db.session.flush()
    return True


# --- Sending ------------------------------------------------------------------------------

DEFAULT_LEAD_MINUTES = 30


class Kind(enum.Enum):
    REMINDER = "reminder"
    RESCHEDULED = ChangeNotice.RESCHEDULED.value
    CANCELLED = ChangeNotice.CANCELLED.value


@dataclass
class Report:
    """What one run did: messages handed to the mail layer, and those that failed."""

    reminders: int = 0
    rescheduled: int = 0
    cancelled: int = 0
    failed: int = 0

    @property
    def notices(self) -> int:
        return self.rescheduled + self.cancelled

    @property
    def sent(self) -> int:
        return self.reminders + self.notices

    def count(self, kind: Kind) -> None:
        name = {Kind.REMINDER: "reminders", Kind.RESCHEDULED: "rescheduled", Kind.CANCELLED: "cancelled"}[kind]
        setattr(self, name, getattr(self, name) + 1)


@dataclass(frozen=True)
class _Message:
    kind: Kind
    reminder_id: int
    livestream_id: int
    # The start the message announces: the claim only succeeds while the live still starts then,
    # so a time changed while this run was busy is announced by the next run, not lost.
    starts_at: datetime
    outgoing: mail.OutgoingMail


def lead_time() -> timedelta:
    return timedelta(minutes=current_app.config.get("LIVESTREAM_REMINDER_LEAD_MINUTES", DEFAULT_LEAD_MINUTES))


def _due_condition(now: datetime, lead: timedelta):
    """Lives whose reminders are due: live now, or upcoming and starting within the lead time."""
    return sa.or_(
        status_condition(Status.LIVE, now),
        sa.and_(status_condition(Status.UPCOMING, now), Livestream.starts_at <= now + lead),
    )


def _reminder_due(live: Livestream, now: datetime, lead: timedelta) -> bool:
    status = status_at(live, now)
    return status == Status.LIVE or (status == Status.UPCOMING and live.starts_at <= now + lead)


def _pending(now: datetime, lead: timedelta) -> list[Reminder]:
    """Every reminder with something to send now, with its live, host and person, in one query.

    A change or a cancellation is only news while the live is not over yet: after that (the job
    was not running, say) the message would only puzzle people, so it is left unsent.
    """
    return list(
        db.session.execute(
            sa.select(Reminder)
            .join(Reminder.livestream)
            .join(Reminder.user)
            .where(
                User.email.is_not(None),
                sa.or_(
                    sa.and_(Reminder.sent_at.is_(None), _due_condition(now, lead)),
                    sa.and_(Reminder.notice == ChangeNotice.RESCHEDULED, coming_condition(now)),
                    sa.and_(
                        Reminder.notice == ChangeNotice.CANCELLED,
                        status_condition(Status.CANCELLED, now),
                        Livestream.ends_at > now,
                    ),
                ),
            )
            .options(
                contains_eager(Reminder.livestream).options(
                    joinedload(Livestream.cooperative), joinedload(Livestream.producer)
                ),
                contains_eager(Reminder.user),
            )
            .order_by(Livestream.starts_at, Reminder.id)
        ).scalars()
    )


def _kinds_to_send(reminder: Reminder, now: datetime, lead: timedelta) -> list[Kind]:
    """The messages this row owes, news of a change first; the same rules as _pending()."""
    live = reminder.livestream
    kinds = []
    if reminder.notice == ChangeNotice.CANCELLED and live.ends_at > now:
        kinds.append(Kind.CANCELLED)
    if reminder.notice == ChangeNotice.RESCHEDULED and status_at(live, now) in (Status.UPCOMING, Status.LIVE):
        kinds.append(Kind.RESCHEDULED)
    if reminder.sent_at is None and _reminder_due(live, now, lead):
        kinds.append(Kind.REMINDER)
    return kinds


def _language(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _compose(kind: Kind, reminder: Reminder, now: datetime, lead: timedelta) -> mail.OutgoingMail:
    """The message in the person's language, with the times in Vietnam's clock."""
    live, user = reminder.livestream, reminder.user
    with force_locale(_language(user)):
        local_start = to_local(live.starts_at)
        time = format_time(local_start, "short")
        date = format_date(local_start, "full")
        started = status_at(live, now) == Status.LIVE
        if kind == Kind.REMINDER:
            subject = (
                _("Đang phát: %(title)s", title=live.title)
                if started
                # A reader of English may be abroad: the subject says whose clock, as the body does.
                else _("Sắp bắt đầu: %(title)s lúc %(time)s", title=live.title, time=with_zone(time))
            )
        elif kind == Kind.RESCHEDULED:
            subject = _("Đổi giờ: %(title)s", title=live.title)
        else:
            subject = _("Đã huỷ: %(title)s", title=live.title)
        text = render_template(
            f"livestreams/mail/{kind.value}.txt",
            live=live,
            user=user,
            time=time,
            date=date,
            started=started,
            reminded_later=live.starts_at > now + lead,
            lead_minutes=int(lead.total_seconds() // 60),
            platform=None if live.platform == Platform.OTHER else PLATFORM_NAMES[live.platform],
            page_url=absolute_url("livestreams.livestream_detail", slug=live.slug),
        )
    return mail.OutgoingMail(to=user.email, subject=subject, text=text)


# This is a job runner, not a request, so it does not keep to "one transaction per request":
# each claim and each give-back is committed on its own. A claim must be committed before the
# mail goes out so another copy of the job sees it and leaves the row alone; a crash halfway keeps
# what was sent marked as sent; and short transactions keep SQLite's single write lock free for
# the site while the mail server takes its time.


def _claim(message: _Message, now: datetime, lead: timedelta) -> bool:
    """Take the row for this copy of the job; False when another copy has it or things changed."""
    same_start = sa.select(Livestream.id).where(
        Livestream.id == message.livestream_id, Livestream.starts_at == message.starts_at
    )
    if message.kind == Kind.REMINDER:
        # Due again at claim time: a live cancelled since it was loaded is not reminded.
        statement = (
            sa.update(Reminder)
            .where(
                Reminder.id == message.reminder_id,
                Reminder.sent_at.is_(None),
                Reminder.livestream_id.in_(same_start.where(_due_condition(now, lead))),
            )
            .values(sent_at=now)
        )
    else:
        statement = (
            sa.update(Reminder)
            .where(
                Reminder.id == message.reminder_id,
                Reminder.notice == ChangeNotice(message.kind.value),
                Reminder.livestream_id.in_(same_start),
            )
            .values(notice=None)
        )
    claimed = db.session.execute(statement.execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _give_back(message: _Message, now: datetime) -> None:
    """Undo this copy's claim so the next run tries again, unless the row has moved on since."""
    if message.kind == Kind.REMINDER:
        statement = (
            sa.update(Reminder)
            .where(Reminder.id == message.reminder_id, Reminder.sent_at == now)
            .values(sent_at=None)
        )
    else:
        # A newer change (or a cancellation) written meanwhile is the news to send; keep it.
        statement = (
            sa.update(Reminder)
            .where(Reminder.id == message.reminder_id, Reminder.notice.is_(None))
            .values(notice=ChangeNotice(message.kind.value))
        )
    db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.commit()


def send_due(
    now: datetime | None = None,
    send: Callable[[mail.OutgoingMail], object] = mail.send_mail,
) -> Report:
    """Send every reminder and change notice that is due at `now`; commits as it goes.

    Runs inside a request context (for the links) and with no changes pending in the session.
    """
    now = now or utcnow()
    lead = lead_time()
    # Everything is read and written before the first commit, while the rows are loaded: a commit
    # expires them, and reading them again one by one would cost a query per message.
    messages = [
        _Message(kind, reminder.id, reminder.livestream_id, reminder.livestream.starts_at,
                 _compose(kind, reminder, now, lead))
        for reminder in _pending(now, lead)
        for kind in _kinds_to_send(reminder, now, lead)
    ]
    report = Report()
    logger = current_app.logger
    for message in messages:
        if not _claim(message, now, lead):
            continue
        try:
            send(message.outgoing)
        except mail.MailNotSent as error:
            _give_back(message, now)
            report.failed += 1
            logger.warning("Livestream %s: %s for reminder %s not sent, will retry: %s",
                           message.livestream_id, message.kind.value, message.reminder_id, error)
            continue
        except ValueError as error:
            # An address the mail layer refuses will be refused next time too: the claim stays, so
            # the operator hears of it once rather than every few minutes until the live is over.
            report.failed += 1
            logger.error("Livestream %s: %s for reminder %s refused, not retried: %s",
                         message.livestream_id, message.kind.value, message.reminder_id, error)
            continue
        report.count(message.kind)
    return report
