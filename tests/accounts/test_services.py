"""The account rules reached without a request, as a command or another domain would."""

import pytest

from app.accounts import services
from app.accounts.models import Role
from app.accounts.phone import InvalidPhoneNumber
from app.extensions import db
from tests.accounts.helpers import PASSWORD, make_user


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"full_name": "  ", "email": "a@example.vn"}, services.InvalidName),
        ({"full_name": "x" * 121, "email": "a@example.vn"}, services.InvalidName),
        ({"full_name": "A"}, services.MissingContact),
        ({"full_name": "A", "email": "  ", "phone": ""}, services.MissingContact),
        ({"full_name": "A", "email": "khong-hop-le"}, services.InvalidEmail),
        ({"full_name": "A", "phone": "0212345678"}, InvalidPhoneNumber),
        ({"full_name": "A", "email": "a@example.vn", "password": "123456789"}, services.PasswordTooShort),
        ({"full_name": "A", "email": "a@example.vn", "password": "x" * 257}, services.PasswordTooLong),
    ],
)
def test_register_user_refuses(app, kwargs, error):
    kwargs.setdefault("password", PASSWORD)
    full_name, password = kwargs.pop("full_name"), kwargs.pop("password")
    with app.app_context(), pytest.raises(error):
        services.register_user(full_name, password, **kwargs)


def test_register_user_names_every_field_taken(app):
    make_user(app, email="a@example.vn", phone="+84912345678")
    with app.app_context(), pytest.raises(services.AccountExists) as raised:
        services.register_user("B", PASSWORD, email="A@Example.vn", phone="0912 345 678")
    assert raised.value.fields == {"email", "phone"}


def test_register_user_tidies_what_it_stores(app):
    with app.app_context():
        user = services.register_user("  Phan   Thị  Cam ", PASSWORD, phone="84 905 123 456", roles=[])
        assert (user.full_name, user.phone, user.email) == ("Phan Thị Cam", "+84905123456", None)
        assert user.roles == {Role.BUYER}
        db.session.rollback()  # services never commit: nothing is kept without the caller's commit


def test_authenticate_without_a_request(app):
    make_user(app, phone="+84912345678", email=None)
    with app.app_context():
        assert services.authenticate("0912345678", PASSWORD, "192.0.2.1").phone == "+84912345678"
        with pytest.raises(services.InvalidCredentials):
            services.authenticate("0912345678", "sai-mat-khau-1", "192.0.2.1")
        with pytest.raises(services.InvalidCredentials):
            services.authenticate("0987654321", PASSWORD, "192.0.2.1")
        with pytest.raises(services.InvalidLogin):
            services.authenticate("0912", PASSWORD, "192.0.2.1")


def test_parse_login():
    assert services.parse_login(" Ten@Example.VN ") == "ten@example.vn"
    assert services.parse_login("0912 345 678") == "+84912345678"
    with pytest.raises(services.InvalidLogin):
        services.parse_login("ten@")
