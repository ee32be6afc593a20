"""Fixtures: an application per test on a fresh, migrated database.

The schema is built once per test process by the Alembic revisions (never by create_all), then
copied for each test: a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL when
TEST_DATABASE_URL is set. Tests make requests without holding an application context, so
every request gets its own database session, as in production.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from config import TestingConfig, database_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# Every test starts at one moment, never the real date, and the clock ticks on from there.
# TEST_NOW moves the whole suite to another one (an ISO 8601 time with its offset), as the
# Makefile's test-moments target does for the moments that break date code.
TEST_NOW = os.environ.get("TEST_NOW") or "2026-06-10T09:00+07:00"
_counter = itertools.count()
# The English catalogue compiled for this run (pytest_sessionstart).
COMPILED_TRANSLATIONS: Path | None = None


def _worker() -> str:
    # The process id keeps two test runs against one server (two checkouts, or a run while CI
    # runs) from dropping each other's databases.
    return f'{os.environ.get("PYTEST_XDIST_WORKER", "main")}_{os.getpid()}'



def _make_app(url: str, tmp_path, **overrides):
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "BABEL_TRANSLATION_DIRECTORIES": str(COMPILED_TRANSLATIONS),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    settings.update(overrides)
    return create_app(TestingConfig, settings)


def _migrate(url: str, tmp_path) -> None:
    app = _make_app(url, tmp_path)
    with app.app_context():
        upgrade()
        db.engine.dispose()


class SQLiteDatabases:
    def __init__(self, tmp_path_factory):
        self.root = tmp_path_factory.mktemp("db")
        self.template = self.root / "template.sqlite3"
        _migrate(f"sqlite:///{self.template}", self.root)

    def create(self) -> str:
        path = self.root / f"test-{next(_counter)}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        os.unlink(url.removeprefix("sqlite:///"))


class PostgresDatabases:
    def __init__(self, tmp_path_factory):
        self.admin_url = sa.engine.make_url(database_url(TEST_DATABASE_URL, ""))
        self.base = self.admin_url.database
        self.admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self.template = f"{self.base}_tmpl_{_worker()}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{self.template}"'))
        _migrate(self._url(self.template), tmp_path_factory.mktemp("db"))

    def _url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self) -> str:
        name = f"{self.base}_{_worker()}_{next(_counter)}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self._url(name)

    def drop(self, url: str) -> None:
        name = sa.engine.make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
        self.admin.dispose()


def _test_moment() -> datetime:
    moment = datetime.fromisoformat(TEST_NOW)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"TEST_NOW={TEST_NOW} needs an offset, e.g. 2027-01-01T00:30+07:00")
    return moment


class Clock:
    """The clock every test runs on (the `clock` fixture).

    `clock.set(moment)` stops it at a moment a test needs, `clock.advance(minutes=16)` moves it
    on. Code under test reads it through `common.timezone.utcnow()` like the real one.
    """

    def __init__(self, traveller):
        self._traveller = traveller

    @property
    def now(self) -> datetime:
        from app.common.timezone import utcnow

        return utcnow()

    def set(self, moment: datetime, *, tick: bool = False) -> None:
        if moment.tzinfo is None:
            raise ValueError("give the moment with its time zone")
        self._traveller.move_to(moment, tick=tick)

    def advance(self, **delta) -> None:
        self._traveller.shift(timedelta(**delta))


@pytest.fixture(autouse=True)
def clock(request):
    if request.node.get_closest_marker("e2e"):
        # Chromium keeps its own clock: a browser test runs on the real one throughout.
        yield None
        return
    with time_machine.travel(_test_moment(), tick=True) as traveller:
        yield Clock(traveller)


def pytest_report_header(config):
    return f"tests start at {TEST_NOW} (TEST_NOW), the clock ticking"


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = PostgresDatabases if TEST_DATABASE_URL else SQLiteDatabases
    dbs = factory(tmp_path_factory)
    yield dbs
    if hasattr(dbs, "close"):
        dbs.close()


@pytest.fixture
def database_url_for_test(databases):
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture
def app(database_url_for_test, tmp_path):
    app = _make_app(database_url_for_test, tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, login: str, password: str = "mat-khau-dai-12345", follow_redirects: bool = False):
        return self._client.post(
            "/dang-nhap", data={"login": login, "password": password}, follow_redirects=follow_redirects
        )

    def logout(self):
        return self._client.post("/dang-xuat")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside the block: `with count_queries() as counted: ...`."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def before_execute(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before_execute)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", before_execute)

    return counting


def pytest_sessionstart(session):
    # Flask-Babel quietly shows Vietnamese when a compiled catalogue is missing: compile the
    # working tree's catalogues first, into a folder of this run's own (never into app/), so the
    # English pages under test are the ones a visitor would get.
    from tests.test_translations import compile_catalogues

    global COMPILED_TRANSLATIONS
    COMPILED_TRANSLATIONS = compile_catalogues(Path(tempfile.mkdtemp(prefix="chophien-translations-")))


def pytest_sessionfinish(session):
    if COMPILED_TRANSLATIONS is not None:
        shutil.rmtree(COMPILED_TRANSLATIONS, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    # Here rather than in tests/e2e/conftest.py: under xdist the process that prints the
    # summary loads only this file, so a skipped browser run would otherwise go unmentioned.
    from tests.e2e import summarize_browser_tests

    summarize_browser_tests(terminalreporter)
