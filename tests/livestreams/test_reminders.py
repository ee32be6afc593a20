"""`flask send-reminders`: what the people waiting for a live find in their mailbox, and when.

Every test reads the outbox the mail layer writes (the test app has no SMTP server) and moves the
clock by passing `now=`, never by waiting.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.common import mail
from app.common.timezone import to_local
from app.extensions import db
from app.livestreams import lifecycle, reminders, scheduling
from app.livestreams.models import Livestream, Reminder
from tests.factories import LivestreamFactory, UserFactory, in_hours

SITE = "https://chophien.vn"
# 12:00 UTC is 19:00 in Huế, the evening slot; fixed, so the tests never depend on today's date.
START = datetime(2030, 6, 12, 12, 0, tzinfo=UTC)


@dataclass
class Live:
    id: int
    slug: str
    title: str
    url: str
    host_name: str
    people: list[str]  # the addresses of those who pressed "Nhắc tôi"

    @property
    def page(self) -> str:
        return f"{SITE}/livestream/{self.slug}"


def live_with_reminders(app, starts_at=START, people=1, locale=None) -> Live:
    with app.app_context():
        live = LivestreamFactory(starts_at=starts_at)
        users = [UserFactory(locale=locale) for _ in range(people)]
        for user in users:
            reminders.request_reminder(user, live, now=starts_at - timedelta(days=1))
        db.session.commit()
        return Live(live.id, live.slug, live.title, live.url, live.host_name, [u.email for u in users])


def host_action(app, live: Live, action, **kwargs) -> None:
    """The host (the producer's own account) does something to the live, as the manage pages would."""
    with app.app_context():
        row = db.session.get(Livestream, live.id)
        action(row.producer.user, row, **kwargs)
        db.session.commit()


def move_start(user, live: Livestream, starts_at: datetime, now: datetime) -> None:
    values = scheduling.LivestreamValues(
        title=live.title,
        url=live.url,
        platform=live.platform,
        description=live.description,
        starts_at=starts_at,
        ends_at=starts_at + (live.ends_at - live.starts_at),
    )
    scheduling.update_livestream(user, live, values, now=now)


def send_due(app, now, **kwargs) -> reminders.Report:
    with app.test_request_context(base_url=SITE):
        return reminders.send_due(now=now, **kwargs)


def outbox(app) -> list:
    return mail.read_outbox(app.config["MAIL_OUTBOX_DIR"])


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def unsent_reminders(app) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count()).select_from(Reminder).where(Reminder.sent_at.is_(None))
        ).scalar_one()


def test_a_reminder_goes_out_once_twenty_minutes_before_the_start(app):
    live = live_with_reminders(app)

    report = send_due(app, now=START - timedelta(minutes=20))

    assert (report.reminders, report.notices, report.failed) == (1, 0, 0)
    [message] = outbox(app)
    assert message["To"] == live.people[0]
    assert message["Subject"] == f"Sắp bắt đầu: {live.title} lúc 19:00"
    text = body(message)
    assert live.title in text
    assert live.host_name in text
    assert "19:00" in text and "12:00" not in text  # Huế's clock, not UTC
    assert live.url in text  # the Facebook live itself
    assert live.page in text  # and its page here, with the featured products
    assert "Huỷ lời nhắc" in text  # how to stop

    again = send_due(app, now=START - timedelta(minutes=15))
    later = send_due(app, now=START + timedelta(minutes=5))
    assert again.sent == later.sent == 0
    assert len(outbox(app)) == 1


@pytest.mark.parametrize(
    "now",
    [
        pytest.param(START - timedelta(hours=3), id="three hours ahead"),
        pytest.param(START - timedelta(minutes=31), id="just outside the lead time"),
        pytest.param(START + timedelta(hours=2), id="already over"),
    ],
)
def test_no_reminder_too_early_or_too_late(app, now):
    live_with_reminders(app)

    assert send_due(app, now=now).sent == 0
    assert outbox(app) == []


def test_the_lead_time_is_a_setting(app):
    live_with_reminders(app)
    app.config["LIVESTREAM_REMINDER_LEAD_MINUTES"] = 60

    assert send_due(app, now=START - timedelta(minutes=50)).reminders == 1


def test_everyone_waiting_is_reminded(app):
    live = live_with_reminders(app, people=3)

    assert send_due(app, now=START - timedelta(minutes=30)).reminders == 3
    assert sorted(m["To"] for m in outbox(app)) == sorted(live.people)


def test_a_cancelled_live_sends_the_cancellation_and_never_the_reminder(app):
    live = live_with_reminders(app)
    host_action(app, live, lifecycle.cancel, now=START - timedelta(hours=2))

    report = send_due(app, now=START - timedelta(minutes=10))
    send_due(app, now=START - timedelta(minutes=5))

    assert (report.reminders, report.cancelled) == (0, 1)
    [message] = outbox(app)
    assert message["Subject"] == f"Đã huỷ: {live.title}"
    assert "đã bị huỷ" in body(message)
    assert live.page in body(message)


def test_a_live_marked_live_early_reminds_at_once(app):
    live = live_with_reminders(app)
    host_action(app, live, lifecycle.mark_live, now=START - timedelta(hours=2))

    report = send_due(app, now=START - timedelta(hours=2) + timedelta(minutes=3))

    assert report.reminders == 1
    [message] = outbox(app)
    assert message["Subject"] == f"Đang phát: {live.title}"
    assert "đang phát" in body(message)


def test_moving_the_start_tells_people_and_reminds_them_again_before_the_new_time(app):
    live = live_with_reminders(app)
    assert send_due(app, now=START - timedelta(minutes=25)).reminders == 1

    # Twenty minutes before, the host moves the live three hours later (22:00 in Huế).
    host_action(app, live, move_start, starts_at=START + timedelta(hours=3), now=START - timedelta(minutes=20))
    notice_run = send_due(app, now=START - timedelta(minutes=15))
    quiet_run = send_due(app, now=START + timedelta(hours=1))
    reminder_run = send_due(app, now=START + timedelta(hours=3) - timedelta(minutes=20))

    assert (notice_run.rescheduled, notice_run.reminders) == (1, 0)
    assert quiet_run.sent == 0
    assert reminder_run.reminders == 1
    first, notice, second = outbox(app)
    assert notice["Subject"] == f"Đổi giờ: {live.title}"
    assert "22:00" in body(notice) and "19:00" not in body(notice)
    assert "đổi giờ" in body(notice)
    assert second["Subject"] == f"Sắp bắt đầu: {live.title} lúc 22:00"


def test_a_live_moved_into_the_lead_time_sends_the_notice_and_the_reminder(app):
    live = live_with_reminders(app)
    host_action(app, live, move_start, starts_at=START - timedelta(hours=2), now=START - timedelta(hours=3))

    report = send_due(app, now=START - timedelta(hours=2, minutes=10))

    assert (report.rescheduled, report.reminders) == (1, 1)
    subjects = [m["Subject"] for m in outbox(app)]
    assert subjects == [f"Đổi giờ: {live.title}", f"Sắp bắt đầu: {live.title} lúc 17:00"]


def test_an_english_reader_gets_the_time_in_english(app):
    live = live_with_reminders(app, locale="en")

    send_due(app, now=START - timedelta(minutes=20))

    [message] = outbox(app)
    text = body(message)
    # Babel's English clock and calendar, which do not depend on the message catalogue
    # (CLDR puts a narrow no-break space before PM).
    assert re.search(r"\b7:00\sPM\b", text) and "19:00" not in text
    assert "Wednesday" in text  # 12 June 2030, in Huế
    assert live.page in text and live.url in text
    # The sentences around them are English once the catalogue has them (translated separately).
    # The subject says whose clock it is, like the body: the reader may be abroad.
    assert re.fullmatch(rf"Starting soon: {re.escape(live.title)} at 7:00\sPM Vietnam time", message["Subject"])


def test_a_failed_delivery_leaves_the_message_for_the_next_run(app):
    reminded = live_with_reminders(app)
    cancelled = live_with_reminders(app)
    host_action(app, cancelled, lifecycle.cancel, now=START - timedelta(hours=1))

    def mail_server_down(outgoing):
        raise mail.MailNotSent("SMTP delivery through smtp.example.vn:587 failed: timeout")

    failed = send_due(app, now=START - timedelta(minutes=20), send=mail_server_down)

    assert (failed.sent, failed.failed) == (0, 2)
    assert outbox(app) == []
    assert unsent_reminders(app) == 2

    retried = send_due(app, now=START - timedelta(minutes=15))
    assert (retried.reminders, retried.cancelled, retried.failed) == (1, 1, 0)
    assert sorted(m["Subject"] for m in outbox(app)) == sorted(
        [f"Sắp bắt đầu: {reminded.title} lúc 19:00", f"Đã huỷ: {cancelled.title}"]
    )


def test_one_failure_does_not_stop_the_others(app):
    live_with_reminders(app, people=3)
    calls = []

    def second_one_fails(outgoing):
        calls.append(outgoing.to)
        if len(calls) == 2:
            raise mail.MailNotSent("refused for now")
        mail.send_mail(outgoing)

    report = send_due(app, now=START - timedelta(minutes=20), send=second_one_fails)

    assert (report.reminders, report.failed) == (2, 1)
    assert len(outbox(app)) == 2
    assert unsent_reminders(app) == 1


def test_loading_the_messages_takes_the_same_queries_for_one_or_many(app, count_queries):
    def selects(statements):
        return [s for s in statements if s.lstrip().upper().startswith("SELECT")]

    live_with_reminders(app, starts_at=START)
    with count_queries() as one:
        assert send_due(app, now=START - timedelta(minutes=20)).sent == 1
    later = START + timedelta(hours=2)
    for minutes in (0, 10, 20):  # one live under way, two starting within the lead time
        live_with_reminders(app, starts_at=later + timedelta(minutes=minutes), people=3)
    with count_queries() as many:
        assert send_due(app, now=later + timedelta(minutes=5)).sent == 9

    assert len(selects(many)) == len(selects(one))


def test_two_copies_at_once_send_each_message_once(app):
    lives = [live_with_reminders(app, starts_at=START + timedelta(minutes=m), people=4) for m in (0, 5, 10)]
    cancelled = live_with_reminders(app, starts_at=START + timedelta(minutes=15), people=3)
    host_action(app, cancelled, lifecycle.cancel, now=START - timedelta(hours=1))
    sent: list[tuple[str, str]] = []
    senders: Counter[str] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    start_together = threading.Barrier(2)

    def slow_mail(outgoing):
        time.sleep(0.05)  # a mail server taking its time, so the two copies overlap
        with lock:
            sent.append((outgoing.to, outgoing.subject))
            senders[threading.current_thread().name] += 1

    def copy_of_the_job():
        try:
            with app.test_request_context(base_url=SITE):
                start_together.wait()
                reminders.send_due(now=START - timedelta(minutes=5), send=slow_mail)
        except BaseException as error:  # noqa: BLE001 (reported by the test thread below)
            errors.append(error)

    copies = [threading.Thread(target=copy_of_the_job) for _ in range(2)]
    for copy in copies:
        copy.start()
    for copy in copies:
        copy.join(timeout=60)

    assert errors == []
    expected = [(person, f"Sắp bắt đầu: {live.title} lúc 19:{5 * i:02d}")
                for i, live in enumerate(lives) for person in live.people]
    expected += [(person, f"Đã huỷ: {cancelled.title}") for person in cancelled.people]
    assert Counter(sent) == Counter(expected)  # each exactly once, none missing
    assert unsent_reminders(app) == 3  # only the cancelled live's, which are never sent
    assert len(senders) == 2  # both copies were at work at the same time, sharing the messages


def test_the_command_sends_and_reports(app, runner):
    live = live_with_reminders(app, starts_at=in_hours(1 / 3))
    app.config["SITE_URL"] = SITE

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "Đã gửi 1 lời nhắc, 0 thông báo đổi giờ, 0 thông báo huỷ; 0 lỗi." in result.output
    [message] = outbox(app)
    with app.app_context():
        starts_at = db.session.get(Livestream, live.id).starts_at
    assert to_local(starts_at).strftime("%H:%M") in message["Subject"]
    assert live.page in body(message)

    assert "Đã gửi 0 lời nhắc" in runner.invoke(args=["send-reminders"]).output
    assert len(outbox(app)) == 1


def test_the_command_without_site_url_warns_and_links_to_the_development_server(app, runner):
    live = live_with_reminders(app, starts_at=in_hours(1 / 3))

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "SITE_URL" in result.output
    assert f"http://127.0.0.1:5000/livestream/{live.slug}" in body(outbox(app)[0])


def test_the_command_fails_when_mail_cannot_be_sent_and_sends_it_next_time(app, runner, tmp_path):
    live_with_reminders(app, starts_at=in_hours(1 / 3))
    app.config["SITE_URL"] = SITE
    working_outbox = app.config["MAIL_OUTBOX_DIR"]
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app.config["MAIL_OUTBOX_DIR"] = str(blocked / "outbox")

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 1
    assert "Đã gửi 0 lời nhắc, 0 thông báo đổi giờ, 0 thông báo huỷ; 1 lỗi." in result.output
    app.config["MAIL_OUTBOX_DIR"] = working_outbox
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    assert len(outbox(app)) == 1
