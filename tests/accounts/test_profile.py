from app.accounts.models import Role, User
from app.accounts.passwords import verify_password
from app.extensions import db
from tests.accounts.helpers import PASSWORD, make_user

NEW = "mat-khau-moi-2026"


def test_account_page_shows_who_you_are(app, client, auth):
    make_user(app, email="a@example.vn", phone="+84912345678", full_name="Hồ Văn Cam", roles=[Role.BUYER, Role.PRODUCER])
    auth.login("a@example.vn")
    text = client.get("/tai-khoan").get_data(as_text=True)
    assert "Hồ Văn Cam" in text
    assert "0912 345 678" in text
    assert "Người mua" in text and "Nhà vườn" in text


def test_account_page_needs_login(client):
    assert client.get("/tai-khoan").status_code == 302


def test_change_password(app, client, auth):
    user_id = make_user(app, email="a@example.vn")
    auth.login("a@example.vn")
    response = client.post(
        "/tai-khoan/mat-khau",
        data={"current_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Đã đổi mật khẩu" in response.get_data(as_text=True)
    with app.app_context():
        assert verify_password(db.session.get(User, user_id).password_hash, NEW)
    auth.logout()
    assert auth.login("a@example.vn", PASSWORD).status_code == 400
    assert auth.login("a@example.vn", NEW).status_code == 302


def test_change_password_with_a_wrong_current_password(app, client, auth):
    user_id = make_user(app, email="a@example.vn")
    auth.login("a@example.vn")
    response = client.post(
        "/tai-khoan/mat-khau",
        data={"current_password": "khong-dung-123", "new_password": NEW, "new_password_confirm": NEW},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Mật khẩu hiện tại không đúng" in text
    assert 'id="current_password-error"' in text
    with app.app_context():
        assert verify_password(db.session.get(User, user_id).password_hash, PASSWORD)


def test_new_password_must_be_long_enough(app, client, auth):
    make_user(app, email="a@example.vn")
    auth.login("a@example.vn")
    response = client.post(
        "/tai-khoan/mat-khau",
        data={"current_password": PASSWORD, "new_password": "ngan", "new_password_confirm": "ngan"},
    )
    assert response.status_code == 400
    assert 'id="new_password-error"' in response.get_data(as_text=True)
