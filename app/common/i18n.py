"""The language of the request being served, for code that words or formats something."""

from __future__ import annotations

from flask_babel import get_locale


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "vi"
