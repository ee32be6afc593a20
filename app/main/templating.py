"""Filters and globals every template may use."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.accounts.phone import display_phone
from app.common.i18n import current_language
from app.common.money import format_vnd
from app.common.timezone import with_zone
from app.common.urls import absolute_url
from app.main import assets
from app.main.assets import asset_url

MONTH_NAMES = {
    1: _l("Tháng 1"), 2: _l("Tháng 2"), 3: _l("Tháng 3"), 4: _l("Tháng 4"),
    5: _l("Tháng 5"), 6: _l("Tháng 6"), 7: _l("Tháng 7"), 8: _l("Tháng 8"),
    9: _l("Tháng 9"), 10: _l("Tháng 10"), 11: _l("Tháng 11"), 12: _l("Tháng 12"),
}


def vnd(amount: int | None) -> str:
    return "" if amount is None else format_vnd(amount, current_language())


# Babel's English "Dec 12, 2026, 7:30:00 PM" and "12/12/26, 7:30 PM" read like a machine (and the
# short one means another day in Europe); Vietnamese keeps Babel's own patterns.
DATETIME_PATTERNS = {"en": {"medium": "EEE d MMM y, HH:mm", "short": "d MMM y, HH:mm"}}


def local_datetime(moment, style: str = "medium") -> str:
    """A moment on Vietnam's clock, said to be so for a reader of English (common.timezone.with_zone)."""
    if not moment:
        return ""
    pattern = DATETIME_PATTERNS.get(current_language(), {}).get(style, style)
    return with_zone(format_datetime(moment, pattern))


def local_date(moment, style: str = "medium") -> str:
    return format_date(moment, style) if moment else ""


def text_with_breaks(value: str | None) -> Markup:
    """Plain text as HTML: everything escaped (user HTML shows as text), line breaks kept."""
    paragraphs = (value or "").replace("\r\n", "\n").split("\n\n")
    return Markup("".join(
        f"<p>{escape(p).replace(chr(10), Markup('<br>'))}</p>" for p in paragraphs if p.strip()
    ))


def image_url(image, width: int = 800) -> str:
    return url_for("main.media", filename=image.variant_path(image.best_width(width)))


def image_srcset(image, up_to: int | None = None) -> str:
    """The stored variants as a srcset; up_to leaves out those no screen needs at that place (a card
    is at most 262 CSS px, 800 device px), which keeps a page of a hundred cards short."""
    widths = [w for w in image.variant_widths if up_to is None or w <= up_to] or image.variant_widths[:1]
    return ", ".join(f"{url_for('main.media', filename=image.variant_path(w))} {w}w" for w in widths)


def month_names(months: list[int]) -> str:
    return ", ".join(str(MONTH_NAMES[m]) for m in months)


def register(app) -> None:
    app.jinja_env.filters.update(
        vnd=vnd,
        local_datetime=local_datetime,
        local_date=local_date,
        text_with_breaks=text_with_breaks,
        month_names=month_names,
        phone=display_phone,
    )
    app.jinja_env.globals.update(
        image_url=image_url,
        image_srcset=image_srcset,
        absolute_url=absolute_url,
        asset_url=asset_url,
        MONTH_NAMES=MONTH_NAMES,
    )

    assets.register(app)

    @app.context_processor
    def language_context():
        return {"lang": current_language(), "current_path": request.full_path.rstrip("?")}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

