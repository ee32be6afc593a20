"""Where signing in lands each person: one rule (app/accounts/landing.py), as a table."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from tests.accounts.helpers import PASSWORD, make_user

PUBLIC_PAGE = "/san-pham?q=cam"  # what the header's sign-in link carries: the page being read
PROTECTED_PAGE = "/tai-khoan/don-hang"  # what the access gate's redirect carries: a page that needs an account

DASHBOARD = "/quan-ly/"
HOUSEHOLDS = "/ho-ho-tro/"
ADMIN_PAGE = "/quan-tri/tien-the"

ROLES = {
    "buyer": [Role.BUYER],
    "producer": [Role.BUYER, Role.PRODUCER],
    "cooperative manager": [Role.COOPERATIVE_MANAGER],
    "officer": [Role.OFFICER],
    "admin": [Role.ADMIN],
    "producer and officer": [Role.PRODUCER, Role.OFFICER],
    "admin and producer": [Role.ADMIN, Role.PRODUCER],
}

# role -> (no next, next = a public page, next = a page that needs an account)
EXPECTED = {
    "buyer": ("/", PUBLIC_PAGE, PROTECTED_PAGE),
    "producer": (DASHBOARD, DASHBOARD, PROTECTED_PAGE),
    "cooperative manager": (DASHBOARD, DASHBOARD, PROTECTED_PAGE),
    "officer": (HOUSEHOLDS, HOUSEHOLDS, PROTECTED_PAGE),
    "admin": (ADMIN_PAGE, ADMIN_PAGE, PROTECTED_PAGE),
    "producer and officer": (DASHBOARD, DASHBOARD, PROTECTED_PAGE),
    "admin and producer": (ADMIN_PAGE, ADMIN_PAGE, PROTECTED_PAGE),
}

CASES = [
    pytest.param(role, next_page, expected, id=f"{role}-{label}")
    for role, landings in EXPECTED.items()
    for (label, next_page), expected in zip(
        (("no next", None), ("public next", PUBLIC_PAGE), ("protected next", PROTECTED_PAGE)), landings, strict=True
    )
]


@pytest.mark.parametrize(("role", "next_page", "expected"), CASES)
def test_signing_in_lands_each_person_where_their_work_is(app, client, role, next_page, expected):
    make_user(app, email="nguoi@example.vn", roles=ROLES[role])
    address = "/dang-nhap" if next_page is None else f"/dang-nhap?next={next_page}"
    response = client.post(address, data={"login": "nguoi@example.vn", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert client.get(expected).status_code == 200


@pytest.mark.parametrize("role", ["producer", "officer", "admin"])
@pytest.mark.parametrize("buying_page", ["/gio-hang", "/thanh-toan"])
def test_whoever_signs_in_from_their_cart_or_checkout_goes_back_to_it(app, client, role, buying_page):
    make_user(app, email="nguoi@example.vn", roles=ROLES[role])
    response = client.post(f"/dang-nhap?next={buying_page}", data={"login": "nguoi@example.vn", "password": PASSWORD})
    assert response.headers["Location"] == buying_page


def test_the_gate_sends_a_seller_back_to_the_page_that_needed_an_account(app, client):
    make_user(app, email="nongdan@example.vn", roles=[Role.PRODUCER])
    sent = client.get("/tai-khoan/don-hang")
    assert sent.status_code == 302
    login_address = sent.headers["Location"]
    landed = client.post(login_address, data={"login": "nongdan@example.vn", "password": PASSWORD})
    assert landed.headers["Location"] == "/tai-khoan/don-hang"


@pytest.mark.parametrize("next_page", ["//evil.example/", "https://evil.example/tai-khoan", "/\\evil.example"])
def test_next_never_leaves_the_site(app, client, next_page):
    make_user(app, email="nguoi@example.vn", roles=[Role.BUYER])
    response = client.post(f"/dang-nhap?next={next_page}", data={"login": "nguoi@example.vn", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_a_new_buyer_goes_back_where_they_were(client):
    response = client.post(f"/dang-ky?next={PUBLIC_PAGE}", data={
        "full_name": "Trần Văn Mua", "email": "mua@example.vn", "phone": "", "password": PASSWORD,
        "password_confirm": PASSWORD, "consent": "y",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == PUBLIC_PAGE


def test_a_new_producer_lands_on_the_dashboard(client):
    response = client.post(f"/dang-ky?next={PUBLIC_PAGE}", data={
        "full_name": "Lê Văn Vườn", "email": "vuon@example.vn", "phone": "", "password": PASSWORD,
        "password_confirm": PASSWORD, "consent": "y", "is_producer": "y",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == DASHBOARD
