"""`flask seed-demo`: the catalogue a new user sees after `make run`."""

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.catalog.models import Producer, Product, ProductStatus
from app.cooperatives.models import Cooperative
from app.demo import DEMO_PASSWORD
from app.extensions import db


def test_seed_demo_loads_the_area_once_and_can_be_run_again(app, runner, client, auth):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "6 producers, 15 products added" in first.output
    again = runner.invoke(args=["seed-demo"])
    assert "0 accounts, 0 cooperatives, 0 producers, 0 products added" in again.output
    assert "không nạp dữ liệu mẫu" in runner.invoke(args=["seed-demo", "--first-run"]).output

    with app.app_context():
        names = set(db.session.execute(sa.select(Product.name)).scalars())
        assert {"Cam V2 Quang Lộc", "Cam Xã Đoài", "Quýt Thanh Bình", "Thanh trà Huế", "Bưởi da xanh Bình Điền",
                "Ổi VietGAP Hương Xuân", "Quýt Hương Cần", "Cốm An Thuận"} <= names
        assert db.session.execute(sa.select(sa.func.count(Cooperative.id))).scalar_one() == 3
        roles = set()
        for user in db.session.execute(sa.select(User)).scalars():
            roles |= user.roles
        assert roles == set(Role)
        photos_missing = db.session.execute(
            sa.select(Product.name).where(~Product.photos.any(), Product.status == ProductStatus.ON_SALE)
        ).scalars().all()
        assert photos_missing == []
        assert db.session.execute(sa.select(sa.func.count(Producer.id))).scalar_one() == 6

    assert "Cam Xã Đoài" in client.get("/san-pham?q=cam+xa+doai").get_data(as_text=True)
    response = auth.login("nongdan@chophien.vn", DEMO_PASSWORD)
    assert response.status_code == 302
    assert "Cam V2 Quang Lộc" in client.get("/quan-ly/").get_data(as_text=True)
