"""Repeated failed logins are slowed, per account and per client address."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import throttle
from app.accounts.models import LoginThrottle
from app.extensions import db
from tests.accounts.helpers import PASSWORD, is_logged_in, make_user

WRONG = "sai-mat-khau-9876"
HOME = "198.51.100.7"
ELSEWHERE = "203.0.113.99"


@pytest.fixture
def clock(clock):
    """Stopped, so that the waits announced can be compared to the second."""
    clock.set(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    return clock


@pytest.fixture
def farmer(app):
    return make_user(app, email="bac.loc@example.vn", phone="+84912345678")


def attempt(client, login, password=WRONG, address=HOME):
    return client.post(
        "/dang-nhap", data={"login": login, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def fail(client, login, times, address=HOME):
    return [attempt(client, login, WRONG, address).status_code for _ in range(times)]


def test_sixth_attempt_is_refused_even_with_the_right_password(app, client, clock, farmer):
    assert fail(client, "0912345678", 4) == [400] * 4
    fifth = attempt(client, "0912345678")
    assert fifth.status_code == 429  # the failure that starts the wait says so at once
    sixth = attempt(client, "0912 345 678", PASSWORD)
    assert sixth.status_code == 429
    text = sixth.get_data(as_text=True)
    assert "Vui lòng đợi 15 phút rồi thử lại" in text
    assert 'value="0912 345 678"' in text  # the form comes back filled in
    assert PASSWORD not in text
    assert sixth.headers["Retry-After"] == str(15 * 60)
    assert not is_logged_in(client)


def test_message_counts_down_the_minutes(client, clock, farmer):
    fail(client, "0912345678", 5)
    clock.advance(minutes=10, seconds=30)
    response = attempt(client, "0912345678", PASSWORD)
    assert response.status_code == 429
    assert "đợi 5 phút" in response.get_data(as_text=True)


def test_after_the_lock_passes_the_right_password_works(client, clock, farmer):
    fail(client, "0912345678", 5)
    clock.advance(minutes=14, seconds=59)
    assert attempt(client, "0912345678", PASSWORD).status_code == 429
    clock.advance(seconds=1)
    assert attempt(client, "0912345678", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_account_is_counted_whichever_way_it_is_typed(client, clock, farmer):
    for login in ["0912345678", "+84912345678", "84912345678", "bac.loc@example.vn"]:
        assert attempt(client, login).status_code == 400
    assert attempt(client, "BAC.LOC@example.vn").status_code == 429
    assert attempt(client, "0912345678", PASSWORD).status_code == 429


def test_the_lock_follows_the_account_to_another_address(client, clock, farmer):
    fail(client, "0912345678", 5, address=HOME)
    assert attempt(client, "0912345678", PASSWORD, address=ELSEWHERE).status_code == 429


def test_other_accounts_at_the_same_address_are_not_locked(app, client, clock, farmer):
    make_user(app, email="co.hoa@example.vn")
    fail(client, "0912345678", 5, address=HOME)
    assert attempt(client, "co.hoa@example.vn", PASSWORD, address=HOME).status_code == 302


def test_too_many_failures_from_one_address_lock_that_address(app, client, clock):
    app.config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"] = 20
    make_user(app, email="co.hoa@example.vn")
    statuses = []
    for n in range(5):  # four guesses at each of five logins: no single account reaches its limit
        statuses += fail(client, f"nguoi.la{n}@example.vn", 4, address=HOME)
    assert statuses == [400] * 19 + [429]
    assert attempt(client, "co.hoa@example.vn", PASSWORD, address=HOME).status_code == 429
    assert attempt(client, "co.hoa@example.vn", PASSWORD, address=ELSEWHERE).status_code == 302


def test_an_ipv6_client_is_counted_by_its_network(app, client, clock):
    app.config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"] = 3
    make_user(app, email="co.hoa@example.vn")
    fail(client, "nguoi.la1@example.vn", 1, address="2001:db8:1:2::1")
    fail(client, "nguoi.la2@example.vn", 1, address="2001:db8:1:2::2")
    fail(client, "nguoi.la3@example.vn", 1, address="2001:db8:1:2:aaaa::3")
    assert attempt(client, "co.hoa@example.vn", PASSWORD, address="2001:db8:1:2::9").status_code == 429
    assert attempt(client, "co.hoa@example.vn", PASSWORD, address="2001:db8:1:3::9").status_code == 302


def test_a_successful_login_clears_the_account_counter(client, clock, farmer):
    fail(client, "0912345678", 4)
    assert attempt(client, "0912345678", PASSWORD).status_code == 302
    client.post("/dang-xuat")
    assert fail(client, "0912345678", 4) == [400] * 4
    assert attempt(client, "0912345678", PASSWORD).status_code == 302


def test_failures_spread_beyond_the_window_do_not_add_up(client, clock, farmer):
    fail(client, "0912345678", 4)
    clock.advance(minutes=16)
    assert fail(client, "0912345678", 4) == [400] * 4
    assert attempt(client, "0912345678", PASSWORD).status_code == 302


def test_the_lock_doubles_with_each_lockout_up_to_the_cap(app, client, clock, farmer):
    app.config["LOGIN_LOCK_MAX_SECONDS"] = 45 * 60
    assert fail(client, "0912345678", 5)[-1] == 429  # first lock: 15 minutes
    clock.advance(minutes=15)
    assert fail(client, "0912345678", 5) == [400] * 4 + [429]  # second lock: 30 minutes
    assert "đợi 30 phút" in attempt(client, "0912345678", PASSWORD).get_data(as_text=True)
    clock.advance(minutes=30)
    fail(client, "0912345678", 5)  # third lock would be 60 minutes; the cap is 45
    assert "đợi 45 phút" in attempt(client, "0912345678", PASSWORD).get_data(as_text=True)
    clock.advance(minutes=45)
    assert attempt(client, "0912345678", PASSWORD).status_code == 302


def test_a_long_quiet_time_after_a_lock_forgets_the_lockouts(client, clock, farmer):
    fail(client, "0912345678", 5)
    clock.advance(minutes=15 + 15)  # the lock, then a whole quiet window
    fail(client, "0912345678", 5)
    assert "đợi 15 phút" in attempt(client, "0912345678", PASSWORD).get_data(as_text=True)


def test_an_unknown_account_locks_exactly_like_a_real_one(app, client, clock, farmer):
    real = [attempt(client, "0912345678") for _ in range(6)]
    unknown = [attempt(client, "0987654321", address=ELSEWHERE) for _ in range(6)]
    assert [r.status_code for r in real] == [r.status_code for r in unknown] == [400] * 4 + [429] * 2

    def alert(response):
        text = response.get_data(as_text=True).replace("0912345678", "X").replace("0987654321", "X")
        start = text.index('role="alert"')
        return text[start:text.index("</div>", start)]

    assert [alert(r) for r in real] == [alert(r) for r in unknown]


def test_refused_logins_while_locked_do_not_lengthen_the_lock(client, clock, farmer):
    fail(client, "0912345678", 5)
    clock.advance(minutes=10)
    fail(client, "0912345678", 10)
    clock.advance(minutes=5)
    assert attempt(client, "0912345678", PASSWORD).status_code == 302


def test_successful_logins_leave_no_counters_behind(app, client, clock, farmer):
    attempt(client, "0912345678", PASSWORD)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(LoginThrottle)).scalar_one() == 0


def test_the_lock_also_guards_the_change_of_password(app, client, clock, farmer):
    attempt(client, "0912345678", PASSWORD)
    statuses = [
        client.post(
            "/tai-khoan/mat-khau",
            data={"current_password": WRONG, "new_password": "mat-khau-moi-123", "new_password_confirm": "mat-khau-moi-123"},
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [400] * 4 + [429]
    client.post("/dang-xuat")
    assert attempt(client, "0912345678", PASSWORD).status_code == 429


# --- The rules themselves, without requests -----------------------------------------------------


def test_address_keys():
    assert throttle.address_key("203.0.113.5") == "address:203.0.113.5"
    assert throttle.address_key("::ffff:203.0.113.5") == "address:203.0.113.5"
    assert throttle.address_key("2001:db8:1:2::1") == throttle.address_key("2001:db8:1:2:ffff::9")
    assert throttle.address_key("2001:db8:1:2::1") != throttle.address_key("2001:db8:1:3::1")
    assert throttle.address_key(None) == "address:unknown"


def test_record_failure_and_clear(app, clock):
    with app.app_context():
        for _ in range(2):
            throttle.record_failure("account:999", limit=3)
        assert throttle.lock_until("account:999") is None
        throttle.record_failure("account:999", limit=3)
        assert throttle.lock_until("account:999") == clock.now + timedelta(minutes=15)
        throttle.clear_failures("account:999")
        assert throttle.lock_until("account:999") is None


def test_stale_counters_are_forgotten(app, clock):
    with app.app_context():
        throttle.record_failure("address:192.0.2.1", limit=5)
        throttle.record_failure("address:192.0.2.2", limit=1)  # locked for 15 minutes
        db.session.commit()
        clock.advance(minutes=16)
        assert throttle.forget_stale_throttles() == 1  # the lock is over, but its quiet window is not
        clock.advance(minutes=15)
        assert throttle.forget_stale_throttles() == 1
        db.session.commit()
        assert db.session.execute(select(func.count()).select_from(LoginThrottle)).scalar_one() == 0


def test_the_daily_command_forgets_stale_counters(app, runner, clock):
    with app.app_context():
        throttle.record_failure("address:192.0.2.9", limit=5)
        db.session.commit()
    clock.advance(minutes=16)
    result = runner.invoke(args=["forget-login-failures"])
    assert result.exit_code == 0
    assert "Đã xoá 1 bộ đếm" in result.output
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(LoginThrottle)).scalar_one() == 0
