"""Public livestream pages: the schedule, a page per live, calendar files and reminders."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("livestreams", __name__)
