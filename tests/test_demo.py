"""`flask seed-demo`: the catalogue a new user sees after `make run`."""

from datetime import time, timedelta

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.catalog.models import Producer, Product, ProductStatus
from app.common.timezone import to_local, utcnow
from app.cooperatives.models import Cooperative
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.livestreams import queries
from app.livestreams.models import HostState, Livestream


def test_seed_demo_loads_the_area_once_and_can_be_run_again(app, runner, client, auth):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert ("6 producers, 15 products, 10 livestreams, 4 delivery plans, 4 bank accounts, 9 orders, "
            "12 supported households added") in first.output
    again = runner.invoke(args=["seed-demo"])
    assert ("0 accounts, 0 cooperatives, 0 producers, 0 products, 0 livestreams, 0 delivery plans, "
            "0 bank accounts, 0 orders, 0 supported households added") in again.output
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

    # Seeding photos is slow, so the schedule is checked on the same data.
    check_demo_schedule(app)
    check_demo_orders(app)
    check_demo_households(app)
    # Once nothing is live or coming any more, running it again brings a fresh schedule.
    with app.app_context():
        db.session.execute(sa.update(Livestream).values(host_state=HostState.CANCELLED))
        db.session.commit()
    assert "0 products, 10 livestreams, 0 delivery plans, 0 bank accounts, 0 orders, 0 supported households added" in runner.invoke(args=["seed-demo"]).output
    check_demo_schedule(app)


def check_demo_orders(app) -> None:
    """Orders in every state a seller deals with, some sold through a live."""
    from app.orders.models import Order, OrderLine, OrderStatus

    with app.app_context():
        states = set(db.session.execute(sa.select(Order.status)).scalars())
        assert {OrderStatus.AWAITING_PAYMENT, OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED,
                OrderStatus.COMPLETED, OrderStatus.CANCELLED} <= states
        from_lives = db.session.execute(
            sa.select(sa.func.count(OrderLine.id)).where(OrderLine.livestream_id.is_not(None))
        ).scalar_one()
        assert from_lives >= 1


def check_demo_schedule(app) -> None:
    """A live now, lunchtime and evening lives over two weeks from both kinds of host, past replays."""
    with app.app_context():
        schedule = queries.schedule()
        assert len(schedule.live_now) == 1
        upcoming = [live for _, lives in schedule.upcoming_days for live in lives]
        assert len(upcoming) >= 5
        now = utcnow()
        assert all(live.starts_at - now < timedelta(days=14) for live in upcoming)
        assert {to_local(live.starts_at).time() for live in upcoming} == {time(11, 30), time(19, 30)}
        assert {type(live.host).__name__ for live in upcoming} == {"Cooperative", "Producer"}
        past = schedule.past.items
        assert len(past) >= 2 and all(live.replay_url.startswith("https://") for live in past)
        for live in [*schedule.live_now, *upcoming]:
            assert live.featured, live.title
            members = {f.product.producer.cooperative_id for f in live.featured}
            if live.cooperative_id:
                assert members == {live.cooperative_id}
            else:
                assert {f.product.producer_id for f in live.featured} == {live.producer_id}


def check_demo_households(app) -> None:
    """Officers of three communes, households moving between statuses, three linked with consent."""
    from app.households.models import (
        AnnualReview,
        Classification,
        ConsentKind,
        OfficerAssignment,
        ProducerLink,
        SupportedHousehold,
        SupportRecord,
    )

    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(SupportedHousehold.id))).scalar_one() == 12
        covered = {(a.user.email, a.commune.slug) for a in db.session.execute(sa.select(OfficerAssignment)).scalars()}
        assert covered == {("canbo@chophien.vn", "phuong-huong-tra"), ("canbo.kimtra@chophien.vn", "phuong-kim-tra"),
                           ("canbo.binhdien@chophien.vn", "xa-binh-dien")}
        moves = set()
        for household in db.session.execute(sa.select(SupportedHousehold)).scalars():
            verdicts = {r.year: r.classification for r in household.reviews}
            assert set(verdicts) == {2025, 2026}
            moves.add((verdicts[2025], verdicts[2026]))
        C = Classification
        assert {(C.POOR, C.NEAR_POOR), (C.NEAR_POOR, C.AVERAGE), (C.NEAR_POOR, C.POOR)} <= moves
        assert db.session.execute(sa.select(sa.func.count(AnnualReview.id))).scalar_one() == 24
        kinds = {r.kind.code for r in db.session.execute(sa.select(SupportRecord)).scalars()}
        assert {"telecom", "training", "livestream_coaching"} <= kinds
        consents = sorted(link.consent_kind.value for link in db.session.execute(sa.select(ProducerLink)).scalars())
        assert consents == [ConsentKind.PAPER.value, ConsentKind.PAPER.value, ConsentKind.PRODUCER_CONFIRMED.value]
