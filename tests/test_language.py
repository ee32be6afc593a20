"""The language switch: a form in the header saves the choice; a plain link only sets the cookie."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import User
from app.extensions import db
from tests.accounts.helpers import make_user
from tests.sessions import sign_in


def locale_of(app, user_id: int) -> str | None:
    with app.app_context():
        return db.session.get(User, user_id).locale


def test_the_header_offers_a_form_that_returns_to_the_page(client):
    page = client.get("/san-pham?q=cam").get_data(as_text=True)
    form = re.search(r'<form class="inline" action="/ngon-ngu/en" method="post">(.*?)</form>', page, re.S)
    assert form, "the switch to English is a POST form"
    assert 'name="csrf_token"' in form.group(1)
    assert 'name="next" value="/san-pham?q=cam"' in form.group(1)
    assert '<button class="link" type="submit" lang="en"' in form.group(1)
    assert 'href="/ngon-ngu/' not in page


def test_a_visitor_switches_without_an_account(client):
    response = client.post("/ngon-ngu/en", data={"next": "/san-pham?q=cam"})
    assert response.status_code == 302 and response.headers["Location"] == "/san-pham?q=cam"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_posting_saves_the_choice_on_the_account(app, client):
    user_id = make_user(app)
    sign_in(client, user_id)
    response = client.post("/ngon-ngu/en", data={"next": "/nha-vuon"})
    assert response.headers["Location"] == "/nha-vuon"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert locale_of(app, user_id) == "en"
    client.post("/ngon-ngu/fr")
    assert locale_of(app, user_id) == "en"


def test_a_get_sets_the_cookie_and_writes_nothing(app, client, count_queries):
    user_id = make_user(app)
    sign_in(client, user_id)
    with count_queries() as statements:
        response = client.get("/ngon-ngu/en?next=/nha-vuon")
    assert response.headers["Location"] == "/nha-vuon"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert not [s for s in statements if not s.lstrip().upper().startswith("SELECT")]
    assert locale_of(app, user_id) is None
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example"])
def test_the_form_never_sends_anyone_off_the_site(client, target):
    assert client.post("/ngon-ngu/en", data={"next": target}).headers["Location"] == "/"


def test_the_form_needs_the_page_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    user_id = make_user(app)
    sign_in(client, user_id)
    assert client.post("/ngon-ngu/en", data={"next": "/"}).status_code == 400
    assert locale_of(app, user_id) is None

    page = client.get("/").get_data(as_text=True)
    token = re.search(
        r'action="/ngon-ngu/en" method="post">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page
    )
    response = client.post("/ngon-ngu/en", data={"csrf_token": token.group(1), "next": "/"})
    assert response.status_code == 302
    assert locale_of(app, user_id) == "en"
