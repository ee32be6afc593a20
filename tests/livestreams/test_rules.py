"""Livestream rules reached without a request: times, featured products, hosts, status."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.catalog.models import ProductPhoto, ProductStatus
from app.common import errors
from app.common.audit import AuditEntry
from app.common.errors import RuleBroken
from app.extensions import db
from app.livestreams import access, lifecycle, queries, reminders, scheduling
from app.livestreams.models import ChangeNotice, HostState, Livestream, Platform, Reminder, Status
from app.media.models import StoredImage
from tests.factories import (
    CooperativeFactory,
    LivestreamFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    in_hours,
)


def values(**changes) -> scheduling.LivestreamValues:
    start = changes.pop("starts_at", in_hours(24))
    fields = {
        "title": "Phiên chợ cam Xã Đoài tối thứ Bảy",
        "url": "https://www.facebook.com/htxhuongtra/videos/1234567890",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1, minutes=30),
        "platform": Platform.FACEBOOK,
    }
    fields.update(changes)
    return scheduling.LivestreamValues(**fields)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def coop_with_members(ctx):
    manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
    coop = CooperativeFactory(managers=[manager])
    members = [ProducerFactory(cooperative=coop, user=None) for _ in range(2)]
    products = [ProductFactory(producer=members[i % 2]) for i in range(4)]
    return manager, coop, products


# --- Status from the clock and from the host -------------------------------------------------


@pytest.mark.parametrize(
    ("state", "start_hours", "end_hours", "expected"),
    [
        (HostState.SCHEDULED, 2, 3, Status.UPCOMING),
        (HostState.SCHEDULED, -1, 1, Status.LIVE),
        (HostState.SCHEDULED, -3, -1, Status.ENDED),
        (HostState.LIVE, 1, 2, Status.LIVE),  # started early
        (HostState.LIVE, -3, -1, Status.ENDED),  # marked live, never marked ended
        (HostState.ENDED, -1, 1, Status.ENDED),  # ended early
        (HostState.CANCELLED, 2, 3, Status.CANCELLED),
        (HostState.CANCELLED, -3, -1, Status.CANCELLED),
    ],
)
def test_status_in_python_and_in_sql_agree(ctx, state, start_hours, end_hours, expected):
    now = in_hours(0)
    live = LivestreamFactory(starts_at=in_hours(start_hours), ends_at=in_hours(end_hours), host_state=state)
    assert lifecycle.status_at(live, now) == expected
    for status in Status:
        found = db.session.execute(
            sa.select(Livestream.id).where(Livestream.id == live.id, lifecycle.status_condition(status, now))
        ).first()
        assert (found is not None) == (status == expected), status


def test_the_start_and_end_instants_belong_to_the_live(ctx):
    live = LivestreamFactory(starts_at=in_hours(1), ends_at=in_hours(2))
    assert lifecycle.status_at(live, live.starts_at - timedelta(seconds=1)) == Status.UPCOMING
    assert lifecycle.status_at(live, live.starts_at) == Status.LIVE
    assert lifecycle.status_at(live, live.ends_at) == Status.ENDED


# --- Schedule rules ---------------------------------------------------------------------------


def test_a_live_is_scheduled_with_its_featured_products_in_order(coop_with_members):
    manager, coop, products = coop_with_members
    order = [products[2].id, products[0].id, products[3].id]
    live = scheduling.create_livestream(manager, coop, values(featured_ids=order, pinned_id=products[0].id))
    assert [f.product_id for f in live.featured] == order
    assert live.pinned_product_id == products[0].id
    assert live.cooperative == coop and live.producer is None
    assert live.slug == "phien-cho-cam-xa-doai-toi-thu-bay"
    assert db.session.execute(sa.select(AuditEntry.action)).scalars().all() == ["livestream.created"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        # Times are hours after a start set tomorrow, so collection time does not matter.
        ({"ends_at": -1}, "ends_at", "sau giờ bắt đầu"),
        ({"ends_at": 0}, "ends_at", "sau giờ bắt đầu"),
        ({"starts_at": -25}, "starts_at", "đã qua"),
        ({"ends_at": 12 + 1 / 60}, "ends_at", "12 giờ"),
        ({"starts_at": 24 * 400}, "starts_at", "một năm"),
        ({"url": "http://www.facebook.com/htx/videos/1"}, "url", "https://"),
        ({"url": "javascript:alert(1)"}, "url", "https://"),
        ({"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}, "url", "YouTube"),
        ({"title": "   "}, "title", "Hãy đặt tên"),
        ({"replay_url": "http://example.vn/xem-lai"}, "replay_url", "https://"),
    ],
)
def test_bad_schedules_and_links_are_refused_and_nothing_is_written(coop_with_members, changes, field, message):
    manager, coop, _ = coop_with_members
    start = in_hours(24)
    changes = dict(changes)
    starts_at = start + timedelta(hours=changes.pop("starts_at", 0))
    ends_at = start + timedelta(hours=changes.pop("ends_at")) if "ends_at" in changes else starts_at + timedelta(hours=1)
    times = {"starts_at": starts_at, "ends_at": ends_at}
    with pytest.raises(RuleBroken) as caught:
        scheduling.create_livestream(manager, coop, values(**times, **changes))
    assert caught.value.field == field
    assert message in str(caught.value.message)
    db.session.rollback()
    assert db.session.execute(sa.select(sa.func.count(Livestream.id))).scalar_one() == 0


def test_exactly_twelve_hours_is_allowed(coop_with_members):
    manager, coop, _ = coop_with_members
    start = in_hours(24)
    live = scheduling.create_livestream(manager, coop, values(starts_at=start, ends_at=start + timedelta(hours=12)))
    assert live.ends_at - live.starts_at == scheduling.MAX_DURATION


def test_a_start_earlier_this_minute_is_not_in_the_past(coop_with_members):
    manager, coop, _ = coop_with_members
    now = in_hours(0) + timedelta(seconds=40)
    live = scheduling.create_livestream(manager, coop, values(starts_at=in_hours(0)), now=now)
    assert lifecycle.status_at(live, now) == Status.LIVE


# --- Featured products ------------------------------------------------------------------------


def test_more_than_a_hundred_featured_products_are_refused(coop_with_members):
    manager, coop, products = coop_with_members
    ids = [p.id for p in products] + list(range(10_000, 10_097))
    assert len(ids) == 101
    with pytest.raises(scheduling.InvalidFeatured) as caught:
        scheduling.create_livestream(manager, coop, values(featured_ids=ids))
    assert "100" in str(caught.value.message)


def test_a_hundred_featured_products_are_allowed(ctx):
    producer = ProducerFactory()
    products = [ProductFactory(producer=producer) for _ in range(100)]
    live = scheduling.create_livestream(producer.user, producer, values(featured_ids=[p.id for p in products]))
    assert len(live.featured) == 100


def test_another_hosts_product_is_refused(coop_with_members):
    manager, coop, products = coop_with_members
    outsider = ProductFactory(name="Bưởi Thanh Trà nhà khác")
    with pytest.raises(scheduling.InvalidFeatured) as caught:
        scheduling.create_livestream(manager, coop, values(featured_ids=[products[0].id, outsider.id]))
    assert "Bưởi Thanh Trà nhà khác" in str(caught.value.message)


def test_a_producer_may_feature_only_their_own_products(ctx):
    producer = ProducerFactory()
    neighbour = ProductFactory()
    with pytest.raises(scheduling.InvalidFeatured):
        scheduling.create_livestream(producer.user, producer, values(featured_ids=[neighbour.id]))


@pytest.mark.parametrize("status", [ProductStatus.DRAFT, ProductStatus.SOLD_OUT, ProductStatus.ARCHIVED])
def test_products_not_on_sale_cannot_be_newly_featured(coop_with_members, status):
    manager, coop, products = coop_with_members
    products[0].status = status
    with pytest.raises(scheduling.InvalidFeatured):
        scheduling.create_livestream(manager, coop, values(featured_ids=[products[0].id]))


def test_a_featured_product_that_sold_out_may_stay(coop_with_members):
    manager, coop, products = coop_with_members
    live = scheduling.create_livestream(manager, coop, values(featured_ids=[products[0].id, products[1].id]))
    products[0].status = ProductStatus.SOLD_OUT
    db.session.flush()
    scheduling.update_livestream(
        manager, live, values(title="Đổi tên", featured_ids=[products[1].id, products[0].id])
    )
    assert [f.product_id for f in live.featured] == [products[1].id, products[0].id]


def test_the_pinned_product_must_be_featured(coop_with_members):
    manager, coop, products = coop_with_members
    with pytest.raises(scheduling.InvalidFeatured) as caught:
        scheduling.create_livestream(manager, coop, values(featured_ids=[products[0].id], pinned_id=products[1].id))
    assert caught.value.field == "pinned"


def test_candidates_are_the_members_products_on_sale(coop_with_members):
    _, coop, products = coop_with_members
    products[3].status = ProductStatus.DRAFT
    ProductFactory()  # not a member's
    assert {p.id for p in scheduling.featured_candidates(coop)} == {p.id for p in products[:3]}


# --- Who may host -----------------------------------------------------------------------------


def test_a_host_may_not_schedule_or_edit_for_another_host(coop_with_members):
    manager, coop, _ = coop_with_members
    other_producer = ProducerFactory()
    with pytest.raises(errors.NotAllowed):
        scheduling.create_livestream(manager, other_producer, values())
    live = LivestreamFactory(producer=other_producer)
    before = (live.title, live.starts_at, live.sequence)
    with pytest.raises(errors.NotAllowed):
        scheduling.update_livestream(manager, live, values(title="Chiếm quyền"))
    with pytest.raises(errors.NotAllowed):
        lifecycle.cancel(manager, live)
    assert (live.title, live.starts_at, live.sequence) == before
    assert live.host_state == HostState.SCHEDULED


def test_a_buyer_hosts_nothing(ctx):
    buyer = UserFactory(roles=[Role.BUYER])
    assert access.hosts_for(buyer) == []
    assert not access.may_host(buyer, ProducerFactory())


def test_hosts_of_a_cooperative_manager_include_the_cooperative_and_its_members(coop_with_members):
    manager, coop, products = coop_with_members
    hosts = access.hosts_for(manager)
    assert hosts[0] == coop
    assert {h.id for h in hosts[1:]} == {p.producer_id for p in products}


# --- Editing, moving and status changes ------------------------------------------------------


def test_moving_the_start_raises_the_sequence_and_warns_the_people_waiting(coop_with_members):
    manager, coop, _ = coop_with_members
    live = scheduling.create_livestream(manager, coop, values())
    buyer = UserFactory()
    reminder = reminders.request_reminder(buyer, live)
    reminder.sent_at = in_hours(0)
    new_start = live.starts_at + timedelta(days=1)
    scheduling.update_livestream(manager, live, values(starts_at=new_start))
    assert live.sequence == 1
    assert reminder.notice == ChangeNotice.RESCHEDULED
    assert reminder.sent_at is None  # reminded again before the new time


def test_an_edit_that_changes_nothing_keeps_the_sequence(coop_with_members):
    manager, coop, _ = coop_with_members
    live = scheduling.create_livestream(manager, coop, values())
    same = values(starts_at=live.starts_at)
    assert scheduling.update_livestream(manager, live, same) == {}
    assert live.sequence == 0


def test_a_new_description_is_an_edit_calendars_see(coop_with_members):
    manager, coop, _ = coop_with_members
    live = scheduling.create_livestream(manager, coop, values())
    scheduling.update_livestream(manager, live, values(starts_at=live.starts_at, description="Có quà tặng"))
    assert live.sequence == 1


def test_a_live_under_way_cannot_move_its_start_but_can_run_longer(coop_with_members):
    manager, coop, _ = coop_with_members
    live = LivestreamFactory(cooperative=coop, starts_at=in_hours(-1), ends_at=in_hours(1))
    with pytest.raises(scheduling.InvalidSchedule):
        scheduling.update_livestream(manager, live, values(starts_at=in_hours(-0.5), ends_at=in_hours(1)))
    scheduling.update_livestream(manager, live, values(starts_at=live.starts_at, ends_at=in_hours(2)))
    assert live.ends_at == in_hours(2)


@pytest.mark.parametrize(
    ("action", "state", "start_hours", "error"),
    [
        ("mark_live", HostState.ENDED, -2, lifecycle.AlreadyEnded),
        ("mark_live", HostState.CANCELLED, 2, lifecycle.AlreadyCancelled),
        ("mark_live", HostState.LIVE, 2, lifecycle.AlreadyLive),
        ("mark_ended", HostState.SCHEDULED, 2, lifecycle.NotStartedYet),
        ("mark_ended", HostState.CANCELLED, 2, lifecycle.AlreadyCancelled),
        ("cancel", HostState.SCHEDULED, -0.5, lifecycle.AlreadyLive),
        ("cancel", HostState.ENDED, -2, lifecycle.AlreadyEnded),
        ("cancel", HostState.CANCELLED, 2, lifecycle.AlreadyCancelled),
    ],
)
def test_status_changes_that_make_no_sense_are_named_errors(coop_with_members, action, state, start_hours, error):
    manager, coop, _ = coop_with_members
    live = LivestreamFactory(
        cooperative=coop, starts_at=in_hours(start_hours), ends_at=in_hours(start_hours + 1), host_state=state
    )
    with pytest.raises(error):
        getattr(lifecycle, action)(manager, live)
    assert live.host_state == state


def test_going_live_early_then_ending(coop_with_members):
    manager, coop, _ = coop_with_members
    live = LivestreamFactory(cooperative=coop, starts_at=in_hours(1), ends_at=in_hours(2))
    lifecycle.mark_live(manager, live)
    assert lifecycle.status_at(live, in_hours(0)) == Status.LIVE
    lifecycle.mark_ended(manager, live)
    assert lifecycle.status_at(live, in_hours(0)) == Status.ENDED
    assert live.marked_live_at is not None and live.marked_ended_at is not None


def test_cancelling_tells_everyone_waiting_and_cannot_be_edited_after(coop_with_members):
    manager, coop, _ = coop_with_members
    live = LivestreamFactory(cooperative=coop)
    waiting = [reminders.request_reminder(UserFactory(), live) for _ in range(2)]
    lifecycle.cancel(manager, live)
    assert live.sequence == 1
    assert {r.notice for r in waiting} == {ChangeNotice.CANCELLED}
    with pytest.raises(lifecycle.AlreadyCancelled):
        scheduling.update_livestream(manager, live, values())


# --- Reminders --------------------------------------------------------------------------------


def test_asking_twice_keeps_one_reminder_and_it_can_be_cancelled(ctx):
    live = LivestreamFactory()
    buyer = UserFactory()
    assert reminders.request_reminder(buyer, live) is reminders.request_reminder(buyer, live)
    assert db.session.execute(sa.select(sa.func.count(Reminder.id))).scalar_one() == 1
    assert reminders.cancel_reminder(buyer, live) is True
    assert reminders.cancel_reminder(buyer, live) is False


def test_no_reminder_for_a_live_that_is_over_or_a_person_without_email(ctx):
    with pytest.raises(reminders.ReminderNotPossible):
        reminders.request_reminder(UserFactory(), LivestreamFactory(starts_at=in_hours(-3), ends_at=in_hours(-2)))
    with pytest.raises(reminders.ReminderNotPossible):
        reminders.request_reminder(UserFactory(), LivestreamFactory(host_state=HostState.CANCELLED))
    with pytest.raises(reminders.ReminderNotPossible) as caught:
        reminders.request_reminder(UserFactory(email=None, phone="+84912000111"), LivestreamFactory())
    assert "email" in str(caught.value.message)


# --- Lists ------------------------------------------------------------------------------------


def test_next_lives_of_a_producer_include_lives_that_feature_their_products(coop_with_members):
    _, coop, products = coop_with_members
    member = products[0].producer
    featuring = LivestreamFactory(cooperative=coop, products=[products[0]], starts_at=in_hours(5))
    own = LivestreamFactory(producer=member, starts_at=in_hours(2))
    LivestreamFactory(cooperative=coop, products=[products[1]], starts_at=in_hours(3))  # another member's
    LivestreamFactory(producer=member, starts_at=in_hours(-3), ends_at=in_hours(-2))  # over
    assert queries.next_lives(producer=member) == [own, featuring]


def test_schedule_groups_upcoming_lives_by_local_day(ctx):
    # 23:30 and 00:30 in Vietnam are on two days, though the same UTC day.
    base = in_hours(48).replace(hour=16, minute=30)
    late = LivestreamFactory(starts_at=base, ends_at=base + timedelta(minutes=30))
    early = LivestreamFactory(starts_at=base + timedelta(hours=1), ends_at=base + timedelta(hours=2))
    days = queries.schedule().upcoming_days
    assert [lives for _, lives in days] == [[late], [early]]
    assert days[1][0] - days[0][0] == timedelta(days=1)


def test_a_shared_link_shows_a_photo_of_a_product_buyers_can_see(ctx):
    def with_photo(status, n):
        product = ProductFactory(status=status)
        image = StoredImage(digest=f"{n:064x}", width=1600, height=900, variant_widths=[320, 800, 1600])
        product.photos.append(ProductPhoto(image=image, position=0))
        return product

    hidden, shown = with_photo(ProductStatus.DRAFT, 1), with_photo(ProductStatus.ON_SALE, 2)
    live = LivestreamFactory(products=[hidden, shown])
    live.pinned_product = hidden
    assert queries.share_image(live) == shown.cover
    live.cover_image = hidden.cover
    assert queries.share_image(live) == hidden.cover  # the host's own choice of cover
