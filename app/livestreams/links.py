"""Links to lives: which platform a link belongs to, and whether the site may show it.

A link is pasted by a host and shown to every visitor as a button or a player, so only plain
`https` web addresses are accepted, and a link must belong to the platform the host chose: a
"Facebook" button that opens something else is how people get tricked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask_babel import lazy_gettext as _l

from app.livestreams.models import Platform

MAX_LINK_LENGTH = 500

# A platform's hosts: the domain itself or any subdomain (www., m., web., vt.).
PLATFORM_DOMAINS: dict[Platform, tuple[str, ...]] = {
    Platform.FACEBOOK: ("facebook.com", "fb.watch", "fb.com"),
    Platform.YOUTUBE: ("youtube.com", "youtu.be", "youtube-nocookie.com"),
    Platform.TIKTOK: ("tiktok.com",),
    Platform.ZALO: ("zalo.me", "zalo.vn"),
}

PLATFORM_NAMES = {
    Platform.FACEBOOK: "Facebook",
    Platform.YOUTUBE: "YouTube",
    Platform.TIKTOK: "TikTok",
    Platform.ZALO: "Zalo",
    Platform.OTHER: _l("trang khác"),
}

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


class InvalidLink(ValueError):
    """The link cannot be shown; message says why, in the visitor's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class LiveLink:
    url: str
    platform: Platform
    youtube_id: str | None = None

    @property
    def embed_url(self) -> str | None:
        """The privacy-enhanced YouTube player, which sets no cookies until the visitor presses play."""
        if self.youtube_id is None:
            return None
        return f"https://www.youtube-nocookie.com/embed/{self.youtube_id}"


def _matches(host: str, domain: str) -> bool:
    # Exact domain or a subdomain of it: "facebook.com.example.net" and "notfacebook.com" are not Facebook.
    return host == domain or host.endswith("." + domain)


def platform_of_host(host: str) -> Platform:
    for platform, domains in PLATFORM_DOMAINS.items():
        if any(_matches(host, domain) for domain in domains):
            return platform
    return Platform.OTHER


def _youtube_id(host: str, path: str, query: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    candidate = None
    if _matches(host, "youtu.be"):
        candidate = parts[0] if parts else None
    elif parts[:1] == ["watch"]:
        candidate = (parse_qs(query).get("v") or [None])[0]
    elif len(parts) >= 2 and parts[0] in ("live", "embed", "shorts"):
        candidate = parts[1]
    if candidate and _YOUTUBE_ID.fullmatch(candidate):
        return candidate
    return None


def parse_link(text: str | None) -> LiveLink:
    """Check a pasted link and recognise its platform; raise InvalidLink when it cannot be used."""
    url = (text or "").strip()
    if not url:
        raise InvalidLink(_l("Hãy dán liên kết của buổi livestream."))
    if len(url) > MAX_LINK_LENGTH:
        raise InvalidLink(_l("Liên kết quá dài (tối đa 500 ký tự)."))
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InvalidLink(_l("Liên kết không được có khoảng trắng."))
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        raise InvalidLink(_l("Liên kết không hợp lệ.")) from None
    scheme = parts.scheme.lower()
    if scheme == "http":
        raise InvalidLink(_l("Liên kết phải bắt đầu bằng https:// (kết nối an toàn)."))
    if scheme != "https":
        raise InvalidLink(_l("Chỉ nhận liên kết trang web bắt đầu bằng https://."))
    if parts.username is not None or parts.password is not None or port not in (None, 443):
        raise InvalidLink(_l("Liên kết không hợp lệ."))
    if not _HOST.fullmatch(host):
        raise InvalidLink(_l("Liên kết không có tên trang hợp lệ."))
    platform = platform_of_host(host)
    youtube_id = _youtube_id(host, parts.path, parts.query) if platform == Platform.YOUTUBE else None
    return LiveLink(url=url, platform=platform, youtube_id=youtube_id)


def check_live_link(text: str | None, chosen: Platform | None) -> LiveLink:
    """A live's link, which must belong to the platform the host chose (None: recognise it)."""
    link = parse_link(text)
    if chosen is not None and link.platform != chosen:
        if link.platform == Platform.OTHER:
            raise InvalidLink(
                _l("Liên kết này không phải của %(chosen)s.", chosen=PLATFORM_NAMES[chosen])
            )
        raise InvalidLink(
            _l(
                "Liên kết này là của %(actual)s, không phải %(chosen)s.",
                actual=PLATFORM_NAMES[link.platform],
                chosen=PLATFORM_NAMES[chosen],
            )
        )
    return link
