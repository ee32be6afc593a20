"""Fixtures for browser tests: a live server on a fresh database, Chromium, and phone-sized pages.

The live server is the application from tests/conftest.py with CSRF protection switched back on,
served by werkzeug on 127.0.0.1 and a free port, so several xdist workers never collide.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from flask import Flask, got_request_exception
from werkzeug.serving import make_server

from app.accounts.models import Role
from app.extensions import db
from tests.conftest import _make_app
from tests.e2e import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    FAIL_PREFIX,
    SKIP_PREFIX,
    launch_failure_reason,
    missing_browser_reason,
    running_in_ci,
    summarize_browser_tests,
)
from tests.factories import ProducerFactory, UserFactory

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
}
# A slow phone on a slow network still answers a local server within this; a wrong page never will.
TIMEOUT_MS = 10_000


def pytest_terminal_summary(terminalreporter):
    summarize_browser_tests(terminalreporter)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


def _no_browser(reason: str):
    if running_in_ci():
        pytest.fail(FAIL_PREFIX + reason + " (CI=true: a missing browser is an error here.)", pytrace=False)
    pytest.skip(SKIP_PREFIX + reason)


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process (per xdist worker)."""
    reason = missing_browser_reason()
    if reason:
        _no_browser(reason)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
    except PlaywrightError as error:
        playwright.stop()
        _no_browser(launch_failure_reason(error))
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def _browser_first(browser):
    """Skip (or fail) before a database is made when there is no browser to use it."""


@dataclass
class LiveServer:
    app: Flask
    url: str
    errors: list[BaseException] = field(default_factory=list)


@contextmanager
def serving(app: Flask, name: str = "live-server") -> Iterator[LiveServer]:
    """Serve app on 127.0.0.1 and a free port in a thread, recording any exception a request
    raised; on leaving, stop the server and close the app's connections."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    live = LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")

    def record(sender, exception, **extra):
        live.errors.append(exception)

    got_request_exception.connect(record, app)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        got_request_exception.disconnect(record, app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(database_url_for_test, tmp_path):
    app = _make_app(database_url_for_test, tmp_path, WTF_CSRF_ENABLED=True)
    with serving(app) as live:
        yield live
    if live.errors:
        pytest.fail(f"The live server raised during the test: {live.errors[0]!r}", pytrace=False)


@pytest.fixture
def new_phone(browser, request, tmp_path):
    """Open a page in a fresh phone-sized browser context: `page = new_phone()`, or
    `new_phone(java_script_enabled=False)`. Each call is a separate visitor (own cookies)."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**{**PHONE, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page

    report = request.node.stash.get(_CALL_REPORT, None)
    for number, context in enumerate(contexts):
        if report is not None and report.failed:
            for index, page in enumerate(context.pages):
                path = tmp_path / f"failure-{number}-{index}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"screenshot of {page.url}: {path}")
        context.close()


@pytest.fixture
def phone(new_phone):
    """A page in a phone-sized browser context (360×740 CSS pixels, Vietnamese)."""
    return new_phone()


def pytest_configure(config):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def producer_login(live_server) -> str:
    """A producer with a profile on the live server; returns what they type in the login box."""
    with live_server.app.app_context():
        user = UserFactory(full_name="Trần Văn Lộc", roles=[Role.PRODUCER])
        ProducerFactory(user=user, display_name="Vườn cam nhà bác Lộc")
        email = user.email
        db.session.commit()
        db.session.remove()
    return email
