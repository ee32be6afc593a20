"""Cooperatives: created by an administrator, kept up to date by their managers."""

import sqlalchemy as sa

from app.accounts.models import Role
from app.cooperatives.models import Cooperative
from app.extensions import db
from tests.factories import CooperativeFactory, ProducerFactory, ProductFactory, UserFactory, commune, hue


def test_create_cooperative_from_the_command_line(app, runner):
    with app.app_context():
        manager = UserFactory(email="thu@example.vn", roles=[Role.BUYER])
        db.session.commit()
        manager_id = manager.id
    result = runner.invoke(args=[
        "create-cooperative", "--name", "Hợp tác xã Cốm An Thuận", "--commune", "phuong-kim-tra",
        "--manager", "thu@example.vn",
    ])
    assert result.exit_code == 0, result.output
    assert "Đã tạo hợp tác xã" in result.output and "/hop-tac-xa/hop-tac-xa-com-an-thuan" in result.output
    with app.app_context():
        coop = db.session.execute(sa.select(Cooperative)).scalar_one()
        assert [m.id for m in coop.managers] == [manager_id]
        assert Role.COOPERATIVE_MANAGER in coop.managers[0].roles
        assert coop.commune.slug == "phuong-kim-tra"


def test_create_cooperative_refuses_unknown_places_and_people(runner):
    assert "Không có xã/phường xa-khong-co" in runner.invoke(args=["create-cooperative", "--name", "X", "--commune", "xa-khong-co"]).output
    result = runner.invoke(args=["create-cooperative", "--name", "X", "--manager", "ai@example.vn"])
    assert result.exit_code != 0 and "Chưa có tài khoản ai@example.vn" in result.output


def _edit_data(**overrides):
    data = {"name": "Hợp tác xã Hương Trà Xanh", "description": "Cam, quýt, ổi.", "village": "Tổ dân phố Liễu Cốc",
            "street": "", "old_district": "", "contact_phone": "0935 111 222"}
    data.update(overrides)
    return data


def test_a_manager_edits_their_cooperative_and_search_follows_the_new_name(app, client, auth):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        ProductFactory(name="Ổi ruột đỏ", producer=ProducerFactory(cooperative=coop))
        db.session.commit()
        email, coop_id = manager.email, coop.id
        place = {"province_id": hue().id, "commune_id": commune("phuong-huong-tra").id}
    auth.login(email)
    assert client.get("/quan-ly/").get_data(as_text=True).count(f"/quan-ly/hop-tac-xa/{coop_id}/sua") == 1
    response = client.post(f"/quan-ly/hop-tac-xa/{coop_id}/sua", data=_edit_data(**place))
    assert response.status_code == 302
    with app.app_context():
        coop = db.session.get(Cooperative, coop_id)
        assert (coop.name, coop.contact_phone) == ("Hợp tác xã Hương Trà Xanh", "+84935111222")
    assert "Ổi ruột đỏ" in client.get("/san-pham?q=huong+tra+xanh").get_data(as_text=True)


def test_bad_cooperative_input_keeps_the_form(app, client, auth):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        db.session.commit()
        email, coop_id, old_name = manager.email, coop.id, coop.name
        place = {"province_id": hue().id, "commune_id": commune("phuong-huong-tra").id}
    auth.login(email)
    for data in (_edit_data(name="", **place), _edit_data(contact_phone="123", **place)):
        response = client.post(f"/quan-ly/hop-tac-xa/{coop_id}/sua", data=data)
        assert response.status_code == 400
        assert "Cam, quýt, ổi." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Cooperative, coop_id).name == old_name


def test_only_its_managers_and_admins_edit_a_cooperative(app, client, auth):
    with app.app_context():
        other_manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        CooperativeFactory(managers=[other_manager])
        coop = CooperativeFactory()
        admin = UserFactory(roles=[Role.ADMIN])
        db.session.commit()
        coop_id, other_email, admin_email = coop.id, other_manager.email, admin.email
    url = f"/quan-ly/hop-tac-xa/{coop_id}/sua"
    assert client.get(url).status_code == 302  # to the login page
    auth.login(other_email)
    assert client.get(url).status_code == 403
    assert client.post(url, data=_edit_data()).status_code == 403
    auth.logout()
    auth.login(admin_email)
    assert client.get(url).status_code == 200
