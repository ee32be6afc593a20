"""The suite's clock: every test starts at TEST_NOW, never on the real date, and can be moved."""

from datetime import UTC, datetime, timedelta

from app.common.timezone import to_local, utcnow
from tests.conftest import _test_moment


def test_each_test_starts_at_the_suites_moment_and_the_clock_ticks():
    first = utcnow()
    assert timedelta(0) <= first - _test_moment() < timedelta(minutes=5)
    assert utcnow() >= first


def test_the_clock_fixture_sets_and_moves_the_time_code_reads(clock):
    clock.set(datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    assert to_local(utcnow()).date().isoformat() == "2027-01-01"
    clock.advance(minutes=16)
    assert utcnow() == datetime(2026, 12, 31, 17, 46, tzinfo=UTC)
    assert datetime.now(UTC) == utcnow()  # code that forgets utcnow() still sees the test's clock
