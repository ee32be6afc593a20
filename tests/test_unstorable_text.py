"""A NUL character in what a browser sends is refused with a clear 400 before any view runs:
PostgreSQL cannot store one in text, and a view would otherwise fail half-way with a 500."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from tests.accounts.helpers import make_user
from tests.sessions import sign_in

MESSAGE = "Dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL)."


def test_a_nul_in_a_form_is_refused_with_a_message_and_nothing_is_stored(app, client):
    response = client.post("/dang-ky", data={
        "full_name": "Trần\x00Văn Mua", "email": "mua@example.vn", "phone": "", "password": "mat-khau-dai-2026",
        "password_confirm": "mat-khau-dai-2026", "consent": "y",
    })
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    assert client.post("/dang-nhap", data={"login": "mua@example.vn", "password": "mat-khau-dai-2026"}).status_code == 400


@pytest.mark.parametrize("path", ["/san-pham?q=cam%00", "/san-pham?q=cam&q=bu%00oi", "/livestream?trang=1%00"])
def test_a_nul_in_an_address_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)


def test_a_nul_in_a_sellers_form_is_refused_too(app, client):
    seller = make_user(app, email="vuon@example.vn", roles=[Role.PRODUCER])
    sign_in(client, seller)
    response = client.post("/quan-ly/san-pham/moi", data={"name": "Cam\x00 sành", "price": "150.000"})
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)


def test_ordinary_text_passes(client):
    assert client.get("/san-pham?q=cam").status_code == 200
