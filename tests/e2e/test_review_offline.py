"""An officer reviews a household where there is no signal: the review is kept on the phone and
sent when the connection returns, and counts once even when it is sent twice.

The officer opens the list, the household and its review form with a connection (the service
worker keeps them), loses the network, opens the list again from the phone's copy, fills the form,
presses "Nộp" and reads that the review is kept on the phone; the connection returns and the
review reaches the server once.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.extensions import db
from app.households.classification import standard_for
from app.households.models import AnnualReview, AreaType, ReviewState
from tests.e2e.steps import log_in
from tests.households.factories import HouseholdFactory, officer

pytestmark = pytest.mark.e2e

YEAR = 2026
SAVED = "Đã lưu trên máy, sẽ gửi khi có mạng."
SENT = "Đã gửi các phiếu rà soát lưu trên máy."


@pytest.fixture
def setting(live_server) -> dict:
    """An officer of Phường Hương Trà (the factories' default commune) and a rural household there."""
    with live_server.app.app_context():
        user = officer()
        household = HouseholdFactory(head_name="Hồ Thị Lài", area_type=AreaType.RURAL)
        indicators = [i.name_vi for i in standard_for(YEAR, AreaType.RURAL).indicators][:2]
        db.session.commit()
        found = {"login": user.email, "household": household.id, "code": household.code, "indicators": indicators}
        db.session.remove()
    return found


def reviews(live_server, household_id: int) -> list[tuple[ReviewState, int | None]]:
    with live_server.app.app_context():
        rows = db.session.execute(
            sa.select(AnnualReview.state, AnnualReview.income_per_person_vnd)
            .where(AnnualReview.household_id == household_id, AnnualReview.year == YEAR)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def open_with_a_connection(page: Page, base_url: str, setting: dict) -> None:
    page.goto(base_url + "/ho-ho-tro/")
    # Once the worker is active, every page opened from then on is under its care. This page may
    # not be: signing in already opened the list, and a worker that became active while this
    # second visit was on its way claims only the pages that existed then. So wait until it is
    # ready and open the list again, as an officer's next tap would.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.get_by_role("link", name=setting["code"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(setting["code"])
    page.goto(f"{base_url}/ho-ho-tro/{setting['household']}/ra-soat/{YEAR}")
    expect(page.get_by_role("heading", level=1, name=f"Rà soát năm {YEAR}")).to_be_visible()


def test_a_review_submitted_without_a_signal_is_sent_once_when_it_returns(live_server, new_phone, setting):
    page = new_phone()
    log_in(page, live_server.url, setting["login"])
    open_with_a_connection(page, live_server.url, setting)
    form_address = page.url

    page.context.set_offline(True)
    page.goto(live_server.url + "/ho-ho-tro/")  # the list, from the phone's copy
    expect(page.get_by_role("heading", level=1, name="Hộ được hỗ trợ")).to_be_visible()
    page.goto(form_address)  # and the review form
    page.get_by_label("Thu nhập bình quân").fill("1.200.000")
    for name in setting["indicators"]:
        page.get_by_role("checkbox", name=f"{name} thiếu", exact=True).check()
    page.get_by_role("button", name="Nộp", exact=True).click()
    expect(page.locator(".hh-offline-status")).to_have_text(SAVED)
    expect(page.locator(".hh-queue-count")).to_have_text("Phiếu rà soát chờ gửi khi có mạng: 1")
    kept = page.evaluate("hhOfflineReviews.all()")
    assert len(kept) == 1 and ["action", "submit"] in kept[0]["fields"]
    assert any(name == "csrf_token" for name, _ in kept[0]["fields"])
    assert reviews(live_server, setting["household"]) == []

    page.context.set_offline(False)  # the `online` event sends the queue
    expect(page.locator(".hh-offline-status")).to_have_text(SENT)
    expect(page.locator(".hh-queue-count")).to_be_hidden()
    assert reviews(live_server, setting["household"]) == [(ReviewState.SUBMITTED, 1_200_000)]
    assert page.evaluate("hhOfflineReviews.all()") == []

    # The same review sent again (the answer to the first sending lost on the way): one review.
    sent = page.evaluate("item => hhOfflineReviews.add(item).then(() => hhOfflineReviews.flush())", kept[0])
    assert sent == 1
    assert page.evaluate("hhOfflineReviews.all()") == []
    assert reviews(live_server, setting["household"]) == [(ReviewState.SUBMITTED, 1_200_000)]

    # The list page, opened with a connection, shows nothing waiting.
    page.goto(live_server.url + "/ho-ho-tro/")
    expect(page.locator(".hh-queue-count")).to_be_hidden()
    assert page.evaluate("caches.keys()"), "the service worker keeps the officer's pages"

    # Signing out removes the phone's copy of the household pages (Clear-Site-Data).
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("status").filter(has_text="Bạn đã đăng xuất.")).to_be_visible()
    assert page.evaluate("caches.keys()") == []
