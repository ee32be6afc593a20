"""The next lives on a producer's and a cooperative's page, and those featuring a product on its page.

Those pages belong to the catalogue and to cooperatives, which livestreams build on; they show
whatever is registered at their extension points, and register() adds these sections when the
livestreams blueprint is registered. Each section runs one query.
"""

from __future__ import annotations

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from app.catalog.models import Producer, Product
from app.catalog.sections import producer_page, product_page
from app.common.timezone import utcnow
from app.cooperatives.models import Cooperative
from app.cooperatives.sections import cooperative_page
from app.livestreams import queries


def _next_lives_section(lives, now, feed_url: str, feed_label: str) -> Markup:
    return Markup(
        render_template("livestreams/_next_lives.html", lives=lives, now=now, feed_url=feed_url, feed_label=feed_label)
    )


def producer_lives(producer: Producer) -> Markup:
    now = utcnow()
    return _next_lives_section(
        queries.next_lives(now, producer=producer),
        now,
        url_for("livestreams.producer_calendar", slug=producer.slug),
        _("Lịch livestream của nhà vườn (.ics)"),
    )


def cooperative_lives(cooperative: Cooperative) -> Markup:
    now = utcnow()
    return _next_lives_section(
        queries.next_lives(now, cooperative=cooperative),
        now,
        url_for("livestreams.cooperative_calendar", slug=cooperative.slug),
        _("Lịch livestream của hợp tác xã (.ics)"),
    )


def product_lives(product: Product) -> Markup:
    """A short list (title, time with weekday, platform, link), not cards: it sits under the buying
    column and must not push the product down. Nothing at all when no live features it."""
    now = utcnow()
    lives = queries.lives_featuring(product, now)
    if not lives:
        return Markup("")
    return Markup(render_template("livestreams/_product_lives.html", lives=lives, now=now))


def register(app: Flask) -> None:
    producer_page.add(app, producer_lives)
    product_page.add(app, product_lives)
    cooperative_page.add(app, cooperative_lives)
