"""The seller's page for how they deliver, and the rules behind it (app.orders.delivery_plans)."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.catalog.models import Producer, Product, ProductStatus
from app.common.audit import AuditEntry
from app.common.errors import NotAllowed
from app.common.money import group_vnd
from app.extensions import db
from app.orders import checkout, delivery, delivery_plans
from app.orders.delivery import ADDRESS, CannotDeliver, ParcelLine
from app.orders.delivery_plans import (
    DeliveryPlanValues,
    InvalidDeliveryPlan,
    PickupPointValues,
    WeightBandValues,
    ZoneValues,
)
from app.orders.models import DeliveryMethod, DeliveryPlan, LocalDeliveryZone, PickupPoint, WeightBand
from tests.factories import (
    CooperativeFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    commune,
    delivery_plan,
)
from tests.orders.helpers import cart_with, values
from tests.sessions import sign_in


def producer_page(producer_id: int) -> str:
    return f"/quan-ly/giao-hang/nha-vuon/{producer_id}"


def cooperative_page(cooperative_id: int) -> str:
    return f"/quan-ly/giao-hang/hop-tac-xa/{cooperative_id}"


def error_on(page: str, field_id: str) -> str:
    """The error text shown under the box with this id ('' when none)."""
    match = re.search(rf'<p class="error-text" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def marked_boxes(page: str) -> list[str]:
    return re.findall(r'<p class="error-text" id="([^"]+)-error">', page)


def count_rows(*models) -> dict[str, int]:
    return {m.__name__: db.session.execute(sa.select(sa.func.count()).select_from(m)).scalar() for m in models}


PLAN_TABLES = (DeliveryPlan, PickupPoint, LocalDeliveryZone, WeightBand)


@pytest.fixture
def farm(app):
    """A producer with their own account, who owns the page's producer profile."""
    with app.app_context():
        user = UserFactory(roles=[Role.PRODUCER])
        producer = ProducerFactory(user=user)
        db.session.commit()
        return {"user": user.id, "producer": producer.id}


FULL_PLAN = {
    "pickup_points-0-name": "Tại vườn",
    "pickup_points-0-address": "Thôn Quang Lộc, Phường Hương Trà",
    "pickup_points-0-hours": "7:00–17:00",
    "pickup_points-1-name": "",
    "pickup_points-1-address": "",
    "pickup_points-1-hours": "",
    "zones-0-commune_id": "",  # filled in by the test: the commune's id
    "zones-0-fee": "20.000",
    "zones-1-commune_id": "0",
    "zones-1-fee": "",
    "ships_nationwide": "y",
    "weight_bands-0-up_to": "500 g",
    "weight_bands-0-fee": "15000",
    "weight_bands-1-up_to": "2",
    "weight_bands-1-fee": "25.000",
    "weight_bands-2-up_to": "5 kg",
    "weight_bands-2-fee": "30.000",
    "weight_bands-3-up_to": "",
    "weight_bands-3-fee": "",
    "free_over": "1.000.000",
}


def full_plan(**changes) -> dict:
    data = dict(FULL_PLAN)
    data["zones-0-commune_id"] = str(commune("phuong-huong-tra").id)
    data.update(changes)
    return data


def test_a_producer_saves_a_plan_and_the_quote_rule_prices_by_it(app, client, farm):
    sign_in(client, farm["user"])
    with app.app_context():
        data = full_plan()
    response = client.post(producer_page(farm["producer"]), data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(producer_page(farm["producer"]))

    with app.app_context():
        plan = db.session.execute(sa.select(DeliveryPlan).filter_by(producer_id=farm["producer"])).scalar_one()
        assert [(p.name, p.address, p.hours, p.active) for p in plan.pickup_points] == [
            ("Tại vườn", "Thôn Quang Lộc, Phường Hương Trà", "7:00–17:00", True)
        ]
        assert [(z.commune.slug, z.fee_vnd) for z in plan.zones] == [("phuong-huong-tra", 20_000)]
        assert [(b.up_to_grams, b.fee_vnd) for b in plan.weight_bands] == [(500, 15_000), (2_000, 25_000),
                                                                          (5_000, 30_000)]
        assert plan.ships_nationwide and plan.free_over_vnd == 1_000_000

        assert delivery.plan_for(db.session.get(Producer, farm["producer"])).id == plan.id
        box = [ParcelLine("Cam", 1, 1_500, 300_000)]
        point = str(plan.pickup_points[0].id)
        assert delivery.quote(plan, point, box, None).fee_vnd == 0
        near = delivery.quote(plan, ADDRESS, box, commune("phuong-huong-tra").id)
        assert (near.method, near.fee_vnd) == (DeliveryMethod.LOCAL, 20_000)
        far = delivery.quote(plan, ADDRESS, box, commune("xa-a-luoi-1").id)
        assert (far.method, far.weight_grams, far.fee_vnd) == (DeliveryMethod.COURIER, 1_500, 25_000)
        heavy = delivery.quote(plan, ADDRESS, [ParcelLine("Cam", 4, 1_200, 300_000)], commune("xa-a-luoi-1").id)
        assert heavy.fee_vnd == 30_000  # 4.8 kg: the 5 kg band
        big = delivery.quote(plan, ADDRESS, [ParcelLine("Cam", 4, 1_200, 1_200_000)], commune("xa-a-luoi-1").id)
        assert big.fee_vnd == 0 and big.free_because_over
        entry = db.session.execute(sa.select(AuditEntry).filter_by(subject_type="DeliveryPlan")).scalar_one()
        assert entry.action == "delivery_plan.created" and entry.actor_id == farm["user"]

    # The saved plan comes back on the page, with blank rows to add more.
    page = client.get(producer_page(farm["producer"])).get_data(as_text=True)
    assert 'value="Tại vườn"' in page and 'value="20.000"' in page and 'value="2 kg"' in page
    assert 'name="pickup_points-3-name"' in page and 'name="pickup_points-4-name"' not in page  # 1 saved + 3 blank
    assert 'name="zones-5-fee"' in page and 'name="weight_bands-7-up_to"' in page
    assert 'inputmode="numeric"' in page


def test_changing_a_plan_changes_rows_in_place(app, client, farm):
    with app.app_context():
        producer = db.session.get(Producer, farm["producer"])
        plan = delivery_plan(producer, zones={commune(): 20_000, commune("phuong-kim-tra"): 25_000},
                             bands=[(2_000, 25_000), (5_000, 30_000)])
        point_id = plan.pickup_points[0].id
        db.session.commit()
    sign_in(client, farm["user"])
    response = client.post(producer_page(farm["producer"]), data={
        "pickup_points-0-point_id": str(point_id), "pickup_points-0-name": "Tại vườn",
        "pickup_points-0-address": "Thôn Quang Lộc", "pickup_points-0-hours": "6:00–18:00",
        "zones-0-commune_id": str(commune_id(app, "phuong-kim-tra")), "zones-0-fee": "30000",
        "ships_nationwide": "y",
        "weight_bands-0-up_to": "2 kg", "weight_bands-0-fee": "20000",
        "weight_bands-1-up_to": "10", "weight_bands-1-fee": "50000",
    })
    assert response.status_code == 303
    with app.app_context():
        plan = db.session.execute(sa.select(DeliveryPlan).filter_by(producer_id=farm["producer"])).scalar_one()
        assert [(p.id, p.hours) for p in plan.pickup_points] == [(point_id, "6:00–18:00")]
        assert [(z.commune.slug, z.fee_vnd) for z in plan.zones] == [("phuong-kim-tra", 30_000)]
        assert [(b.up_to_grams, b.fee_vnd) for b in plan.weight_bands] == [(2_000, 20_000), (10_000, 50_000)]
        entry = db.session.execute(sa.select(AuditEntry).filter_by(subject_type="DeliveryPlan")).scalar_one()
        assert entry.action == "delivery_plan.updated"
        assert entry.changes["pickup_points"] == {"changed": [point_id]}
        assert entry.changes["weight_bands"][1] == [[2_000, 20_000], [10_000, 50_000]]


def commune_id(app, slug: str) -> int:
    with app.app_context():
        return commune(slug).id


def test_removing_a_pickup_point_keeps_it_inactive(app, client, farm):
    with app.app_context():
        producer = db.session.get(Producer, farm["producer"])
        plan = delivery_plan(producer, zones={commune(): 20_000})
        point_id = plan.pickup_points[0].id
        db.session.commit()
    sign_in(client, farm["user"])
    page = client.get(producer_page(farm["producer"])).get_data(as_text=True)
    assert 'name="pickup_points-0-remove"' in page and 'name="pickup_points-1-remove"' not in page

    response = client.post(producer_page(farm["producer"]), data={
        "pickup_points-0-point_id": str(point_id), "pickup_points-0-name": "Tại vườn",
        "pickup_points-0-address": "Thôn Quang Lộc", "pickup_points-0-remove": "y",
        "zones-0-commune_id": str(commune_id(app, "phuong-huong-tra")), "zones-0-fee": "20000",
    })
    assert response.status_code == 303
    with app.app_context():
        point = db.session.get(PickupPoint, point_id)
        assert point is not None and point.active is False  # past orders still point at it
        plan = delivery.plan_for(db.session.get(Producer, farm["producer"]))
        assert delivery.pickup_points(plan) == []
        with pytest.raises(CannotDeliver):
            delivery.quote(plan, str(point_id), [ParcelLine("Cam", 1, 1_000, 100_000)], None)
    page = client.get(producer_page(farm["producer"])).get_data(as_text=True)
    assert 'value="Tại vườn"' not in page


def test_removing_the_only_way_to_deliver_is_refused(app, client, farm):
    with app.app_context():
        plan = delivery_plan(db.session.get(Producer, farm["producer"]))
        point_id = plan.pickup_points[0].id
        db.session.commit()
    sign_in(client, farm["user"])
    response = client.post(producer_page(farm["producer"]), data={
        "pickup_points-0-point_id": str(point_id), "pickup_points-0-name": "Tại vườn",
        "pickup_points-0-address": "Thôn Quang Lộc", "pickup_points-0-remove": "y",
    })
    assert response.status_code == 400
    assert "ít nhất một cách giao" in error_on(response.get_data(as_text=True), "pickup_points-0-name")
    with app.app_context():
        assert db.session.get(PickupPoint, point_id).active is True


def _commune(slug):
    return lambda: str(commune(slug).id)


BAD_INPUTS = {
    "negative fee": ({"zones-0-commune_id": _commune("phuong-huong-tra"), "zones-0-fee": "-5000"},
                     "zones-0-fee", "không được âm"),
    "fee too large": ({"zones-0-commune_id": _commune("phuong-huong-tra"), "zones-0-fee": "6.000.000"},
                      "zones-0-fee", "tối đa 5.000.000"),
    "text in a fee": ({"zones-0-commune_id": _commune("phuong-huong-tra"), "zones-0-fee": "hai mươi nghìn"},
                      "zones-0-fee", "số đồng nguyên"),
    "fee without a commune": ({"zones-0-commune_id": "0", "zones-0-fee": "20000"},
                              "zones-0-commune_id", "Hãy chọn xã/phường"),
    # The blank row between is skipped: the error is on the row typed, not the second filled one.
    "duplicate commune": ({"zones-0-commune_id": _commune("phuong-kim-tra"), "zones-0-fee": "20000",
                           "zones-1-commune_id": "0", "zones-1-fee": "",
                           "zones-2-commune_id": _commune("phuong-kim-tra"), "zones-2-fee": "25000"},
                          "zones-2-commune_id", "Phường Kim Trà đã có ở dòng trên"),
    "decreasing bands": ({"ships_nationwide": "y", "weight_bands-0-up_to": "5", "weight_bands-0-fee": "30000",
                          "weight_bands-1-up_to": "2 kg", "weight_bands-1-fee": "25000"},
                         "weight_bands-1-up_to", "tăng dần"),
    "duplicate band": ({"ships_nationwide": "y", "weight_bands-0-up_to": "5", "weight_bands-0-fee": "30000",
                        "weight_bands-1-up_to": "5000 g", "weight_bands-1-fee": "35000"},
                       "weight_bands-1-up_to", "đã có ở dòng trên"),
    "weight not understood": ({"ships_nationwide": "y", "weight_bands-0-up_to": "năm ký",
                               "weight_bands-0-fee": "30000"}, "weight_bands-0-up_to", "5 kg, 500 g"),
    "courier without bands": ({"ships_nationwide": "y", "weight_bands-0-up_to": "", "weight_bands-0-fee": ""},
                              "weight_bands-0-up_to", "ít nhất một mức"),
    "pickup address without a name": ({"pickup_points-0-name": "", "pickup_points-0-address": "Chợ Đông Ba"},
                                      "pickup_points-0-name", "Hãy đặt tên cho điểm nhận"),
    "free delivery over zero": ({"pickup_points-0-name": "Tại vườn", "pickup_points-0-address": "Thôn Quang Lộc",
                                 "free_over": "0"}, "free_over", "để trống nếu không miễn phí"),
    "nothing at all": ({"pickup_points-0-name": "", "pickup_points-0-address": "", "zones-0-commune_id": "0",
                        "zones-0-fee": "", "weight_bands-0-up_to": "", "weight_bands-0-fee": ""},
                       "pickup_points-0-name", "ít nhất một cách giao"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_comes_back_marked_and_saves_nothing(app, client, farm, case):
    sent, box, message = BAD_INPUTS[case]
    with app.app_context():
        data = {name: value() if callable(value) else value for name, value in sent.items()}
        before = count_rows(*PLAN_TABLES, AuditEntry)
    sign_in(client, farm["user"])
    response = client.post(producer_page(farm["producer"]), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in error_on(page, box), marked_boxes(page)
    assert marked_boxes(page) == [box]
    assert "Chưa lưu: biểu mẫu còn lỗi" in page
    for name, value in data.items():  # everything typed comes back, amounts grouped as 30.000
        if value and not name.endswith(("commune_id", "ships_nationwide")):
            if name.endswith(("fee", "free_over")) and value.isdigit():
                value = group_vnd(int(value))
            assert f'value="{html.escape(value)}"' in page, name
    with app.app_context():
        assert count_rows(*PLAN_TABLES, AuditEntry) == before


def test_a_broken_rule_after_the_form_parsed_saves_nothing_already_changed(app, client, farm):
    """The service checks every row before it changes one: a good first row is not kept."""
    with app.app_context():
        plan = delivery_plan(db.session.get(Producer, farm["producer"]))
        point_id = plan.pickup_points[0].id
        db.session.commit()
    sign_in(client, farm["user"])
    response = client.post(producer_page(farm["producer"]), data={
        "pickup_points-0-point_id": str(point_id), "pickup_points-0-name": "Tên mới",
        "pickup_points-0-address": "Địa chỉ mới",
        "zones-0-commune_id": str(commune_id(app, "phuong-huong-tra")), "zones-0-fee": "9.000.000",
    })
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Tên mới"' in page
    with app.app_context():
        assert db.session.get(PickupPoint, point_id).name == "Tại vườn"
        assert count_rows(LocalDeliveryZone)["LocalDeliveryZone"] == 0


def test_another_producers_plan_is_refused_and_unchanged(app, client, farm):
    with app.app_context():
        other = ProducerFactory()
        plan = delivery_plan(other)
        other_id, point_id = other.id, plan.pickup_points[0].id
        # A manager of some other cooperative may not either.
        stranger = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        CooperativeFactory(managers=[stranger])
        stranger_id = stranger.id
        db.session.commit()
        data = full_plan(**{"pickup_points-0-point_id": str(point_id), "pickup_points-0-remove": "y"})
    for user_id in (farm["user"], stranger_id):
        sign_in(client, user_id)
        assert client.get(producer_page(other_id)).status_code == 403
        assert client.post(producer_page(other_id), data=data).status_code == 403
    with app.app_context():
        assert db.session.get(PickupPoint, point_id).active is True
        assert count_rows(LocalDeliveryZone, WeightBand, AuditEntry) == {
            "LocalDeliveryZone": 0, "WeightBand": 0, "AuditEntry": 0}
    sign_in(client, farm["user"])
    assert client.get(cooperative_page(999_999)).status_code == 404
    assert client.get(producer_page(999_999)).status_code == 404


def test_the_service_refuses_whom_the_page_refuses(app):
    with app.app_context():
        owner, other = ProducerFactory(), ProducerFactory()
        values_ = DeliveryPlanValues(pickup_points=[PickupPointValues("Tại vườn", "Thôn Quang Lộc")])
        with pytest.raises(NotAllowed):
            delivery_plans.save_producer_plan(owner.user, other, values_)
        with pytest.raises(InvalidDeliveryPlan) as refused:
            delivery_plans.save_producer_plan(owner.user, owner, DeliveryPlanValues(
                zones=[ZoneValues(commune().id, -1)], ships_nationwide=True,
                weight_bands=[WeightBandValues(1_000, 10_000)]))
        assert refused.value.field == "zones.0.fee"
        plan = delivery_plans.save_producer_plan(owner.user, owner, values_)
        assert delivery.plan_for(owner) is plan


def test_a_cooperative_manager_keeps_the_coop_plan_and_members_order_by_it(app, client):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        member = ProducerFactory(cooperative=coop)
        orange = ProductFactory(producer=member, price_vnd=100_000, stock=10, net_weight_grams=3_000)
        ids = {"manager": manager.id, "coop": coop.id, "member": member.id, "orange": orange.id}
        db.session.commit()
        data = full_plan(**{"zones-0-fee": "15.000", "free_over": ""})
    sign_in(client, ids["manager"])
    assert client.get(cooperative_page(ids["coop"])).status_code == 200
    assert client.post(cooperative_page(ids["coop"]), data=data).status_code == 303

    with app.app_context():
        plan = db.session.execute(sa.select(DeliveryPlan).filter_by(cooperative_id=ids["coop"])).scalar_one()
        member = db.session.get(Producer, ids["member"])
        assert delivery.plan_for(member).id == plan.id
        orange = db.session.get(Product, ids["orange"])
        placed = checkout.place(cart_with((orange, 2)), values({member.id: ADDRESS},
                                                               commune_id=commune("phuong-huong-tra").id))
        order = placed.orders[0]
        assert (order.delivery_method, order.delivery_fee_vnd) == (DeliveryMethod.LOCAL, 15_000)
        far = checkout.place(cart_with((orange, 1)), values({member.id: ADDRESS},
                                                            commune_id=commune("xa-a-luoi-1").id))
        assert (far.orders[0].delivery_method, far.orders[0].delivery_fee_vnd) == (DeliveryMethod.COURIER, 30_000)
        db.session.commit()

    # The member's own page says whose plan it uses; the manager may give it one of its own.
    page = client.get(producer_page(ids["member"])).get_data(as_text=True)
    assert "đang dùng cách giao của hợp tác xã" in page
    listing = client.get("/quan-ly/giao-hang/").get_data(as_text=True)
    assert "Dùng cách giao của hợp tác xã: Hợp tác xã Hương Trà" in listing
    assert client.post(producer_page(ids["member"]), data=data).status_code == 303


def test_a_member_cannot_change_the_cooperatives_plan(app, client, farm):
    with app.app_context():
        coop = CooperativeFactory()
        producer = db.session.get(Producer, farm["producer"])
        producer.cooperative = coop
        coop_id = coop.id
        db.session.commit()
        data = full_plan()
    sign_in(client, farm["user"])
    assert client.get(cooperative_page(coop_id)).status_code == 403
    assert client.post(cooperative_page(coop_id), data=data).status_code == 403
    with app.app_context():
        assert count_rows(DeliveryPlan)["DeliveryPlan"] == 0


def test_products_without_weight_are_listed_when_courier_delivery_is_on(app, client, farm):
    with app.app_context():
        producer = db.session.get(Producer, farm["producer"])
        ProductFactory(producer=producer, name="Cam có cân", net_weight_grams=10_000)
        loose = ProductFactory(producer=producer, name="Cốm non bán lẻ", net_weight_grams=None)
        ProductFactory(producer=producer, name="Bưởi nháp", net_weight_grams=None, status=ProductStatus.DRAFT)
        ProductFactory(name="Cam nhà khác", net_weight_grams=None)
        delivery_plan(producer, bands=[(5_000, 30_000)])
        loose_id = loose.id
        db.session.commit()
    sign_in(client, farm["user"])
    page = client.get(producer_page(farm["producer"])).get_data(as_text=True)
    assert "Cốm non bán lẻ" in page and f'href="/quan-ly/san-pham/{loose_id}/sua"' in page
    assert "chưa có khối lượng — không gửi xa được" in page
    assert "Cam có cân" not in page and "Bưởi nháp" not in page and "Cam nhà khác" not in page

    with app.app_context():
        plan = delivery.plan_for(db.session.get(Producer, farm["producer"]))
        plan.ships_nationwide = False
        db.session.commit()
    assert "Cốm non bán lẻ" not in client.get(producer_page(farm["producer"])).get_data(as_text=True)


def test_the_cooperatives_page_lists_unweighed_products_of_members_using_its_plan(app, client):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        sharing, independent = ProducerFactory(cooperative=coop), ProducerFactory(cooperative=coop)
        delivery_plan(independent)
        delivery_plan(coop, bands=[(5_000, 30_000)])
        ProductFactory(producer=sharing, name="Cốm của thành viên", net_weight_grams=None)
        ProductFactory(producer=independent, name="Cốm giao riêng", net_weight_grams=None)
        ids = {"manager": manager.id, "coop": coop.id}
        db.session.commit()
    sign_in(client, ids["manager"])
    page = client.get(cooperative_page(ids["coop"])).get_data(as_text=True)
    assert "Cốm của thành viên" in page and "Cốm giao riêng" not in page


def test_the_list_of_plans_runs_the_same_queries_however_long(app, client, count_queries):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        delivery_plan(coop, zones={commune(): 10_000})
        first = ProducerFactory(cooperative=coop)
        delivery_plan(first, bands=[(5_000, 30_000)], free_over_vnd=500_000)
        manager_id = manager.id
        db.session.commit()
    sign_in(client, manager_id)
    with count_queries() as few:
        page = client.get("/quan-ly/giao-hang/").get_data(as_text=True)
    assert "Nhận tại 1 điểm" in page and "Gửi xa, đơn nặng đến 5 kg" in page
    with app.app_context():
        for _ in range(4):
            member = ProducerFactory(cooperative=coop)
            delivery_plan(member, zones={commune("phuong-kim-tra"): 20_000})
            ProducerFactory(cooperative=coop)
        db.session.commit()
    with count_queries() as many:
        page = client.get("/quan-ly/giao-hang/").get_data(as_text=True)
    assert page.count("Dùng cách giao của hợp tác xã") == 4
    assert len(many) == len(few)


def test_the_dashboard_links_to_the_delivery_page(app, client, farm):
    sign_in(client, farm["user"])
    page = client.get("/quan-ly/").get_data(as_text=True)
    assert 'href="/quan-ly/giao-hang/"' in page and "Cách giao hàng" in page


def test_the_page_reads_in_english(app, client, farm):
    sign_in(client, farm["user"])
    client.set_cookie("lang", "en")
    page = client.get(producer_page(farm["producer"])).get_data(as_text=True)
    assert "Delivery" in page and "Cách giao hàng" not in page
