"""The officers' pages without a signal, seen from the server: the service worker, the
home-screen manifest and the offline page are for officers only, and signing out clears the
phone's copy."""

from __future__ import annotations

import json

import pytest

from app.extensions import db
from tests.factories import UserFactory
from tests.households.factories import HouseholdFactory, officer
from tests.households.test_pages import sign_in

MANIFEST = "/static/manifest.webmanifest"


@pytest.fixture
def people(app):
    with app.app_context():
        user, buyer = officer(), UserFactory()
        household = HouseholdFactory()
        db.session.commit()
        return {"officer": user.id, "buyer": buyer.id, "household": household.id}


def config_of(script: str) -> dict:
    first_line = script.splitlines()[0]
    assert first_line.startswith("self.HH_CONFIG = ") and first_line.endswith(";")
    return json.loads(first_line.removeprefix("self.HH_CONFIG = ").removesuffix(";"))


def test_the_service_worker_is_served_to_an_officer_with_its_scope_and_no_long_cache(client, people):
    sign_in(client, people["officer"])
    response = client.get("/ho-ho-tro/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/ho-ho-tro/"
    assert "no-cache" in response.headers["Cache-Control"] and "max-age" not in response.headers["Cache-Control"]
    script = response.get_data(as_text=True)
    config = config_of(script)
    assert config["scope"] == "/ho-ho-tro/" and config["offline"] == "/ho-ho-tro/ngoai-tuyen"
    assert "/ho-ho-tro/" in config["precache"] and "/ho-ho-tro/ngoai-tuyen" in config["precache"]
    assert all(address.startswith(("/ho-ho-tro/", "/static/")) for address in config["precache"])
    assert any(address.startswith("/static/css/site.css?v=") for address in config["precache"])
    assert 'addEventListener("fetch"' in script and 'request.method !== "GET"' in script


def test_the_service_worker_is_refused_to_others(client, people):
    assert client.get("/ho-ho-tro/sw.js").status_code == 302  # to the login page
    assert "/dang-nhap" in client.get("/ho-ho-tro/sw.js").headers["Location"]
    sign_in(client, people["buyer"])
    assert client.get("/ho-ho-tro/sw.js").status_code == 403


def test_the_offline_page_says_what_still_works(client, people):
    sign_in(client, people["officer"])
    page = client.get("/ho-ho-tro/ngoai-tuyen").get_data(as_text=True)
    assert "Trang này chưa được lưu trên máy" in page and 'href="/ho-ho-tro/"' in page


def test_the_manifest_is_linked_from_officer_pages_only(client, people):
    sign_in(client, people["officer"])
    household = people["household"]
    for path in ("/ho-ho-tro/", f"/ho-ho-tro/{household}", f"/ho-ho-tro/{household}/ra-soat/2026"):
        page = client.get(path).get_data(as_text=True)
        assert f'rel="manifest" href="{MANIFEST}"' in page, path
        assert "js/offline-review.js" in page and 'data-sw="/ho-ho-tro/sw.js"' in page, path
    for path in ("/", "/san-pham", "/dang-nhap"):
        if path == "/dang-nhap":
            client.delete_cookie("session")
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert 'rel="manifest"' not in page and "offline-review.js" not in page, path


def test_the_manifest_opens_the_list_as_an_app_with_its_icons(client):
    manifest = json.loads(client.get(MANIFEST).get_data(as_text=True))
    assert manifest["name"] == "Chợ Phiên — Rà soát hộ"
    assert manifest["start_url"] == manifest["scope"] == "/ho-ho-tro/"
    assert manifest["display"] == "standalone" and manifest["theme_color"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_signing_out_clears_the_phones_copy(client, people):
    sign_in(client, people["officer"])
    response = client.post("/dang-xuat")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
