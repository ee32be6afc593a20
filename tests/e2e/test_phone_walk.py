"""Every page of the demo site, as each kind of person, on a 390×844 touch phone: no page is wider
than the screen, and every control offers a thumb a 44×44 CSS px target.

The pages come from the URL map: every GET endpoint, its URL arguments filled with demo values
(one the person may open is found first with Flask's test client, which is quick); pages that are
not HTML (photos, feeds, downloads, QR codes, the service worker) are left out. A page added later is
walked too; one this test cannot fill fails it, naming the argument.

What counts as a tap target: a[href], button, input (not hidden), select, textarea, summary,
[role=button] and [tabindex]. A checkbox or radio is tapped through its label (label[for=id] or
a label around it), so the labelled row is what must be 44 px high. Collapsed <details> are opened
first so the controls inside them are measured too.

One exemption, WCAG 2.5.5's "inline" case: a link shown inline inside a sentence (its block holds
other words beside it) may be as tall as the line, as text links in running prose are. A link
list, a menu or a link alone on its line is not a sentence and gets no exemption.

Elements hidden on purpose (display:none, .visually-hidden, the skip link while off-screen) are
skipped; the skip link is measured once when focused, where it shows.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from app.accounts.models import User
from app.catalog.models import Producer, ProducerPhoto, Product, ProductPhoto
from app.common.access import Audience, audience_of
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.households.models import AnnualReview, PovertyStandard, ProducerLink, SupportedHousehold
from app.livestreams.models import Livestream
from app.orders.models import Checkout, Order
from tests.conftest import _make_app
from tests.e2e.conftest import TIMEOUT_MS, serving
from tests.e2e.steps import log_in
from tests.sessions import sign_in

pytestmark = pytest.mark.e2e

PASSWORD = "chophien-demo-2026"  # every demo account's (README, "Demo accounts")
PHONE_390 = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
}
ROLES = {
    "anonymous": None,
    "buyer": "nguoimua@chophien.vn",
    "producer": "nongdan@chophien.vn",
    "manager": "htx@chophien.vn",
    "officer": "canbo@chophien.vn",
    "admin": "admin@chophien.vn",
}
ADMITTED = {
    Audience.ANYONE: set(ROLES),
    Audience.SIGNED_IN: set(ROLES) - {"anonymous"},
    Audience.SELLER: {"producer", "manager", "admin"},
    Audience.OFFICER: {"officer", "admin"},
    Audience.ADMIN: {"admin"},
}
# Not pages: files, feeds, downloads, redirects.
NOT_PAGES = {
    "static", "main.media", "main.healthz", "main.set_language", "main.choose_language",
    "livestreams.schedule_calendar", "livestreams.livestream_calendar", "livestreams.producer_calendar",
    "livestreams.cooperative_calendar", "livestreams.livestream_qr", "livestreams.back_to_live",
    "households.service_worker", "household_reports.download_csv", "household_reports.download_xlsx",
    "household_export.export_csv", "household_export.export_xlsx",
}
# Pages a person may be admitted to but that the demo gives them no way to open, and why.
UNREACHABLE = {
    # the card pages need a card checkout; the demo's orders are paid in cash or by transfer
    ("*", "payments.card_checkout"), ("*", "payments.card_return"), ("*", "payments.card_cancelled"),
    # signed-in people are sent on from the login and sign-up pages
    ("signed-in", "accounts.login"), ("signed-in", "accounts.register"),
    # an empty cart's checkout goes back to the cart (the walk fills a cart and opens it after)
    ("*", "orders.checkout_page"),
    # the producer already has their profile: a second is refused
    ("producer", "manage.new_producer"),
    # only the producer who confirmed a link withdraws it
    ("buyer", "household_links.withdraw_confirm"), ("manager", "household_links.withdraw_confirm"),
    ("officer", "household_links.withdraw_confirm"), ("admin", "household_links.withdraw_confirm"),
    # a cooperative's own plan and account are its managers' (and admins'), not a member's
    ("producer", "delivery_settings.edit_cooperative_plan"), ("producer", "payments_manage.cooperative_account"),
    ("producer", "cooperatives.edit_cooperative"),
}
TARGET = 44

MEASURE = r"""
(target) => {
  const CONTROLS = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]';
  const INTERACTIVE = 'a[href], button, input, select, textarea, summary, label, [role=button]';
  document.querySelectorAll('details:not([open])').forEach((d) => { d.open = true; });
  const box = (el) => el.getBoundingClientRect();
  const big = (r) => r.width + 0.01 >= target && r.height + 0.01 >= target;
  const hiddenOnPurpose = (el) => {
    if (el.closest('.visually-hidden, [hidden], [aria-hidden=true]:not(a.cover)')) return true;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return true;
    const r = box(el);
    if (r.width === 0 && r.height === 0) return true;
    // Off-screen to the left or above (a skip link waiting for focus), or clipped to a pixel.
    if (r.right <= 0 || r.bottom <= 0) return true;
    return r.width <= 1 && r.height <= 1;
  };
  // WCAG 2.5.5 "inline": a link in a sentence, with words of its block beside it.
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const owner = node.parentElement;
      if (owner.closest(INTERACTIVE) || owner.closest('script, style, template')) continue;
      return true;
    }
    return false;
  };
  const name = (el) => (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.getAttribute('title') || '')
    .replace(/\s+/g, ' ').trim().slice(0, 40);
  const small = [];
  for (const el of document.querySelectorAll(CONTROLS)) {
    if (hiddenOnPurpose(el)) continue;
    let boxes = [box(el)];
    if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) {
      boxes = Array.from(el.labels || []).map(box);  // tapped through its label
      if (!boxes.length) boxes = [box(el)];
    }
    if (boxes.some(big) || inSentence(el)) continue;
    const r = boxes.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
    const type = el.tagName === 'INPUT' ? `[type=${el.type}]` : '';
    const id = el.id ? `#${el.id}` : '';
    const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    small.push(`${el.tagName.toLowerCase()}${type}${id}${cls} "${name(el)}" ${Math.round(r.width * 10) / 10}x${Math.round(r.height * 10) / 10}`);
  }
  return {small, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
}
"""


@pytest.fixture(scope="module")
def demo_site(databases, tmp_path_factory):
    """The demo data on a live server, loaded once for all the roles' walks (reading only)."""
    url = databases.create()
    app = _make_app(url, tmp_path_factory.mktemp("walk"), WTF_CSRF_ENABLED=True)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    try:
        with serving(app, name="walk-server") as live:
            yield app, live.url, live.errors
    finally:
        databases.drop(url)


def _spread(values: list, count: int) -> list:
    """`count` values from across a list (its first, middle and last), for pages that vary."""
    if len(values) <= count or count == 1:
        return values[:count]
    return [values[round(i * (len(values) - 1) / (count - 1))] for i in range(count)]


def _candidates(app) -> dict[str, list[dict]]:
    """For each URL argument pattern, demo values to try, in order."""
    with app.app_context():
        def column(col, *order):
            return list(db.session.execute(sa.select(col).order_by(*(order or (col,)))).scalars())

        orders = db.session.execute(sa.select(Order).order_by(Order.id)).scalars().all()
        return {
            "product_slug": [{"slug": s} for s in column(Product.slug)],
            "producer_slug": [{"slug": s} for s in column(Producer.slug)],
            "cooperative_slug": [{"slug": s} for s in column(Cooperative.slug)],
            "live_slug": [{"slug": s} for s in column(Livestream.slug, Livestream.starts_at)],
            "token": [{"token": o.checkout.access_token} for o in orders],
            "code+token": [{"token": o.checkout.access_token, "code": o.code} for o in orders],
            "code": [{"code": o.code} for o in orders],
            "card_token": [{"token": t} for t in column(Checkout.access_token)],
            "product_id": [{"product_id": i} for i in column(Product.id)],
            "producer_id": [{"producer_id": i} for i in column(Producer.id)],
            "cooperative_id": [{"cooperative_id": i} for i in column(Cooperative.id)],
            "livestream_id": [{"livestream_id": i} for i in column(Livestream.id, Livestream.starts_at.desc())],
            "household_id": [{"household_id": i} for i in column(SupportedHousehold.id)],
            "household_id+year": [
                {"household_id": h, "year": y}
                for h, y in db.session.execute(
                    sa.select(AnnualReview.household_id, AnnualReview.year).order_by(AnnualReview.year.desc())
                )
            ],
            "standard_id": [{"standard_id": i} for i in column(PovertyStandard.id)],
            "link_id": [{"link_id": i} for i in column(ProducerLink.id)],
            "product_id+photo_id": [
                {"product_id": p, "photo_id": i}
                for p, i in db.session.execute(sa.select(ProductPhoto.product_id, ProductPhoto.id).order_by(ProductPhoto.id))
            ],
            "producer_id+photo_id": [
                {"producer_id": p, "photo_id": i}
                for p, i in db.session.execute(
                    sa.select(ProducerPhoto.producer_id, ProducerPhoto.id).order_by(ProducerPhoto.id)
                )
            ],
        }


SLUG_KIND = {
    "catalog.product_detail": "product_slug",
    "catalog.producer_detail": "producer_slug",
    "cooperatives.cooperative_detail": "cooperative_slug",
    "livestreams.livestream_detail": "live_slug",
}
# Pages whose look changes with their data: visit several (a live on now, coming, ended).
VARIANTS = {"livestreams.livestream_detail": 3, "catalog.product_detail": 2}


def _kind(rule) -> str | None:
    arguments = sorted(rule.arguments)
    if arguments == ["slug"]:
        return SLUG_KIND.get(rule.endpoint)
    if arguments == ["token"]:
        return "card_token" if rule.endpoint.startswith("payments.") else "token"
    if arguments == ["code", "token"]:
        return "code+token"
    if arguments == ["household_id", "year"]:
        return "household_id+year"
    if arguments in (["photo_id", "product_id"], ["photo_id", "producer_id"]):
        return f"{arguments[1]}+photo_id"
    if len(arguments) == 1 and arguments[0] in {"code", "product_id", "producer_id", "cooperative_id",
                                                  "livestream_id", "household_id", "standard_id", "link_id"}:
        return arguments[0]
    return None


def _fill(rule, values: dict) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: quote(str(values[m.group(1)])), rule.rule)


def _pages_for(app, role: str) -> list[str]:
    """The HTML pages `role` may open, one URL per endpoint (a few for pages that vary)."""
    candidates = _candidates(app)
    with app.app_context():
        user_id = None
        if ROLES[role]:
            user_id = db.session.execute(sa.select(User.id).filter_by(email=ROLES[role])).scalar_one()
    client = sign_in(app.test_client(), user_id)
    pages, unfilled, unreached = [], [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if role not in ADMITTED[audience_of(app, rule.endpoint)]:
            continue
        if rule.arguments:
            kind = _kind(rule)
            if kind is None:
                unfilled.append(f"{rule.rule} ({rule.endpoint})")
                continue
            choices = candidates[kind]
        else:
            choices = [{}]
        found = []
        for values in choices:
            path = _fill(rule, values)
            response = client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                found.append(path)
                if rule.endpoint not in VARIANTS:
                    break
        found = _spread(found, VARIANTS.get(rule.endpoint, 1))
        if not found:
            who = "signed-in" if role != "anonymous" else role
            if ("*", rule.endpoint) not in UNREACHABLE and (role, rule.endpoint) not in UNREACHABLE \
                    and (who, rule.endpoint) not in UNREACHABLE:
                unreached.append(f"{rule.rule} ({rule.endpoint})")
        pages.extend(found)
    assert not unfilled, "routes this walk cannot fill in; teach it their arguments: " + ", ".join(unfilled)
    assert not unreached, f"{role} may open these but no demo value opened them: " + ", ".join(unreached)
    return pages




def _check(page: Page, role: str, label: str, problems: list[str]) -> None:
    found = page.evaluate(MEASURE, TARGET)
    where = f"{role} {label}"
    if found["scrollWidth"] > found["innerWidth"]:
        problems.append(f"{where}: page {found['scrollWidth']} px wide on a {found['innerWidth']} px screen")
    problems.extend(f"{where}: {item}" for item in found["small"])


def _fill_cart_and_check_out(page: Page, base_url: str, role: str, product_path: str, problems: list[str]) -> None:
    """The buying pages in their filled state: a line in the cart, the checkout, and the
    checkout re-shown with its errors."""
    page.goto(base_url + product_path)
    page.get_by_role("button", name="Thêm vào giỏ").first.click()
    page.wait_for_load_state()
    page.goto(base_url + "/gio-hang")
    _check(page, role, "/gio-hang (one line)", problems)
    page.goto(base_url + "/thanh-toan")
    assert page.url.endswith("/thanh-toan"), f"the checkout did not open with a line in the cart: {page.url}"
    _check(page, role, "/thanh-toan (one line)", problems)
    for field in page.locator("form[method=post] input[type=text], form[method=post] input[type=tel]").all():
        field.fill("")
    page.locator("main form[method=post] button[type=submit]:not(.link)").last.click()
    page.wait_for_load_state()
    _check(page, role, f"{page.url.removeprefix(base_url)} (checkout sent empty)", problems)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_the_phone_and_every_control_takes_a_thumb(demo_site, browser, role):
    app, base_url, server_errors = demo_site
    started = time.monotonic()
    pages = _pages_for(app, role)
    context = browser.new_context(**PHONE_390)
    context.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    try:
        page = context.new_page()
        if ROLES[role]:
            log_in(page, base_url, ROLES[role], PASSWORD)
        else:
            # The skip link, off-screen until focused, must be a full target once it shows.
            page.goto(base_url + "/")
            page.keyboard.press("Tab")
            skip = page.locator("a.skip").bounding_box()
            if not (skip and skip["x"] >= 0 and skip["width"] >= TARGET and skip["height"] >= TARGET):
                problems.append(f"{role} /: the focused skip link is {skip}")
        for path in pages:
            response = page.goto(base_url + path)
            assert response is not None and response.status == 200, f"{role} {path}: {response and response.status}"
            _check(page, role, path, problems)
        if role in {"anonymous", "buyer"}:
            product = next(p for p in pages if p.startswith("/san-pham/"))
            _fill_cart_and_check_out(page, base_url, role, product, problems)
        if role == "producer":
            page.goto(base_url + "/quan-ly/san-pham/moi")
            page.get_by_role("button", name="Đăng sản phẩm", exact=True).click()
            page.wait_for_load_state()
            _check(page, role, "/quan-ly/san-pham/moi (sent empty)", problems)
    finally:
        context.close()
    assert not server_errors, f"the server raised: {server_errors[0]!r}"
    print(f"{role}: {len(pages)} pages in {time.monotonic() - started:.1f} s")
    assert not problems, f"{len(problems)} problems on a 390 px phone:\n" + "\n".join(problems)
