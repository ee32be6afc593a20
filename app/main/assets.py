"""Static files: linked with a fingerprint of their content and cached by phones for a year.

`asset_url("css/site.css")` gives `/static/css/site.css?v=<hash>`. An answer to that exact
address may be kept for a year without asking again (`immutable`): the address changes the
moment the file does. Any other address of the file (no `v`, or the `v` of an older copy, asked
by a page a phone kept from before a deploy) is answered with the current file and `no-cache`,
so the phone checks it next time (a cheap 304) and is never left on old CSS for a year.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app, request, url_for

ONE_YEAR = 365 * 24 * 3600
YEAR_LONG = f"public, max-age={ONE_YEAR}, immutable"
CHECK_EACH_TIME = "no-cache"


def fingerprint(filename: str) -> str:
    """The first 10 hex digits of the file's SHA-256, read again only when the file changes."""
    path = Path(current_app.static_folder) / filename
    stat = path.stat()
    known = current_app.extensions.setdefault("asset_fingerprints", {})
    key = (filename, stat.st_mtime_ns, stat.st_size)
    if key not in known:
        known[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return known[key]


def asset_url(filename: str) -> str:
    """A static file's address with a fingerprint of its content, so it can be cached for a year
    and still change the moment the file does."""
    return url_for("static", filename=filename, v=fingerprint(filename))


def cache_static_files(response):
    """After request: a year for the fingerprinted address, a check each time for any other."""
    if request.endpoint != "static" or response.status_code not in (200, 206, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    try:
        current = fingerprint(filename)
    except OSError:  # nothing there after all: leave the answer alone
        return response
    if request.args.get("v") == current:
        response.headers["Cache-Control"] = YEAR_LONG
    else:
        response.headers["Cache-Control"] = CHECK_EACH_TIME
        response.headers.pop("Expires", None)
    return response


def register(app) -> None:
    app.after_request(cache_static_files)
