"""Hosts schedule and run their lives through the dashboard's forms."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from app.accounts.models import Role
from app.catalog.models import Product
from app.common.timezone import to_local
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.models import ChangeNotice, HostState, Livestream, Platform, Reminder
from tests.factories import (
    PASSWORD,
    CooperativeFactory,
    LivestreamFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    in_hours,
)


def local_input(moment) -> str:
    """A UTC time as a datetime-local box sends it: Vietnam's clock, to the minute."""
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def coop(app):
    """A cooperative manager, their cooperative and four products of two members."""
    with app.app_context():
        manager = UserFactory(email="htx@example.vn", roles=[Role.COOPERATIVE_MANAGER])
        cooperative = CooperativeFactory(name="Hợp tác xã Hương Trà Xanh", managers=[manager])
        members = [ProducerFactory(cooperative=cooperative, user=None) for _ in range(2)]
        products = [ProductFactory(producer=members[i % 2], name=f"Cam Xã Đoài {i}") for i in range(4)]
        db.session.commit()
        return {"login": manager.email, "id": cooperative.id, "products": [p.id for p in products]}


def form_data(coop, **changes) -> dict:
    start = in_hours(30)
    data = {
        "title": "Phiên chợ cam tối thứ Bảy",
        "description": "Cam mới hái, giao trong ngày.",
        "platform": "facebook",
        "url": "https://www.facebook.com/htxhuongtra/videos/1234567890",
        "starts_at": local_input(start),
        "ends_at": local_input(start + timedelta(hours=1)),
        "featured": [],
        "pinned": "0",
    }
    data.update(changes)
    return data


def new_url(coop) -> str:
    return f"/quan-ly/livestream/moi?chu-tri=c{coop['id']}"


def count_lives(app) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count(Livestream.id))).scalar_one()


def test_a_manager_schedules_a_live_with_featured_products_in_the_typed_order(client, auth, app, coop):
    auth.login(coop["login"], PASSWORD)
    first, second, third, _ = coop["products"]
    data = form_data(
        coop,
        featured=[str(first), str(second), str(third)],
        **{f"position-{first}": "3", f"position-{second}": "1", f"position-{third}": "2"},
        pinned=str(third),
    )
    response = client.post(new_url(coop), data=data)
    assert response.status_code == 303
    with app.app_context():
        live = db.session.execute(sa.select(Livestream)).scalar_one()
        assert [f.product_id for f in live.featured] == [second, third, first]
        assert live.pinned_product_id == third
        assert live.cooperative_id == coop["id"]
        assert live.platform == Platform.FACEBOOK
        # Typed in Vietnam's time, kept in UTC.
        assert local_input(live.starts_at) == data["starts_at"]
    page = client.get(response.headers["Location"])
    assert "Đã lên lịch “Phiên chợ cam tối thứ Bảy”" in page.get_data(as_text=True)


def test_the_platform_can_be_left_to_the_link(client, auth, app, coop):
    auth.login(coop["login"], PASSWORD)
    data = form_data(coop, platform="", url="https://youtu.be/dQw4w9WgXcQ")
    assert client.post(new_url(coop), data=data).status_code == 303
    with app.app_context():
        assert db.session.execute(sa.select(Livestream.platform)).scalar_one() == Platform.YOUTUBE


def test_typed_vietnamese_date_is_understood(client, auth, app, coop):
    auth.login(coop["login"], PASSWORD)
    start = to_local(in_hours(30))
    data = form_data(
        coop,
        starts_at=start.strftime("%d/%m/%Y %H:%M"),
        ends_at=(start + timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"),
    )
    assert client.post(new_url(coop), data=data).status_code == 303


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # Times as hours from the test's clock, read when the test runs rather than when it is collected.
        ({"ends_at": 29}, "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"starts_at": -2, "ends_at": -1}, "Giờ bắt đầu đã qua."),
        ({"ends_at": 30 + 13}, "Một buổi livestream dài tối đa 12 giờ."),
        ({"url": "http://www.facebook.com/htxhuongtra/videos/1"}, "https://"),
        ({"url": "javascript:alert(document.cookie)"}, "https://"),
        ({"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}, "Liên kết này là của YouTube, không phải Facebook."),
        ({"starts_at": "thứ Bảy tuần sau"}, "Ngày giờ không đúng dạng."),
        ({"title": ""}, "Hãy đặt tên cho buổi livestream."),
    ],
)
def test_bad_input_comes_back_on_the_form_and_nothing_is_saved(client, auth, app, coop, changes, message):
    auth.login(coop["login"], PASSWORD)
    changes = {key: local_input(in_hours(value)) if isinstance(value, int) else value for key, value in changes.items()}
    data = form_data(coop, **changes)
    response = client.post(new_url(coop), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.replace("&#34;", '"')
    assert "Biểu mẫu còn 1 lỗi" in page
    # Everything typed is still there, the field at fault included.
    assert f'value="{data["title"]}"' in page
    assert data["description"] in page
    assert f'value="{data["starts_at"]}"' in page
    assert f'value="{data["url"]}"' in page.replace("&#34;", '"').replace("&#39;", "'")
    assert count_lives(app) == 0


def test_a_hundred_and_one_featured_products_are_refused(client, auth, app, coop):
    with app.app_context():
        member = ProducerFactory(cooperative=db.session.get(Cooperative, coop["id"]), user=None)
        extra = [ProductFactory(producer=member).id for _ in range(97)]
        db.session.commit()
    auth.login(coop["login"], PASSWORD)
    featured = [str(i) for i in coop["products"] + extra]
    assert len(featured) == 101
    response = client.post(new_url(coop), data=form_data(coop, featured=featured))
    assert response.status_code == 400
    assert "tối đa 100 sản phẩm" in response.get_data(as_text=True)
    assert count_lives(app) == 0


def test_a_product_of_another_host_is_refused(client, auth, app, coop):
    with app.app_context():
        outsider = ProductFactory(name="Bưởi Thanh Trà vườn khác").id
        db.session.commit()
    auth.login(coop["login"], PASSWORD)
    response = client.post(new_url(coop), data=form_data(coop, featured=[str(coop["products"][0]), str(outsider)]))
    assert response.status_code == 400
    assert "Bưởi Thanh Trà vườn khác" in response.get_data(as_text=True)
    assert count_lives(app) == 0


def test_a_host_cannot_edit_or_end_another_hosts_live(client, auth, app, coop):
    with app.app_context():
        live = LivestreamFactory(title="Phiên chợ bưởi nhà khác")
        live_id, starts_at = live.id, live.starts_at
        db.session.commit()
    auth.login(coop["login"], PASSWORD)
    assert client.get(f"/quan-ly/livestream/{live_id}/sua").status_code == 403
    response = client.post(f"/quan-ly/livestream/{live_id}/sua", data=form_data(coop, title="Chiếm quyền"))
    assert response.status_code == 403
    assert client.post(f"/quan-ly/livestream/{live_id}/trang-thai", data={"action": "cancel"}).status_code == 403
    with app.app_context():
        live = db.session.get(Livestream, live_id)
        assert (live.title, live.starts_at, live.host_state) == ("Phiên chợ bưởi nhà khác", starts_at, HostState.SCHEDULED)


def test_a_host_cannot_schedule_for_someone_elses_cooperative(client, auth, app, coop):
    with app.app_context():
        other = CooperativeFactory().id
        db.session.commit()
    auth.login(coop["login"], PASSWORD)
    assert client.get(f"/quan-ly/livestream/moi?chu-tri=c{other}").status_code == 403
    assert client.post(f"/quan-ly/livestream/moi?chu-tri=c{other}", data=form_data(coop)).status_code == 403
    assert client.get("/quan-ly/livestream/moi?chu-tri=x1").status_code == 404
    assert count_lives(app) == 0


def test_a_buyer_has_no_lives_to_host(client, auth, app):
    with app.app_context():
        UserFactory(email="mua@example.vn")
        db.session.commit()
    auth.login("mua@example.vn", PASSWORD)
    assert client.get("/quan-ly/livestream/moi").status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get("/quan-ly/livestream/moi")
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_a_manager_of_several_hosts_chooses_one_first(client, auth, coop):
    auth.login(coop["login"], PASSWORD)
    page = client.get("/quan-ly/livestream/moi").get_data(as_text=True)
    assert "Buổi livestream này của ai?" in page
    assert "Hợp tác xã Hương Trà Xanh" in page


def test_editing_reorders_featured_products_and_moving_the_time_keeps_the_link(client, auth, app, coop):
    first, second, third, _ = coop["products"]
    with app.app_context():
        live = LivestreamFactory(
            cooperative=db.session.get(Cooperative, coop["id"]),
            products=[db.session.get(Product, i) for i in (first, second, third)],
        )
        live_id, slug, uid = live.id, live.slug, live.uid
        db.session.commit()
    auth.login(coop["login"], PASSWORD)
    form = client.get(f"/quan-ly/livestream/{live_id}/sua").get_data(as_text=True)
    assert f'name="position-{first}" value="1"' in form
    start = in_hours(50)
    data = form_data(
        coop,
        title="Phiên chợ cam dời sang Chủ nhật",
        starts_at=local_input(start),
        ends_at=local_input(start + timedelta(hours=1)),
        featured=[str(first), str(second), str(third)],
        **{f"position-{first}": "2", f"position-{second}": "3", f"position-{third}": "1"},
    )
    assert client.post(f"/quan-ly/livestream/{live_id}/sua", data=data).status_code == 303
    with app.app_context():
        live = db.session.get(Livestream, live_id)
        assert [f.product_id for f in live.featured] == [third, first, second]
        assert (live.slug, live.uid, live.sequence) == (slug, uid, 1)
        assert live.starts_at == start


def test_status_buttons_go_live_end_and_refuse_what_makes_no_sense(client, auth, app, coop):
    with app.app_context():
        live_id = LivestreamFactory(cooperative=db.session.get(Cooperative, coop["id"])).id
        db.session.commit()
    auth.login(coop["login"], PASSWORD)
    url = f"/quan-ly/livestream/{live_id}/trang-thai"
    response = client.post(url, data={"action": "ended"})
    assert response.status_code == 409
    assert "chưa bắt đầu" in response.get_data(as_text=True)
    assert client.post(url, data={"action": "live"}).status_code == 303
    assert client.post(url, data={"action": "ended"}).status_code == 303
    # Cancelling is asked on a page of its own; from these buttons it cancels nothing.
    assert client.post(url, data={"action": "cancel"}).status_code == 400
    response = client.post(f"/quan-ly/livestream/{live_id}/huy", data={"confirm": "huy-vinh-vien"}, follow_redirects=True)
    assert "đã kết thúc" in response.get_data(as_text=True)
    assert client.post(url, data={"action": "delete-everything"}).status_code == 400
    with app.app_context():
        assert db.session.get(Livestream, live_id).host_state == HostState.ENDED


def test_a_cover_photo_goes_through_the_photo_pipeline(client, auth, app, coop):
    auth.login(coop["login"], PASSWORD)
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (240, 140, 20)).save(buffer, "JPEG")
    buffer.seek(0)
    data = form_data(coop, cover=(buffer, "bia.jpg"))
    assert client.post(new_url(coop), data=data, content_type="multipart/form-data").status_code == 303
    with app.app_context():
        live = db.session.execute(sa.select(Livestream)).scalar_one()
        assert live.cover_image is not None and live.cover_image.variant_widths == [320, 480, 800, 1600]


def test_a_file_that_is_not_a_photo_is_refused_on_the_form(client, auth, app, coop):
    auth.login(coop["login"], PASSWORD)
    data = form_data(coop, cover=(io.BytesIO(b"%PDF-1.7 not a photo"), "bia.pdf"))
    response = client.post(new_url(coop), data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert count_lives(app) == 0


def test_an_empty_title_and_a_start_in_the_past_come_back_together(client, auth, app, coop):
    auth.login(coop["login"], PASSWORD)
    data = form_data(coop, title="", starts_at=local_input(in_hours(-2)), ends_at=local_input(in_hours(-1)))
    response = client.post(new_url(coop), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Hãy đặt tên cho buổi livestream." in page
    assert "Giờ bắt đầu đã qua." in page
    # The summary at the top links to both boxes.
    assert "Biểu mẫu còn 2 lỗi" in page
    assert '<a href="#title">' in page and '<a href="#starts_at">' in page
    assert count_lives(app) == 0


@pytest.fixture
def live_with_reminders(app, coop):
    with app.app_context():
        live = LivestreamFactory(cooperative=db.session.get(Cooperative, coop["id"]))
        for _ in range(3):
            live.reminders.append(Reminder(user=UserFactory()))
        db.session.commit()
        return live.id


def test_cancelling_is_a_danger_action_apart_from_going_live(client, auth, coop, live_with_reminders):
    auth.login(coop["login"], PASSWORD)
    page = client.get(f"/quan-ly/livestream/{live_with_reminders}/sua").get_data(as_text=True)
    status_row = page[page.index('class="status-actions"'):page.index("</section>", page.index('class="status-actions"'))]
    assert "Bắt đầu phát ngay" in status_row and "Huỷ" not in status_row
    danger = page[page.index('class="danger-zone"'):]
    assert f'class="button danger" href="/quan-ly/livestream/{live_with_reminders}/huy"' in danger
    assert "3 người đã đăng ký nhắc sẽ nhận thư báo huỷ." in danger


def test_the_confirmation_page_says_what_cancelling_does(client, auth, coop, live_with_reminders):
    auth.login(coop["login"], PASSWORD)
    response = client.get(f"/quan-ly/livestream/{live_with_reminders}/huy")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 người đã đăng ký nhắc sẽ nhận thư báo huỷ." in page
    assert 'class="button danger">Huỷ buổi livestream</button>' in page
    assert "Không huỷ, quay lại" in page


def test_a_post_without_the_confirmation_cancels_nothing(client, auth, app, coop, live_with_reminders):
    auth.login(coop["login"], PASSWORD)
    response = client.post(f"/quan-ly/livestream/{live_with_reminders}/huy", data={})
    assert response.status_code == 400
    assert "3 người đã đăng ký nhắc sẽ nhận thư báo huỷ." in response.get_data(as_text=True)
    with app.app_context():
        live = db.session.get(Livestream, live_with_reminders)
        assert live.host_state == HostState.SCHEDULED
        assert all(r.notice is None for r in live.reminders)


def test_after_confirming_the_live_is_cancelled_and_the_people_waiting_are_told(client, auth, app, coop,
                                                                               live_with_reminders):
    auth.login(coop["login"], PASSWORD)
    response = client.post(f"/quan-ly/livestream/{live_with_reminders}/huy", data={"confirm": "huy-vinh-vien"})
    assert response.status_code == 303
    with app.app_context():
        live = db.session.get(Livestream, live_with_reminders)
        assert live.host_state == HostState.CANCELLED
        assert [r.notice for r in live.reminders] == [ChangeNotice.CANCELLED] * 3
