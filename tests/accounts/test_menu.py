"""The header's menu shows each role the entries of its own work, and an account link to everyone."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from tests.accounts.helpers import make_user
from tests.sessions import sign_in

EVERYONE = {"/san-pham", "/nha-vuon", "/hop-tac-xa", "/livestream", "/gio-hang"}
SIGNED_IN = {"/tai-khoan", "/dang-xuat"}
BY_ROLE = {
    "buyer": {"/tai-khoan/don-hang"},
    "seller": {"/quan-ly/"},
    "officer": {"/ho-ho-tro/"},
    "admin": {"/quan-tri/tien-the", "/ho-ho-tro/"},
}
ALL_ROLE_ENTRIES = set().union(*BY_ROLE.values())

CASES = {
    "buyer": ([Role.BUYER], BY_ROLE["buyer"]),
    "producer": ([Role.PRODUCER], BY_ROLE["seller"]),
    "producer who buys": ([Role.BUYER, Role.PRODUCER], BY_ROLE["buyer"] | BY_ROLE["seller"]),
    "cooperative manager": ([Role.COOPERATIVE_MANAGER], BY_ROLE["seller"]),
    "officer": ([Role.OFFICER], BY_ROLE["officer"]),
    "admin": ([Role.ADMIN], BY_ROLE["admin"]),
}


def menu_addresses(page: str) -> set[str]:
    """Every address the header offers (the cart beside the name, the menu row below)."""
    start = page.index('<header class="site-header">')
    menu = page[start:page.index("</header>", start)]
    addresses = {piece.split('"', 1)[0].split("?", 1)[0] for piece in menu.split('href="')[1:]}
    if 'action="/dang-xuat"' in menu:  # signing out is a form (a POST), not a link
        addresses.add("/dang-xuat")
    return addresses


@pytest.mark.parametrize("who", list(CASES))
def test_each_role_sees_its_own_entries_and_not_the_others(app, client, who):
    roles, own = CASES[who]
    sign_in(client, make_user(app, roles=roles))
    page = client.get("/").get_data(as_text=True)
    menu = menu_addresses(page)
    assert EVERYONE | SIGNED_IN | own <= menu
    assert not (ALL_ROLE_ENTRIES - own) & menu
    assert "/dang-nhap" not in menu
    # Each entry opens for the person who sees it (no "you are not a seller" page behind a link).
    for address in own | {"/tai-khoan"}:
        assert client.get(address).status_code == 200, address


def test_a_visitor_sees_the_public_entries_and_a_sign_in_link_back_to_the_page(client):
    page = client.get("/san-pham?q=cam").get_data(as_text=True)
    menu = menu_addresses(page)
    assert EVERYONE | {"/dang-nhap"} <= menu
    assert not (ALL_ROLE_ENTRIES | SIGNED_IN) & menu
    assert 'href="/dang-nhap?next=/san-pham?q%3Dcam"' in page or 'href="/dang-nhap?next=/san-pham%3Fq%3Dcam"' in page


def test_the_account_page_links_to_own_orders_and_the_language(app, client):
    sign_in(client, make_user(app, roles=[Role.BUYER, Role.PRODUCER], email="vuon@example.vn"))
    page = client.get("/tai-khoan").get_data(as_text=True)
    assert "vuon@example.vn" in page
    assert 'href="/tai-khoan/don-hang"' in page and 'href="/quan-ly/"' in page
    assert "Tiếng Việt" in page and 'action="/ngon-ngu/en"' in page


def test_a_buyers_account_page_does_not_offer_the_sellers_dashboard(app, client):
    sign_in(client, make_user(app, roles=[Role.BUYER]))
    page = client.get("/tai-khoan").get_data(as_text=True)
    assert 'href="/tai-khoan/don-hang"' in page and 'href="/quan-ly/"' not in page
