"""Browser tests: Debian's Chromium driven through Playwright, at phone size, against a live server.

When Chromium is missing or will not start, these tests are skipped and the terminal summary says
why; with CI=true they fail instead, so a build machine cannot lose them silently.
CHROMIUM_PATH names another Chromium binary (default /usr/bin/chromium).
"""

from __future__ import annotations

import os

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"

# This machine's closed network refuses Chromium's background connections; without these flags
# Chromium keeps retrying them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SKIP_PREFIX = "Browser tests skipped: "
FAIL_PREFIX = "Browser tests failed: "
_SUMMARIZED = pytest.StashKey[bool]()

INSTALL_HINT = "Install Debian's chromium package (make test does this when run as root)."


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_browser_reason() -> str | None:
    """Why Chromium cannot be used, without starting it; None when the binary is there."""
    if not os.path.isfile(CHROMIUM_PATH):
        return f"Chromium not found at {CHROMIUM_PATH}. {INSTALL_HINT}"
    if not os.access(CHROMIUM_PATH, os.X_OK):
        return f"Chromium at {CHROMIUM_PATH} is not executable. {INSTALL_HINT}"
    return None


def launch_failure_reason(error: BaseException) -> str:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"Chromium at {CHROMIUM_PATH} could not be started by Playwright ({first_line}). {INSTALL_HINT}"


def summarize_browser_tests(terminalreporter) -> None:
    """Repeat, once at the end of the run, why browser tests did not run.

    Called from pytest_terminal_summary in tests/e2e/conftest.py. Under pytest-xdist the summary
    is written by the controlling process, which sees the workers' reports but loads
    tests/e2e/conftest.py only when tests/e2e is named on the command line; for a whole-suite
    run (make test) tests/conftest.py has to call this as well. The stash keeps it to one notice.
    """
    config = terminalreporter.config
    if config.stash.get(_SUMMARIZED, False):
        return
    config.stash[_SUMMARIZED] = True

    found: dict[str, int] = {}
    for category in ("skipped", "failed", "error"):
        for report in terminalreporter.stats.get(category, []):
            text = _report_text(report)
            for prefix in (SKIP_PREFIX, FAIL_PREFIX):
                start = text.find(prefix)
                if start >= 0:
                    message = text[start:].splitlines()[0].strip()
                    found[message] = found.get(message, 0) + 1
    if not found:
        return
    count = sum(found.values())
    terminalreporter.write_sep("=", f"browser tests: {count} not run", yellow=True, bold=True)
    for message in found:
        terminalreporter.write_line(message, yellow=True, bold=True)


def _report_text(report) -> str:
    longrepr = getattr(report, "longrepr", None)
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, "Skipped: reason")
        return str(longrepr[2])
    try:
        return report.longreprtext
    except Exception:  # pragma: no cover - an unusual report type
        return str(longrepr or "")
