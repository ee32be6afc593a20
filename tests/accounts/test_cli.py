import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.accounts.passwords import verify_password
from app.extensions import db
from tests.accounts.helpers import is_logged_in, make_user

SECRET = "mat-khau-quan-tri-1"


def find(app, **where) -> User | None:
    with app.app_context():
        user = db.session.execute(select(User).filter_by(**where)).scalar_one_or_none()
        if user is not None:
            user.roles
            db.session.expunge(user)
        return user


def user_count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def test_create_an_officer_by_email(app, runner, client):
    result = runner.invoke(
        args=["create-user", "--email", "Can.Bo@Hue.gov.vn", "--name", "Cán bộ Hương Trà", "--role", "officer",
              "--password", SECRET]
    )
    assert result.exit_code == 0, result.output
    assert "can.bo@hue.gov.vn" in result.output
    user = find(app, email="can.bo@hue.gov.vn")
    assert user.full_name == "Cán bộ Hương Trà"
    assert user.roles == {Role.OFFICER}
    assert user.password_hash.startswith("$argon2id$")
    assert client.post("/dang-nhap", data={"login": "can.bo@hue.gov.vn", "password": SECRET}).status_code == 302
    assert is_logged_in(client)


def test_several_roles_and_a_phone(app, runner):
    result = runner.invoke(
        args=["create-user", "--phone", "0905 123 456", "--email", "htx@example.vn", "--name", "Chủ nhiệm HTX",
              "--role", "cooperative_manager", "--role", "producer", "--password", SECRET]
    )
    assert result.exit_code == 0, result.output
    user = find(app, phone="+84905123456")
    assert user.email == "htx@example.vn"
    assert user.roles == {Role.COOPERATIVE_MANAGER, Role.PRODUCER}


def test_default_role_is_buyer(app, runner):
    result = runner.invoke(args=["create-user", "--phone", "0905123456", "--name", "Khách", "--password", SECRET])
    assert result.exit_code == 0, result.output
    assert find(app, phone="+84905123456").roles == {Role.BUYER}


def test_password_is_asked_hidden_with_confirmation(app, runner):
    result = runner.invoke(
        args=["create-user", "--email", "admin@example.vn", "--name", "Quản trị", "--role", "admin"],
        input=f"{SECRET}\n{SECRET}\n",
    )
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output  # the typed password is not echoed
    user = find(app, email="admin@example.vn")
    assert user.roles == {Role.ADMIN}
    with app.app_context():
        assert verify_password(user.password_hash, SECRET)


def test_mismatched_confirmation_is_asked_again(app, runner):
    result = runner.invoke(
        args=["create-user", "--email", "admin@example.vn", "--name", "Quản trị"],
        input=f"{SECRET}\nkhac-hoan-toan-1\n{SECRET}\n{SECRET}\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert verify_password(find(app, email="admin@example.vn").password_hash, SECRET)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--email", "khong-phai-email"], "Email không đúng dạng"),
        (["--phone", "0212 345 678"], "Số điện thoại không phải số di động Việt Nam hợp lệ"),
        (["--phone", "12345"], "Số điện thoại không phải số di động Việt Nam hợp lệ"),
        ([], "Cần --email hoặc --phone"),
        (["--email", "a@example.vn", "--role", "chief"], "chief"),
    ],
)
def test_malformed_input_is_refused(app, runner, args, message):
    result = runner.invoke(args=["create-user", "--name", "Ai đó", "--password", SECRET, *args])
    assert result.exit_code != 0
    assert message in result.output
    assert user_count(app) == 0


def test_short_password_is_refused(app, runner):
    result = runner.invoke(args=["create-user", "--email", "a@example.vn", "--name", "A", "--password", "ngan"])
    assert result.exit_code != 0
    assert "ít nhất 10 ký tự" in result.output
    assert user_count(app) == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--email", "DA.CO@example.vn"], "Email da.co@example.vn đã có tài khoản"),
        (["--phone", "84912345678"], "Số điện thoại 0912 345 678 đã có tài khoản"),
        (["--email", "moi@example.vn", "--phone", "+84 912 345 678"], "Số điện thoại 0912 345 678 đã có tài khoản"),
    ],
)
def test_duplicates_are_refused(app, runner, args, message):
    make_user(app, email="da.co@example.vn", phone="+84912345678")
    result = runner.invoke(args=["create-user", "--name", "Trùng", "--password", SECRET, *args])
    assert result.exit_code != 0
    assert message in result.output
    assert user_count(app) == 1


def test_blank_name_is_refused(app, runner):
    result = runner.invoke(args=["create-user", "--email", "a@example.vn", "--name", "  ", "--password", SECRET])
    assert result.exit_code != 0
    assert "--name" in result.output
    assert user_count(app) == 0
