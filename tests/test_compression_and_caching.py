"""What a phone downloads: text compressed (brotli or gzip), photos as they are, static files
fingerprinted and kept for a year only at their current fingerprint."""

from __future__ import annotations

import gzip
import io
import re
import shutil
from pathlib import Path

import brotli
import pytest
from PIL import Image

from app.extensions import db
from tests.factories import LivestreamFactory
from tests.households.factories import officer
from tests.sessions import sign_in

BROTLI = {"Accept-Encoding": "br, gzip"}
GZIP = {"Accept-Encoding": "gzip"}
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


def decoded(response) -> bytes:
    return DECODE[response.headers["Content-Encoding"]](response.data)


def without_tokens(html: bytes) -> bytes:
    # Each rendering signs its own form token; everything else must be the same.
    return re.sub(rb'name="csrf_token" (type="hidden" )?value="[^"]*"', b"", html)


def stylesheet_url(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)


@pytest.mark.parametrize("encoding, headers", [("br", BROTLI), ("gzip", GZIP)])
def test_a_page_comes_compressed_when_the_browser_asks_and_decodes_to_the_same_page(client, encoding, headers):
    plain = client.get("/san-pham")
    packed = client.get("/san-pham", headers=headers)

    assert packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert without_tokens(decoded(packed)) == without_tokens(plain.data)


@pytest.mark.parametrize("encoding, headers", [("br", BROTLI), ("gzip", GZIP)])
def test_the_stylesheet_comes_compressed_and_decodes_to_the_file(app, client, encoding, headers):
    response = client.get(stylesheet_url(client), headers=headers)

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decoded(response) == (Path(app.static_folder) / "css/site.css").read_bytes()


def test_a_browser_that_asks_for_nothing_gets_the_stylesheet_as_it_is(app, client):
    response = client.get(stylesheet_url(client), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.data == (Path(app.static_folder) / "css/site.css").read_bytes()


def test_a_kept_compressed_stylesheet_is_confirmed_with_304(client):
    url = stylesheet_url(client)
    first = client.get(url, headers=BROTLI)
    etag = first.headers["ETag"]

    again = client.get(url, headers={**BROTLI, "If-None-Match": etag})

    assert again.status_code == 304
    assert again.data == b""


def test_a_range_of_a_static_file_is_never_compressed(app, client):
    response = client.get(stylesheet_url(client), headers={**BROTLI, "Range": "bytes=0-4999"})
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert response.data == (Path(app.static_folder) / "css/site.css").read_bytes()[:5000]


def test_photos_and_icons_are_sent_as_they_are(app, client):
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), (240, 140, 30)).save(photo, "JPEG", quality=95)
    folder = Path(app.config["UPLOAD_DIR"]) / "ab"
    folder.mkdir(parents=True)
    (folder / "ab12-800.jpg").write_bytes(photo.getvalue())

    jpeg = client.get("/media/ab/ab12-800.jpg", headers=BROTLI)
    icon = client.get("/static/img/icon-512.png", headers=BROTLI)

    assert jpeg.status_code == icon.status_code == 200
    assert "Content-Encoding" not in jpeg.headers and "Content-Encoding" not in icon.headers
    assert jpeg.data == photo.getvalue()
    assert jpeg.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_calendar_feed_is_compressed_and_still_answers_304(app, client):
    with app.app_context():
        for _ in range(4):
            LivestreamFactory()
        db.session.commit()
    first = client.get("/livestream/lich.ics", headers=BROTLI)
    assert first.headers["Content-Encoding"] == "br"
    assert b"BEGIN:VCALENDAR" in decoded(first)

    again = client.get("/livestream/lich.ics", headers={**BROTLI, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# --- static files: a year at the current fingerprint, a check each time otherwise ----------------


def test_the_fingerprinted_stylesheet_is_kept_for_a_year(client):
    response = client.get(stylesheet_url(client))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("query", ["", "?v=0123456789"])
def test_a_bare_or_stale_address_is_checked_each_time(client, query):
    response = client.get(f"/static/css/site.css{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Expires" not in response.headers
    assert "ETag" in response.headers  # so the check is a cheap 304


@pytest.fixture
def own_static_folder(app, tmp_path):
    """The app's static files copied where a test may change them."""
    folder = tmp_path / "static"
    shutil.copytree(app.static_folder, folder)
    app.static_folder = str(folder)
    return folder


def test_a_changed_file_gets_a_new_address_and_the_old_one_stops_being_kept(app, client, own_static_folder):
    before = stylesheet_url(client)
    css = own_static_folder / "css" / "site.css"
    css.write_text(css.read_text() + "\n.new-rule { color: red; }\n")

    after = stylesheet_url(client)

    assert after != before
    assert client.get(after).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    old = client.get(before)
    assert old.headers["Cache-Control"] == "no-cache"
    assert b".new-rule" in old.data  # the current file, never the one the old page linked


def test_every_static_file_the_pages_link_goes_through_its_fingerprint():
    """Templates and scripts link static files with asset_url; the manifest alone keeps one
    address (an installed app is known by it) and is checked each time instead."""
    root = Path(__file__).resolve().parents[1]
    allowed = {"manifest.webmanifest"}
    found = []
    for path in [*(root / "templates").rglob("*.html"), *(root / "templates").rglob("*.js"),
                 *(root / "static" / "js").rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"url_for\(\s*['\"]static['\"]\s*,\s*filename=['\"]([^'\"]+)", text):
            if match.group(1) not in allowed:
                found.append(f"{path.relative_to(root)}: {match.group(1)}")
        for match in re.finditer(r"['\"]/static/([^'\"?]+)['\"]", text):
            if match.group(1) not in allowed:
                found.append(f"{path.relative_to(root)}: /static/{match.group(1)}")
    assert found == []


def test_the_officers_service_worker_comes_compressed_and_is_never_kept(app, client):
    with app.app_context():
        officer_id = officer().id
        db.session.commit()
    sign_in(client, officer_id)

    response = client.get("/ho-ho-tro/sw.js", headers=BROTLI)

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "no-cache, private"
    assert b"self.HH_CONFIG" in decoded(response)
