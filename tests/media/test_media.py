"""Stored photos are served from /media/ with year-long, immutable caching, and nothing else is."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from app.extensions import db
from app.main.templating import image_srcset, image_url
from app.media.images import store_image

ONE_YEAR = 365 * 24 * 3600


def _stored(app):
    out = io.BytesIO()
    Image.new("RGB", (1000, 750), (230, 130, 30)).save(out, "JPEG")
    out.seek(0)
    with app.app_context():
        image = store_image(out)
        db.session.commit()
        return image.digest, image.variant_widths, [image.variant_path(w) for w in image.variant_widths]


def test_stored_variant_is_served_with_immutable_year_long_cache(app, client):
    _, _, paths = _stored(app)
    for path in paths:
        response = client.get(f"/media/{path}")
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache
        assert f"max-age={ONE_YEAR}" in cache
        assert "public" in cache
        assert response.data == (Path(app.config["UPLOAD_DIR"]) / path).read_bytes()


def test_templates_point_at_the_served_variants(app, client):
    digest, widths, paths = _stored(app)
    assert widths == [320, 480, 800, 1000]
    from app.media.models import StoredImage

    with app.test_request_context():
        image = db.session.scalars(db.select(StoredImage).filter_by(digest=digest)).one()
        assert image_url(image, 800) == f"/media/{paths[2]}"
        assert image_url(image, 1600) == f"/media/{paths[3]}"  # the largest there is
        assert image_srcset(image) == ", ".join(f"/media/{p} {w}w" for p, w in zip(paths, widths))
    assert client.get(f"/media/{paths[1]}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/media/../config.py",
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/..%2fsecret.txt",
        "/media/ab/../../secret.txt",
        "/media//etc/passwd",
    ],
)
def test_nothing_outside_the_upload_folder_is_served(app, client, tmp_path, url):
    _stored(app)  # the folder exists and holds files
    (tmp_path / "secret.txt").write_text("SECRET_KEY=do-not-serve")  # next to UPLOAD_DIR
    response = client.get(url, follow_redirects=True)  # "//" is first redirected to "/"
    assert response.status_code == 404
    assert b"do-not-serve" not in response.data


def test_unknown_file_is_not_found_and_not_cached_forever(app, client):
    _stored(app)
    response = client.get("/media/ab/" + "ab" * 32 + "-800.jpg")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")
