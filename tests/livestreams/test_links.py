"""Which platform a pasted link belongs to, and which links are refused."""

from __future__ import annotations

import pytest

from app.livestreams.links import InvalidLink, check_live_link, parse_link
from app.livestreams.models import Platform


@pytest.mark.parametrize(
    ("url", "platform", "youtube_id"),
    [
        ("https://www.facebook.com/htxhuongtra/videos/1234567890", Platform.FACEBOOK, None),
        ("https://facebook.com/events/987654321", Platform.FACEBOOK, None),
        ("https://m.facebook.com/htxhuongtra/live", Platform.FACEBOOK, None),
        ("https://fb.watch/pQ3xYz9AbC/", Platform.FACEBOOK, None),
        ("https://www.youtube.com/live/dQw4w9WgXcQ?si=abc", Platform.YOUTUBE, "dQw4w9WgXcQ"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30", Platform.YOUTUBE, "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", Platform.YOUTUBE, "dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", Platform.YOUTUBE, "dQw4w9WgXcQ"),
        # A channel's live page has no video yet: a button out rather than a player.
        ("https://www.youtube.com/@htxhuongtra/live", Platform.YOUTUBE, None),
        ("https://www.tiktok.com/@htxhuongtra/live", Platform.TIKTOK, None),
        ("https://zalo.me/htxhuongtra", Platform.ZALO, None),
        ("https://chophien-live.example.vn/phien-toi-thu-bay", Platform.OTHER, None),
        ("HTTPS://WWW.FACEBOOK.COM/htx/videos/1", Platform.FACEBOOK, None),
    ],
)
def test_platform_is_recognised_from_the_link(url, platform, youtube_id):
    link = parse_link(url)
    assert link.platform == platform
    assert link.youtube_id == youtube_id
    assert link.url == url


def test_youtube_player_is_the_privacy_enhanced_one():
    assert parse_link("https://youtu.be/dQw4w9WgXcQ").embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert parse_link("https://fb.watch/abc/").embed_url is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://www.facebook.com/htx/videos/1", "https://"),
        ("javascript:alert(document.cookie)", "https://"),
        ("JavaScript:alert(1)", "https://"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "https://"),
        ("ftp://files.example.vn/live", "https://"),
        ("www.facebook.com/htx/videos/1", "https://"),
        ("https://", "tên trang"),
        ("https://localhost/live", "tên trang"),
        ("https://user:secret@facebook.com/live", "không hợp lệ"),
        ("https://www.facebook.com/htx live", "khoảng trắng"),
        ("", "dán liên kết"),
        ("https://example.vn/" + "a" * 500, "quá dài"),
    ],
)
def test_links_that_are_not_plain_https_web_addresses_are_refused(url, message):
    with pytest.raises(InvalidLink) as caught:
        parse_link(url)
    assert message in str(caught.value.message)


@pytest.mark.parametrize(
    "url",
    [
        "https://facebook.com.example.net/live",  # a look-alike host
        "https://notfacebook.com/live",
        "https://www.facebook.com.vn/live",
    ],
)
def test_look_alike_hosts_are_not_facebook(url):
    assert parse_link(url).platform == Platform.OTHER
    with pytest.raises(InvalidLink):
        check_live_link(url, Platform.FACEBOOK)


def test_a_youtube_link_chosen_as_facebook_is_refused_with_both_names():
    with pytest.raises(InvalidLink) as caught:
        check_live_link("https://www.youtube.com/watch?v=dQw4w9WgXcQ", Platform.FACEBOOK)
    message = str(caught.value.message)
    assert "YouTube" in message and "Facebook" in message


def test_without_a_chosen_platform_the_link_decides():
    assert check_live_link("https://www.tiktok.com/@htx/live", None).platform == Platform.TIKTOK
    assert check_live_link("https://www.tiktok.com/@htx/live", Platform.TIKTOK).platform == Platform.TIKTOK
