"""A product's page names the lives on now or coming that will show it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.livestreams.models import HostState, Platform
from tests.factories import LivestreamFactory, ProductFactory, in_hours

HEADING = "Sản phẩm này có trong livestream"


@pytest.fixture
def product(app):
    with app.app_context():
        product = ProductFactory(name="Bưởi Thanh Trà")
        db.session.commit()
        return product


def section(page: str) -> str:
    start = page.index('class="product-lives"')
    return page[start:page.index("</section>", start)]


def test_only_lives_on_now_or_coming_are_shown_soonest_first(app, client, product, clock):
    clock.set(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))  # a Wednesday, 09:00 in Huế
    with app.app_context():
        product = db.session.merge(product)
        LivestreamFactory(title="Phiên tối thứ bảy", starts_at=in_hours(72), products=[product])
        LivestreamFactory(title="Phiên trưa mai", starts_at=in_hours(26), platform=Platform.YOUTUBE,
                          url="https://www.youtube.com/live/abcdefghijk", products=[product])
        LivestreamFactory(title="Đang phát ở vườn", starts_at=in_hours(-0.5), products=[product])
        LivestreamFactory(title="Phiên tuần trước", starts_at=in_hours(-170), products=[product])
        LivestreamFactory(title="Phiên bị huỷ", starts_at=in_hours(30), host_state=HostState.CANCELLED,
                          products=[product])
        LivestreamFactory(title="Phiên bán cam khác", starts_at=in_hours(20))
        db.session.commit()
        slug = product.slug

    page = client.get(f"/san-pham/{slug}").get_data(as_text=True)
    shown = section(page)
    assert HEADING in page
    titles = ["Đang phát ở vườn", "Phiên trưa mai", "Phiên tối thứ bảy"]
    positions = [shown.index(title) for title in titles]
    assert positions == sorted(positions)
    for absent in ("Phiên tuần trước", "Phiên bị huỷ", "Phiên bán cam khác"):
        assert absent not in shown
    assert "YouTube" in shown and "Facebook" in shown
    assert 'href="/livestream/' in shown
    # The time says the day of the week: Wednesday 10 June 2026 + 26 hours is a Thursday.
    assert "Thứ Năm" in shown


def test_a_product_in_no_coming_live_has_no_empty_heading(app, client, product):
    with app.app_context():
        product = db.session.merge(product)
        LivestreamFactory(starts_at=in_hours(-48), products=[product])
        db.session.commit()
        slug = product.slug
    page = client.get(f"/san-pham/{slug}").get_data(as_text=True)
    assert HEADING not in page and "product-lives" not in page


def test_the_lives_are_read_in_one_query_however_many(app, client, product, count_queries):
    with app.app_context():
        product = db.session.merge(product)
        LivestreamFactory(starts_at=in_hours(24), products=[product])
        db.session.commit()
        slug = product.slug
    with count_queries() as one_live:
        client.get(f"/san-pham/{slug}")
    with app.app_context():
        product = db.session.merge(product)
        for hours in (30, 40, 50):
            LivestreamFactory(starts_at=in_hours(hours), ends_at=in_hours(hours) + timedelta(hours=1),
                              products=[product])
        db.session.commit()
    with count_queries() as four_lives:
        page = client.get(f"/san-pham/{slug}").get_data(as_text=True)
    assert section(page).count("<li>") == 4
    assert len(four_lives) == len(one_live)
