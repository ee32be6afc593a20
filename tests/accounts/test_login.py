import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app import create_app
from app.accounts.models import LoginThrottle, User
from app.accounts.passwords import verify_password
from app.extensions import db
from config import TestingConfig
from tests.accounts.helpers import PASSWORD, is_logged_in, make_user

WRONG = "sai-mat-khau-9876"
GENERIC = "Sai thông tin đăng nhập"


@pytest.fixture
def farmer(app):
    """An account that has both an email address and a phone number."""
    return make_user(app, email="bac.loc@example.vn", phone="+84912345678")


def test_login_page(client):
    page = client.get("/dang-nhap")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'name="login"' in text and 'name="password"' in text
    assert 'name="remember"' in text


def test_login_page_keeps_next_in_the_form_address(client):
    text = client.get("/dang-nhap?next=/san-pham").get_data(as_text=True)
    assert 'action="/dang-nhap?next=/san-pham"' in text


@pytest.mark.parametrize(
    "login",
    ["bac.loc@example.vn", "  BAC.Loc@Example.VN ", "0912 345 678", "+84912345678", "84912345678", "0912.345.678"],
)
def test_login_by_email_or_phone_in_any_form(app, client, auth, farmer, login):
    response = auth.login(login)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(client)


def test_login_greets_by_name(app, client, auth):
    make_user(app, email="a@example.vn", full_name="Lê Thị Mai")
    page = auth.login("a@example.vn", follow_redirects=True)
    assert "Lê Thị Mai" in page.get_data(as_text=True)


def throttle_rows(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(LoginThrottle)).scalar_one()


def test_wrong_password_is_refused_with_the_generic_message(app, client, auth, farmer):
    with app.app_context():
        hash_before = db.session.get(User, farmer).password_hash
    response = auth.login("0912345678", WRONG)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert GENERIC in text
    assert 'value="0912345678"' in text  # what was typed is kept...
    assert WRONG not in text  # ...except the password
    assert not is_logged_in(client)
    with app.app_context():
        assert db.session.get(User, farmer).password_hash == hash_before


@pytest.mark.parametrize("login", ["khong.co@example.vn", "0987 654 321", "+84987654321"])
def test_unknown_account_gets_the_same_answer_as_a_wrong_password(app, client, auth, farmer, login):
    wrong_password = auth.login("bac.loc@example.vn", WRONG)
    unknown = auth.login(login, PASSWORD)
    assert unknown.status_code == wrong_password.status_code == 400

    def message(response):
        text = response.get_data(as_text=True)
        return text[text.index('role="alert"'):text.index("</div>", text.index('role="alert"'))]

    assert message(unknown) == message(wrong_password)
    assert GENERIC in message(unknown)
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    "login, message",
    [
        ("0912 345", "Số điện thoại không đúng dạng"),
        ("091234567890", "Số điện thoại không đúng dạng"),
        ("0212 345 678", "không phải số di động"),
        ("bac loc", "Hãy nhập email hoặc số điện thoại"),
        ("bac.loc@", "Email không đúng dạng"),
    ],
)
def test_malformed_login_is_marked_and_nothing_is_counted(app, client, auth, farmer, login, message):
    response = auth.login(login)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert 'id="login-error"' in text
    assert f'value="{login}"' in text
    assert throttle_rows(app) == 0
    assert not is_logged_in(client)


def test_empty_form_is_refused(client):
    response = client.post("/dang-nhap", data={})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Hãy nhập email hoặc số điện thoại." in text
    assert "Hãy nhập mật khẩu." in text


def test_inactive_account_cannot_log_in(app, client, auth):
    make_user(app, email="a@example.vn", active=False)
    response = auth.login("a@example.vn")
    assert response.status_code == 403
    assert "tạm khoá" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_inactive_account_with_a_wrong_password_learns_nothing_more(app, client, auth):
    make_user(app, email="a@example.vn", active=False)
    response = auth.login("a@example.vn", WRONG)
    assert response.status_code == 400
    assert GENERIC in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "next_page", ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "evil.example"]
)
def test_next_cannot_lead_off_the_site(app, client, auth, farmer, next_page):
    response = client.post(
        "/dang-nhap", query_string={"next": next_page}, data={"login": "0912345678", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(client)


def test_next_on_the_site_is_honoured(client, farmer):
    response = client.post(
        "/dang-nhap", query_string={"next": "/san-pham?page=2"}, data={"login": "0912345678", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/san-pham?page=2"


def test_next_may_come_from_the_form(client, farmer):
    response = client.post(
        "/dang-nhap", data={"login": "0912345678", "password": PASSWORD, "next": "/san-pham?page=2"}
    )
    assert response.headers["Location"] == "/san-pham?page=2"


def test_a_page_that_needs_login_sends_you_back_after_it(client, farmer):
    response = client.get("/tai-khoan")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap?next=")
    response = client.post(response.headers["Location"], data={"login": "0912345678", "password": PASSWORD})
    assert response.headers["Location"] == "/tai-khoan"


def test_logged_in_person_visiting_login_goes_on(client, auth, farmer):
    auth.login("0912345678")
    response = client.get("/dang-nhap?next=/san-pham")
    assert response.status_code == 302
    assert response.headers["Location"] == "/san-pham"


def test_remember_me_sets_a_lasting_cookie(client, farmer):
    client.post("/dang-nhap", data={"login": "0912345678", "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_no_lasting_cookie(client, farmer):
    client.post("/dang-nhap", data={"login": "0912345678", "password": PASSWORD})
    assert is_logged_in(client)
    assert client.get_cookie("remember_token") is None


def test_logout_requires_post(client, auth, farmer):
    auth.login("0912345678")
    response = client.get("/dang-xuat")
    assert response.status_code == 405
    assert is_logged_in(client)
    response = auth.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not is_logged_in(client)


def test_logout_when_not_logged_in_is_harmless(auth):
    assert auth.logout().status_code == 302


def test_old_password_hash_is_upgraded_on_login(app, client, auth):
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    user_id = make_user(app, email="a@example.vn", password_hash=old_hash)
    assert auth.login("a@example.vn").status_code == 302
    with app.app_context():
        new_hash = db.session.get(User, user_id).password_hash
        assert new_hash != old_hash
        assert new_hash.startswith("$argon2id$")
        assert verify_password(new_hash, PASSWORD)


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(database_url_for_test, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url_for_test,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "WTF_CSRF_ENABLED": True,
        },
    )
    make_user(app, email="a@example.vn")
    yield app.test_client()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_login_without_csrf_token_is_refused_with_the_error_page(csrf_client):
    response = csrf_client.post("/dang-nhap", data={"login": "a@example.vn", "password": PASSWORD})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Phiên làm việc đã hết hạn" in text
    assert "Về trang chủ" in text
    assert not is_logged_in(csrf_client)


def test_login_with_the_csrf_token_works(csrf_client):
    page = csrf_client.get("/dang-nhap").get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    token = page[page.index(marker) + len(marker):].split('"', 1)[0]
    response = csrf_client.post("/dang-nhap", data={"login": "a@example.vn", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert is_logged_in(csrf_client)


def test_logout_without_csrf_token_is_refused(csrf_client):
    page = csrf_client.get("/dang-nhap").get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    token = page[page.index(marker) + len(marker):].split('"', 1)[0]
    csrf_client.post("/dang-nhap", data={"login": "a@example.vn", "password": PASSWORD, "csrf_token": token})
    assert csrf_client.post("/dang-xuat").status_code == 400
    assert is_logged_in(csrf_client)
