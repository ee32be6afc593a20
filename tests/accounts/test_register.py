import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.common.audit import AuditEntry
from app.extensions import db
from tests.accounts.helpers import PASSWORD, is_logged_in, make_user


def registration(**changes):
    data = {
        "full_name": "Nguyễn Văn Lộc",
        "phone": "",
        "email": "",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "y",
    }
    data.update(changes)
    return data


def user_count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def find(app, **where) -> User | None:
    with app.app_context():
        user = db.session.execute(select(User).filter_by(**where)).scalar_one_or_none()
        if user is not None:
            user.roles  # load the grants before leaving the context
            db.session.expunge(user)
        return user


def test_registration_page_shows_the_form(client):
    page = client.get("/dang-ky")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Tạo tài khoản" in text
    assert 'name="consent"' in text
    assert "checked" not in text  # nothing is ticked for the person


def test_register_by_email_makes_a_buyer_and_logs_in(app, client):
    response = client.post("/dang-ky", data=registration(email="  Chi.Lan@Example.VN "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = find(app, email="chi.lan@example.vn")
    assert user is not None
    assert user.full_name == "Nguyễn Văn Lộc"
    assert user.phone is None
    assert user.roles == {Role.BUYER}
    assert user.privacy_consent_at is not None  # the person's own agreement is on record
    assert is_logged_in(client)


def test_register_by_phone_stores_the_normalised_number(app, client):
    response = client.post("/dang-ky", data=registration(phone="0912.345.678"))
    assert response.status_code == 302
    user = find(app, phone="+84912345678")
    assert user is not None and user.email is None
    assert is_logged_in(client)
    # and the new account logs in with the number typed another way
    client.post("/dang-xuat")
    assert not is_logged_in(client)
    assert client.post("/dang-nhap", data={"login": "84912345678", "password": PASSWORD}).status_code == 302
    assert is_logged_in(client)


def test_a_producer_gets_both_roles(app, client):
    response = client.post("/dang-ky", data=registration(phone="0988 111 222", is_producer="y"))
    assert response.status_code == 302
    assert find(app, phone="+84988111222").roles == {Role.BUYER, Role.PRODUCER}


def test_registration_cannot_choose_other_roles(app, client):
    client.post("/dang-ky", data=registration(email="a@example.vn", roles="admin", role="admin"))
    assert find(app, email="a@example.vn").roles == {Role.BUYER}


def test_registration_is_audited(app, client):
    client.post("/dang-ky", data=registration(email="a@example.vn"))
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).filter_by(action="user.created")).scalar_one()
        user = db.session.execute(select(User).filter_by(email="a@example.vn")).scalar_one()
        assert entry.actor_id == user.id
        assert entry.changes["roles"] == ["buyer"]


def test_password_is_stored_as_an_argon2id_hash(app, client):
    client.post("/dang-ky", data=registration(email="a@example.vn"))
    user = find(app, email="a@example.vn")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_redirect_after_registration_follows_a_safe_next(client):
    response = client.post("/dang-ky?next=/san-pham?page=2", data=registration(email="a@example.vn"))
    assert response.headers["Location"] == "/san-pham?page=2"


def test_redirect_after_registration_ignores_an_outside_next(client):
    response = client.post(
        "/dang-ky", query_string={"next": "https://evil.example"}, data=registration(email="a@example.vn")
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "existing, typed",
    [
        ({"email": "chi.lan@example.vn"}, {"email": "chi.lan@example.vn"}),
        ({"email": "chi.lan@example.vn"}, {"email": "CHI.LAN@example.VN"}),
        ({"email": None, "phone": "+84912345678"}, {"phone": "0912 345 678"}),
        ({"email": None, "phone": "+84912345678"}, {"phone": "84912345678"}),
        ({"email": None, "phone": "+84912345678"}, {"phone": "+84 912-345-678"}),
    ],
)
def test_an_address_or_number_already_registered_is_refused(app, client, existing, typed):
    make_user(app, **existing)
    before = user_count(app)
    response = client.post("/dang-ky", data=registration(**typed))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "đã có tài khoản" in text
    assert "field-error" in text
    assert 'aria-invalid="true"' in text
    assert user_count(app) == before
    assert not is_logged_in(client)


def test_both_taken_fields_are_marked(app, client):
    make_user(app, email="a@example.vn", phone="+84912345678")
    response = client.post("/dang-ky", data=registration(email="a@example.vn", phone="0912345678"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="email-error"' in text
    assert 'id="phone-error"' in text


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({}, "phone", "ít nhất một"),
        ({"email": "khong-phai-email"}, "email", "Email không đúng dạng"),
        ({"email": "ten@"}, "email", "Email không đúng dạng"),
        ({"phone": "0912 345 67"}, "phone", "Số điện thoại không đúng dạng"),
        ({"phone": "0212 345 678"}, "phone", "không phải số di động"),
        ({"email": "a@example.vn", "full_name": "   "}, "full_name", "Hãy nhập họ và tên"),
        (
            {"email": "a@example.vn", "password": "ngan-qua", "password_confirm": "ngan-qua"},
            "password",
            "từ 10 đến 256 ký tự",
        ),
        ({"email": "a@example.vn", "password_confirm": "mat-khau-khac-123"}, "password_confirm", "không giống"),
        ({"email": "a@example.vn", "consent": ""}, "consent", "sự đồng ý"),
    ],
)
def test_invalid_registration_comes_back_filled_in(app, client, changes, field, message):
    data = registration(full_name="Trần Thị Hoa")
    data.update(changes)
    response = client.post("/dang-ky", data=data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert f'id="{field}-error"' in text
    if "full_name" not in changes:
        assert 'value="Trần Thị Hoa"' in text
    if changes.get("email"):
        assert f'value="{changes["email"]}"' in text
    assert PASSWORD not in text  # passwords are never sent back
    assert user_count(app) == 0


def test_logged_in_person_is_sent_away_from_registration(app, client, auth):
    make_user(app, email="a@example.vn")
    auth.login("a@example.vn")
    assert client.get("/dang-ky").status_code == 302
