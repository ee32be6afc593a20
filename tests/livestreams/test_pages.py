"""The public livestream pages: the schedule, a live's page, reminders, and the next lives elsewhere."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from app.accounts.models import Role
from app.catalog.models import ProductPhoto, ProductStatus
from app.common.timezone import to_local, utcnow
from app.extensions import db
from app.livestreams import queries
from app.livestreams.models import HostState, Platform, Reminder
from app.media.models import StoredImage
from tests.factories import (
    CooperativeFactory,
    LivestreamFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    in_hours,
)

YOUTUBE_ID = "dQw4w9WgXcQ"


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def meta(html: str, prop: str) -> str:
    return re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html).group(1)


def card(html: str, title: str) -> str:
    """The schedule card that carries this title."""
    cards = re.findall(r'<li class="card live-card[^"]*">.*?</li>', html, re.S)
    return next(c for c in cards if f">{title}</a>" in c)


_digests = itertools.count()


def photo(letter: str | None = None) -> StoredImage:
    digest = letter * 64 if letter else f"{next(_digests):064x}"
    return StoredImage(digest=digest, width=1600, height=900, variant_widths=[320, 800, 1600])


def past(**fields):
    return LivestreamFactory(starts_at=in_hours(-50), ends_at=in_hours(-49), **fields)


def live_now(**fields):
    return LivestreamFactory(starts_at=in_hours(-0.5), ends_at=in_hours(1), **fields)


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# --- The schedule ---------------------------------------------------------------------------


def test_schedule_shows_what_is_live_above_what_is_coming_grouped_by_day(app, client):
    with app.app_context():
        live_now(title="Cam Xã Đoài đang lên sóng")
        LivestreamFactory(title="Bưởi Thanh Trà tối mai", starts_at=in_hours(24), ends_at=in_hours(25))
        later = LivestreamFactory(title="Cốm An Thuận cuối tuần", starts_at=in_hours(72), ends_at=in_hours(73))
        db.session.commit()
        later_day = format_date(to_local(later.starts_at).date(), "EEEE, d MMMM", locale="vi")
    html = get(client, "/livestream")
    positions = [
        html.index(text)
        for text in (
            "Đang phát</h2>",
            "Cam Xã Đoài đang lên sóng",
            "Sắp diễn ra</h2>",
            "Ngày mai · ",
            "Bưởi Thanh Trà tối mai",
            later_day,
            "Cốm An Thuận cuối tuần",
        )
    ]
    assert positions == sorted(positions)
    assert "Đang phát" in card(html, "Cam Xã Đoài đang lên sóng")


def test_today_and_tomorrow_are_days_in_hue(app, client, clock):
    """06:30 on Monday in Huế is still Sunday in UTC: Monday's lunchtime live is today's."""
    clock.set(datetime(2027, 2, 28, 23, 30, tzinfo=UTC))
    with app.app_context():
        lunch = datetime(2027, 3, 1, 4, 30, tzinfo=UTC)  # 11:30 on Monday 1 March in Huế
        LivestreamFactory(title="Cốm trưa thứ Hai", starts_at=lunch, ends_at=lunch + timedelta(hours=1))
        evening = datetime(2027, 3, 2, 12, 30, tzinfo=UTC)  # 19:30 on Tuesday
        LivestreamFactory(title="Cam tối thứ Ba", starts_at=evening, ends_at=evening + timedelta(hours=1))
        db.session.commit()
    html = get(client, "/livestream")
    today = html.index("Hôm nay · Thứ Hai, 1 tháng 3")
    tomorrow = html.index("Ngày mai · Thứ Ba, 2 tháng 3")
    assert today < html.index("Cốm trưa thứ Hai") < tomorrow < html.index("Cam tối thứ Ba")
    assert "11:30–12:30" in card(html, "Cốm trưa thứ Hai")


def test_schedule_says_when_a_day_has_no_live(app, client):
    html = get(client, "/livestream")
    assert "Chưa có buổi livestream nào sắp tới" in html
    assert "Đang phát</h2>" not in html


def test_a_cancelled_live_stays_on_the_schedule_marked_as_cancelled(app, client):
    with app.app_context():
        LivestreamFactory(title="Phiên chợ bị hoãn", host_state=HostState.CANCELLED)
        LivestreamFactory(title="Phiên chợ vẫn diễn ra")
        db.session.commit()
    html = get(client, "/livestream")
    assert "Đã huỷ" in card(html, "Phiên chợ bị hoãn")
    assert "Đã huỷ" not in card(html, "Phiên chợ vẫn diễn ra")


def test_past_lives_are_listed_with_their_replay(app, client):
    with app.app_context():
        past(title="Phiên cam tuần trước", replay_url=f"https://www.youtube.com/watch?v={YOUTUBE_ID}")
        past(title="Phiên quýt không lưu lại")
        db.session.commit()
    html = get(client, "/livestream")
    assert html.index("Đã phát</h2>") < html.index("Phiên cam tuần trước")
    replayed = card(html, "Phiên cam tuần trước")
    assert f'href="https://www.youtube.com/watch?v={YOUTUBE_ID}"' in replayed and "Xem lại" in replayed
    assert "Xem lại" not in card(html, "Phiên quýt không lưu lại")
    assert "Đã kết thúc" in replayed


def test_past_lives_come_a_page_at_a_time(app, client):
    with app.app_context():
        for n in range(13):
            LivestreamFactory(title=f"Phiên cũ số {n}", starts_at=in_hours(-100 + n), ends_at=in_hours(-99.5 + n))
        db.session.commit()
    first = get(client, "/livestream")
    assert "Phiên cũ số 12" in first and "Phiên cũ số 0<" not in first
    assert 'rel="next"' in first
    for url in ("/livestream?trang=2", "/livestream?page=2"):
        second = get(client, url)
        assert "Phiên cũ số 0<" in second and "Phiên cũ số 12" not in second


def test_schedule_links_to_the_whole_calendar(client):
    html = get(client, "/livestream")
    assert 'href="webcal://localhost/livestream/lich.ics"' in html
    assert 'href="http://localhost/livestream/lich.ics"' in html


def test_cards_show_host_time_platform_and_picture(app, client, clock):
    clock.set(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))  # the factory's live is tomorrow 09:00–10:00 in Huế
    with app.app_context():
        coop = CooperativeFactory(name="Hợp tác xã Thanh Trà Thủy Biều")
        product = ProductFactory(producer=ProducerFactory(cooperative=coop))
        product.photos.append(ProductPhoto(image=photo("c"), position=0))
        live = LivestreamFactory(
            title="Thanh trà đầu mùa", cooperative=coop, products=[product], pinned_product=product,
            platform=Platform.TIKTOK, url="https://www.tiktok.com/@htxthuybieu/live",
        )
        LivestreamFactory(title="Phiên không có ảnh", platform=Platform.ZALO, url="https://zalo.me/g/abcdef")
        db.session.commit()
        start = to_local(live.starts_at)
        hours = f"{start:%H:%M}–{to_local(live.ends_at):%H:%M}"
        coop_slug = coop.slug
    html = get(client, "/livestream")
    with_photo = card(html, "Thanh trà đầu mùa")
    assert f'<a href="/hop-tac-xa/{coop_slug}">Hợp tác xã Thanh Trà Thủy Biều</a>' in with_photo
    assert hours in with_photo
    assert "TikTok" in with_photo and "Sắp diễn ra" in with_photo
    assert "cccccccc" in with_photo  # the pinned product's photo
    placeholder = card(html, "Phiên không có ảnh")
    assert 'class="live-placeholder">Zalo<' in placeholder


def _lives_in_every_section(count: int) -> None:
    for _ in range(count):
        for make in (live_now, LivestreamFactory, past):
            product = ProductFactory()
            product.photos.append(ProductPhoto(image=photo(), position=0))
            make(products=[product], pinned_product=product)
    db.session.commit()


def test_schedule_runs_the_same_number_of_queries_for_2_or_12_lives(app, client, count_queries):
    with app.app_context():
        _lives_in_every_section(2)
    with count_queries() as few:
        get(client, "/livestream")
    with app.app_context():
        _lives_in_every_section(10)
    with count_queries() as many:
        html = get(client, "/livestream")
    assert html.count('class="card live-card') == 36
    assert len(many) == len(few)


# --- A live's page --------------------------------------------------------------------------


def test_unknown_live_is_a_404(client):
    assert client.get("/livestream/khong-co").status_code == 404
    assert client.get("/livestream/khong-co/qr.svg").status_code == 404


def test_a_youtube_live_plays_on_the_page_without_youtube_cookies(app, client):
    with app.app_context():
        slug = LivestreamFactory(platform=Platform.YOUTUBE, url=f"https://www.youtube.com/watch?v={YOUTUBE_ID}").slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    iframe = re.search(r"<iframe[^>]*>", html).group(0)
    assert f'src="https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}"' in iframe
    assert 'loading="lazy"' in iframe and "allowfullscreen" in iframe and "title=" in iframe


def test_a_facebook_live_is_a_button_out_and_no_player(app, client):
    with app.app_context():
        slug = LivestreamFactory(url="https://www.facebook.com/htxhuongtra/videos/987654321").slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert "<iframe" not in html
    button = re.search(r'<a class="button watch"[^>]*>[^<]*</a>', html).group(0)
    assert 'href="https://www.facebook.com/htxhuongtra/videos/987654321"' in button
    assert 'rel="noopener"' in button and "Xem trên Facebook" in button


@pytest.mark.parametrize(
    ("platform", "url", "label"),
    [
        (Platform.TIKTOK, "https://www.tiktok.com/@vuoncam/live", "Xem trên TikTok"),
        (Platform.ZALO, "https://zalo.me/g/abcdef", "Xem trên Zalo"),
        (Platform.OTHER, "https://cho.example.vn/phien", "Mở buổi livestream"),
        (Platform.YOUTUBE, "https://www.youtube.com/@htxhuongtra/streams", "Xem trên YouTube"),
    ],
)
def test_other_platforms_link_out(app, client, platform, url, label):
    with app.app_context():
        slug = LivestreamFactory(platform=platform, url=url).slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert "<iframe" not in html
    assert f'href="{url}" rel="noopener">{label}</a>' in html


def test_an_upcoming_live_counts_down_and_says_when(app, client):
    with app.app_context():
        start = utcnow() + timedelta(hours=2, minutes=15, seconds=30)
        live = LivestreamFactory(starts_at=start, ends_at=start + timedelta(hours=1, minutes=30))
        db.session.commit()
        slug = live.slug
        local_start, local_end = to_local(live.starts_at), to_local(live.ends_at)
        expected_when = f"{local_start:%H:%M}–{local_end:%H:%M}, " + format_date(
            local_start.date(), "EEEE dd/MM/yyyy", locale="vi"
        )
    html = get(client, f"/livestream/{slug}")
    assert "Sắp diễn ra" in html
    if local_start.date() == local_end.date():
        assert expected_when in html
    countdown = re.search(r"<time [^>]*data-countdown[^>]*>([^<]*)</time>", html)
    assert countdown.group(1) == "Bắt đầu sau 2 giờ 15 phút"
    assert re.search(r'datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', countdown.group(0))
    assert re.search(r'<script src="/static/js/countdown\.js\?v=\w+" defer></script>', html)


def test_the_countdown_script_is_small(app):
    from pathlib import Path

    assert len(Path(app.static_folder, "js", "countdown.js").read_bytes()) < 1500


def test_a_cancelled_live_says_so_and_offers_nothing_to_watch(app, client):
    with app.app_context():
        slug = LivestreamFactory(
            platform=Platform.YOUTUBE, url=f"https://www.youtube.com/live/{YOUTUBE_ID}", host_state=HostState.CANCELLED
        ).slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert "Buổi livestream này đã bị huỷ" in html and "Đã huỷ" in html
    assert "<iframe" not in html and "Nhắc tôi" not in html and "data-countdown" not in html
    assert json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"


def test_an_ended_live_offers_its_replay(app, client):
    with app.app_context():
        slug = past(replay_url=f"https://youtu.be/{YOUTUBE_ID}").slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert "Đã kết thúc" in html
    assert f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}" in html
    assert f'href="https://youtu.be/{YOUTUBE_ID}" rel="noopener">Xem lại</a>' in html
    assert "Nhắc tôi" not in html and "Thêm vào lịch" not in html


def test_featured_products_in_the_hosts_order_pinned_first_drafts_hidden(app, client):
    with app.app_context():
        producer = ProducerFactory()
        oranges = ProductFactory(producer=producer, name="Cam Xã Đoài thùng", price_vnd=450_000, stock=12)
        pomelos = ProductFactory(producer=producer, name="Bưởi Thanh Trà", stock=0)
        draft = ProductFactory(producer=producer, name="Quýt Hương Cần chưa bán")
        rice = ProductFactory(producer=producer, name="Cốm An Thuận", price_vnd=60_000, stock=5)
        live = LivestreamFactory(producer=producer, products=[oranges, pomelos, draft, rice], pinned_product=rice)
        draft.status = ProductStatus.DRAFT
        db.session.commit()
        slug, oranges_slug = live.slug, oranges.slug
    html = get(client, f"/livestream/{slug}")
    section = html[html.index("Sản phẩm trong buổi livestream"):]
    order = [section.index(name) for name in ("Cốm An Thuận", "Cam Xã Đoài thùng", "Bưởi Thanh Trà")]
    assert order == sorted(order)
    assert section.index("Đang ghim") < section.index("Cốm An Thuận") < section.index("Cam Xã Đoài thùng")
    assert section.count("Đang ghim") == 1
    assert "Quýt Hương Cần chưa bán" not in html
    assert "450.000\u00a0₫" in section and "Còn 12 thùng" in section
    pomelo_card = section[section.index("Bưởi Thanh Trà"):]
    assert pomelo_card.index("Hết hàng") < pomelo_card.index("</li>")
    assert f'href="/san-pham/{oranges_slug}"' in section


def test_description_keeps_its_line_breaks_and_shows_html_as_text(app, client):
    with app.app_context():
        slug = LivestreamFactory(description="Cam ngọt.\nHái buổi sáng.\n\n<b>đậm</b>").slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert "Cam ngọt.<br>Hái buổi sáng." in html
    assert "&lt;b&gt;đậm&lt;/b&gt;" in html


def test_structured_data_and_share_preview(app, client):
    with app.app_context():
        coop = CooperativeFactory(name="Hợp tác xã Hương Trà")
        live = LivestreamFactory(title="Phiên chợ cam tối thứ Bảy", cooperative=coop, cover_image=photo("e"))
        db.session.commit()
        slug, start, coop_slug = live.slug, to_local(live.starts_at), coop.slug
    html = get(client, f"/livestream/{slug}")
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BroadcastEvent"
    assert data["isLiveBroadcast"] is True
    assert data["name"] == "Phiên chợ cam tối thứ Bảy"
    assert data["url"] == f"http://localhost/livestream/{slug}"
    assert data["startDate"] == start.isoformat() and data["startDate"].endswith("+07:00")
    assert data["endDate"].endswith("+07:00") and data["endDate"] > data["startDate"]
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["organizer"] == {
        "@type": "Organization", "name": "Hợp tác xã Hương Trà", "url": f"http://localhost/hop-tac-xa/{coop_slug}"
    }
    assert data["publishedOn"]["@type"] == "BroadcastService" and data["publishedOn"]["name"] == "Facebook"
    assert data["image"].endswith("-1600.jpg")
    assert meta(html, "og:title") == "Phiên chợ cam tối thứ Bảy"
    assert meta(html, "og:url") == f"http://localhost/livestream/{slug}"
    assert meta(html, "og:type") == "video.other"
    assert meta(html, "og:image").endswith("-1600.jpg")
    assert f'<link rel="canonical" href="http://localhost/livestream/{slug}">' in html


def test_script_in_a_title_cannot_break_out_of_the_structured_data(app, client):
    with app.app_context():
        slug = LivestreamFactory(title="Cam </script><script>alert(1)</script>", slug="cam-script").slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "Cam </script><script>alert(1)</script>"


def test_the_page_has_a_qr_code_of_its_address(app, client):
    with app.app_context():
        slug = LivestreamFactory().slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert re.search(rf'<img src="/livestream/{slug}/qr\.svg"[^>]*alt="Mã QR[^"]+"', html)
    assert f'href="/livestream/{slug}/qr.svg" download=' in html
    response = client.get(f"/livestream/{slug}/qr.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert "max-age" in response.headers["Cache-Control"]
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_the_page_runs_the_same_number_of_queries_for_1_or_6_products(app, client, count_queries):
    with app.app_context():
        def make(count):
            products = [ProductFactory() for _ in range(count)]
            for product in products:
                product.photos.append(ProductPhoto(image=photo(), position=0))
            return LivestreamFactory(products=products, pinned_product=products[-1]).slug

        one, six = make(1), make(6)
        db.session.commit()
    with count_queries() as few:
        get(client, f"/livestream/{one}")
    with count_queries() as many:
        html = get(client, f"/livestream/{six}")
    assert html.count("/san-pham/") >= 6
    assert len(many) == len(few)


def test_english_pages_do_not_break(app, client):
    with app.app_context():
        live = LivestreamFactory(platform=Platform.YOUTUBE, url=f"https://www.youtube.com/watch?v={YOUTUBE_ID}")
        live_now()
        past(replay_url="https://www.facebook.com/htxhuongtra/videos/1")
        db.session.commit()
        slug = live.slug
    client.get("/ngon-ngu/en")
    assert '<html lang="en">' in get(client, "/livestream")
    html = get(client, f"/livestream/{slug}")
    assert '<html lang="en">' in html
    assert json_ld(html)["@type"] == "BroadcastEvent"


# --- Remind me ------------------------------------------------------------------------------


@pytest.fixture
def buyer(app):
    with app.app_context():
        user = UserFactory(email="nguoimua@example.vn", roles=[Role.BUYER])
        db.session.commit()
        return user.email


def reminders(app) -> list[tuple[int, int]]:
    with app.app_context():
        return db.session.execute(sa.select(Reminder.livestream_id, Reminder.user_id)).all()


def test_a_visitor_is_asked_to_log_in_to_be_reminded(app, client):
    with app.app_context():
        slug = LivestreamFactory().slug
        db.session.commit()
    html = get(client, f"/livestream/{slug}")
    assert f'href="/dang-nhap?next=/livestream/{slug}">Đăng nhập để được nhắc</a>' in html
    response = client.post(f"/livestream/{slug}/nhac-toi")
    assert response.status_code == 302
    assert "/dang-nhap" in response.headers["Location"]
    assert reminders(app) == []


def test_after_logging_in_the_reminder_link_leads_back_to_the_live(app, client):
    with app.app_context():
        slug = LivestreamFactory().slug
        db.session.commit()
    response = client.get(f"/livestream/{slug}/nhac-toi")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/livestream/{slug}"


def test_a_signed_in_buyer_asks_once_and_can_cancel(app, client, auth, buyer):
    with app.app_context():
        slug = LivestreamFactory().slug
        db.session.commit()
    auth.login(buyer)
    html = get(client, f"/livestream/{slug}")
    assert f'action="/livestream/{slug}/nhac-toi"' in html and 'name="csrf_token"' in html
    for _ in range(2):
        response = client.post(f"/livestream/{slug}/nhac-toi")
        assert response.status_code == 303
        assert response.headers["Location"] == f"/livestream/{slug}"
    assert len(reminders(app)) == 1
    html = get(client, f"/livestream/{slug}")
    assert "Bạn sẽ được nhắc qua email" in html and "Đã đặt lời nhắc" in html
    assert f'action="/livestream/{slug}/huy-nhac"' in html

    response = client.post(f"/livestream/{slug}/huy-nhac")
    assert response.status_code == 303
    assert reminders(app) == []
    html = get(client, f"/livestream/{slug}")
    assert "Đã huỷ lời nhắc" in html and f'action="/livestream/{slug}/nhac-toi"' in html


def test_a_buyer_without_email_is_told_why_not(app, client, auth):
    with app.app_context():
        UserFactory(email=None, phone="+84912345678")
        slug = LivestreamFactory(title="Phiên cam cho người dùng điện thoại").slug
        db.session.commit()
    auth.login("0912345678")
    response = client.post(f"/livestream/{slug}/nhac-toi")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Tài khoản của bạn chưa có email" in html
    assert "Phiên cam cho người dùng điện thoại" in html
    assert reminders(app) == []


def test_no_reminder_for_a_live_that_is_over(app, client, auth, buyer):
    with app.app_context():
        slug = past().slug
        db.session.commit()
    auth.login(buyer)
    assert "Nhắc tôi" not in get(client, f"/livestream/{slug}")
    response = client.post(f"/livestream/{slug}/nhac-toi")
    assert response.status_code == 409
    assert "Buổi livestream này đã kết thúc" in response.get_data(as_text=True)
    assert reminders(app) == []


def test_reminder_for_an_unknown_live_is_a_404(client, auth, buyer):
    auth.login(buyer)
    assert client.post("/livestream/khong-co/nhac-toi").status_code == 404


# --- The next lives on other pages ----------------------------------------------------------


def test_main_navigation_links_to_the_schedule(client):
    assert '<a href="/livestream">Lịch livestream</a>' in get(client, "/")


def test_home_page_shows_the_next_lives_only_when_there_are_some(app, client):
    assert "Livestream sắp tới" not in get(client, "/")
    with app.app_context():
        LivestreamFactory(title="Phiên cam sắp tới")
        past(title="Phiên cam đã xong")
        db.session.commit()
    html = get(client, "/")
    assert "Livestream sắp tới" in html and "Phiên cam sắp tới" in html
    assert "Phiên cam đã xong" not in html


def test_producer_page_shows_its_next_lives_and_its_feed(app, client):
    with app.app_context():
        producer = ProducerFactory()
        LivestreamFactory(producer=producer, title="Vườn cam mở cửa")
        past(producer=producer, title="Vườn cam tháng trước")
        LivestreamFactory(title="Phiên của nhà khác")
        db.session.commit()
        slug = producer.slug
    html = get(client, f"/nha-vuon/{slug}")
    assert "Vườn cam mở cửa" in html
    assert "Vườn cam tháng trước" not in html and "Phiên của nhà khác" not in html
    assert f'href="/nha-vuon/{slug}/livestream.ics"' in html


def test_cooperative_page_shows_its_next_lives_and_its_feed(app, client):
    with app.app_context():
        coop = CooperativeFactory()
        LivestreamFactory(cooperative=coop, title="Hợp tác xã lên sóng")
        past(cooperative=coop, title="Hợp tác xã phiên cũ")
        db.session.commit()
        slug = coop.slug
    html = get(client, f"/hop-tac-xa/{slug}")
    assert "Hợp tác xã lên sóng" in html and "Hợp tác xã phiên cũ" not in html
    assert f'href="/hop-tac-xa/{slug}/livestream.ics"' in html


def test_a_long_schedule_says_where_the_rest_is(app, client, monkeypatch):
    monkeypatch.setattr(queries, "UPCOMING_LIMIT", 2)
    with app.app_context():
        first, second, third = (LivestreamFactory(starts_at=in_hours(24 * d)) for d in (1, 2, 3))
        titles = first.title, second.title, third.title
        db.session.commit()
    page = client.get("/livestream").get_data(as_text=True)
    assert titles[0] in page and titles[1] in page and titles[2] not in page
    assert "Còn nhiều buổi nữa sau những ngày này" in page
