"""Calendar files a phone's calendar app reads: one live, the whole schedule, a host's lives."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from icalendar import Calendar

from app.accounts.models import Role, User
from app.extensions import db
from app.livestreams import calendar, feeds, lifecycle, scheduling
from app.livestreams.models import HostState, Livestream
from tests.factories import (
    CooperativeFactory,
    LivestreamFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    in_hours,
)


def read_calendar(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    assert response.headers["Content-Disposition"].endswith('.ics"')
    assert "max-age=" in response.headers["Cache-Control"]
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def live(app):
    with app.app_context():
        live = LivestreamFactory(title="Phiên chợ cam tối thứ Bảy")
        db.session.commit()
        return {"slug": live.slug, "uid": live.uid, "starts_at": live.starts_at, "ends_at": live.ends_at}


def test_one_live_as_a_calendar_file(client, live):
    calendar = read_calendar(client, f"/livestream/{live['slug']}/lich.ics")
    assert "Chợ Phiên" in str(calendar["prodid"])
    assert str(calendar["version"]) == "2.0"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == live["uid"]
    assert "dtstamp" in event
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.utcoffset() == timedelta(0) and end.utcoffset() == timedelta(0)
    assert start == live["starts_at"].astimezone(UTC) and end == live["ends_at"].astimezone(UTC)
    assert str(event["url"]) == f"http://localhost/livestream/{live['slug']}"
    assert "Phiên chợ cam tối thứ Bảy" in str(event["summary"])
    assert str(event["status"]) == "CONFIRMED"
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(minutes=-15)
    assert b"TRIGGER:-PT15M" in calendar.to_ical()


def test_the_live_page_links_to_its_calendar_file(client, live):
    html = client.get(f"/livestream/{live['slug']}").get_data(as_text=True)
    assert f'href="/livestream/{live["slug"]}/lich.ics">Thêm vào lịch</a>' in html


def test_unknown_live_or_host_has_no_calendar(client):
    for url in ("/livestream/khong-co/lich.ics", "/hop-tac-xa/khong-co/livestream.ics", "/nha-vuon/khong-co/livestream.ics"):
        assert client.get(url).status_code == 404, url


def test_a_cancelled_live_is_cancelled_in_the_calendar(app, client):
    with app.app_context():
        live = LivestreamFactory(host_state=HostState.CANCELLED)
        db.session.commit()
        slug, uid = live.slug, live.uid
    [event] = read_calendar(client, f"/livestream/{slug}/lich.ics").walk("VEVENT")
    assert str(event["uid"]) == uid
    assert str(event["status"]) == "CANCELLED"
    assert not event.walk("VALARM")  # no alarm for a live that will not happen
    assert events(read_calendar(client, "/livestream/lich.ics"))[uid]["status"] == "CANCELLED"


def test_a_moved_live_keeps_its_uid_with_a_higher_sequence(app, client):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        live = LivestreamFactory(cooperative=coop)
        db.session.commit()
        slug, uid, manager_id = live.slug, live.uid, manager.id
    before = events(read_calendar(client, "/livestream/lich.ics"))[uid]
    with app.app_context():
        live = db.session.execute(db.select(Livestream).filter_by(slug=slug)).scalar_one()
        manager = db.session.get(User, manager_id)
        new_start = in_hours(48)
        scheduling.update_livestream(
            manager,
            live,
            scheduling.LivestreamValues(
                title=live.title, url=live.url, starts_at=new_start, ends_at=new_start + timedelta(hours=2),
                platform=live.platform, description=live.description,
            ),
        )
        db.session.commit()
    after = events(read_calendar(client, "/livestream/lich.ics"))[uid]
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == new_start
    assert after.decoded("dtend") - after.decoded("dtstart") == timedelta(hours=2)


def test_the_whole_schedule_feed(app, client):
    with app.app_context():
        uids = {
            LivestreamFactory().uid,
            LivestreamFactory(starts_at=in_hours(-0.5), ends_at=in_hours(1)).uid,
            LivestreamFactory(starts_at=in_hours(-24 * 10), ends_at=in_hours(-24 * 10 + 1)).uid,
        }
        too_old = LivestreamFactory(starts_at=in_hours(-24 * 90), ends_at=in_hours(-24 * 90 + 1)).uid
        db.session.commit()
    calendar = read_calendar(client, "/livestream/lich.ics")
    assert str(calendar["version"]) == "2.0" and "prodid" in calendar
    found = events(calendar)
    assert set(found) == uids and too_old not in found
    for event in found.values():
        assert "dtstamp" in event and str(event["url"]).startswith("http://localhost/livestream/")


def test_a_cooperatives_feed_holds_only_its_lives(app, client):
    with app.app_context():
        coop = CooperativeFactory(name="Hợp tác xã Hương Trà")
        ours = {LivestreamFactory(cooperative=coop).uid, LivestreamFactory(cooperative=coop).uid}
        LivestreamFactory(cooperative=CooperativeFactory())
        LivestreamFactory()
        db.session.commit()
        slug = coop.slug
    calendar = read_calendar(client, f"/hop-tac-xa/{slug}/livestream.ics")
    assert set(events(calendar)) == ours
    assert "Hợp tác xã Hương Trà" in str(calendar["x-wr-calname"])


def test_a_producers_feed_holds_their_lives_and_lives_featuring_their_products(app, client):
    with app.app_context():
        producer = ProducerFactory()
        ours = LivestreamFactory(producer=producer).uid
        coop = CooperativeFactory()
        producer.cooperative = coop
        featuring = LivestreamFactory(cooperative=coop, products=[ProductFactory(producer=producer)]).uid
        LivestreamFactory(cooperative=coop, products=[ProductFactory(producer=ProducerFactory(cooperative=coop))])
        LivestreamFactory()
        db.session.commit()
        slug = producer.slug
    assert set(events(read_calendar(client, f"/nha-vuon/{slug}/livestream.ics"))) == {ours, featuring}


def test_an_unchanged_feed_is_not_sent_again_and_a_change_is(app, client):
    with app.app_context():
        live = LivestreamFactory()
        manager = live.producer.user
        db.session.commit()
        live_id = live.id
    first = client.get("/livestream/lich.ics")
    etag = first.headers["ETag"]
    again = client.get("/livestream/lich.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    with app.app_context():
        lifecycle.cancel(db.session.merge(manager), db.session.get(Livestream, live_id))
        db.session.commit()
    changed = client.get("/livestream/lich.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert b"STATUS:CANCELLED" in changed.data


def test_a_busy_feed_keeps_the_lives_ahead_before_old_ones(app, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_AHEAD", 3)
    monkeypatch.setattr(feeds, "FEED_PAST", 2)
    with app.app_context():
        past = [LivestreamFactory(starts_at=in_hours(-24 * d), ends_at=in_hours(-24 * d + 1)) for d in (5, 4, 3)]
        ahead = [LivestreamFactory(starts_at=in_hours(24 * d), ends_at=in_hours(24 * d + 1)) for d in (1, 2, 3, 4)]
        assert feeds.feed_lives() == [past[1], past[2], *ahead[:3]]


# --- the text as written: what calendar apps parse --------------------------------------------


def test_punctuation_line_breaks_and_long_vietnamese_text_come_back_as_written(app, client):
    title = 'Cam; quýt, bưởi \\ "thanh trà" · phiên tối'
    description = "Dòng một: cam Xã Đoài, quýt Hương Cần; bưởi.\r\nDòng hai\rdòng ba\n" + "Hái tại vườn ông Bảy. " * 12
    with app.app_context():
        live = LivestreamFactory(title=title, description=description)
        db.session.commit()
        slug, uid = live.slug, live.uid
    response = client.get(f"/livestream/{slug}/lich.ics")
    lines = response.data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines), "folded at 75 octets, CRLF ends"
    for line in lines:
        line.decode()  # a fold never cuts a Vietnamese letter's bytes in two
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["uid"]) == uid
    assert str(event["summary"]).startswith(title + " · ")
    expected = description.strip().replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["description"]).startswith(expected + "\n\n")
    assert str(event["description"]).endswith(f"\n\nhttp://localhost/livestream/{slug}")
    [alarm] = event.walk("VALARM")
    assert str(alarm["description"]) == title


def test_a_control_character_cannot_start_a_property_of_its_own(app, client):
    with app.app_context():
        live = LivestreamFactory(title="Phiên chợ\x0bSTATUS:CANCELLED\x1b tối")  # no NUL: no database stores one
        db.session.commit()
        slug = live.slug
    [event] = read_calendar(client, f"/livestream/{slug}/lich.ics").walk("VEVENT")
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["summary"]).startswith("Phiên chợSTATUS:CANCELLED tối")


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_compressed_feed_read_again_is_answered_304_without_building_it(app, client, encoding):
    with app.app_context():
        for _ in range(5):
            LivestreamFactory()
        db.session.commit()
    first = client.get("/livestream/lich.ics", headers={"Accept-Encoding": encoding})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == encoding
    # Another worker, or this one after a restart, holds no built feed: a 304 must not need one.
    calendar.feed_cache.clear()
    again = client.get(
        "/livestream/lich.ics", headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert len(calendar.feed_cache) == 0, "the feed was built to answer 304"
    # The tag names the events, not the bytes: an app that switches encoding still gets a 304.
    plain = client.get("/livestream/lich.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert plain.status_code == 304
