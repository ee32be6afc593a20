"""The host's side of livestreams: schedule, edit, feature products, go live, end, cancel."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("manage_livestreams", __name__, url_prefix="/quan-ly/livestream")
