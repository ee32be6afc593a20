"""The pages people use most pass the accessibility checks of Lighthouse, on a 390×844 phone.

Lighthouse scores accessibility with axe-core; this runs the same engine, with the options Lighthouse
gives it, on the demo site (home, product list, a product, the live schedule, a live on now and one
coming, the cart and checkout with a line in them, and the seller's dashboard), and fails on any
violation of a rule that Lighthouse's accessibility category counts. So a contrast, label, name,
heading or tap-target slip is caught here rather than by the next person who runs Lighthouse.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from app.catalog.models import Product
from app.demo.data import DEMO_PASSWORD
from app.demo.seed import seed_demo
from app.extensions import db
from app.livestreams.models import Livestream

pytestmark = pytest.mark.e2e

SCREEN = {"width": 390, "height": 844}

# The axe rules behind the audits of Lighthouse's accessibility category (Lighthouse 12,
# core/audits/accessibility/*.js); the category's manual checks have no rule.
LIGHTHOUSE_RULES = frozenset({
    "accesskeys", "aria-allowed-attr", "aria-allowed-role", "aria-command-name", "aria-conditional-attr",
    "aria-deprecated-role", "aria-dialog-name", "aria-hidden-body", "aria-hidden-focus", "aria-input-field-name",
    "aria-meter-name", "aria-progressbar-name", "aria-prohibited-attr", "aria-required-attr",
    "aria-required-children", "aria-required-parent", "aria-roles", "aria-text", "aria-toggle-field-name",
    "aria-tooltip-name", "aria-treeitem-name", "aria-valid-attr-value", "aria-valid-attr", "button-name",
    "bypass", "color-contrast", "definition-list", "dlitem", "document-title", "duplicate-id-aria",
    "empty-heading", "form-field-multiple-labels", "frame-title", "heading-order", "html-has-lang",
    "html-lang-valid", "html-xml-lang-mismatch", "identical-links-same-purpose", "image-alt",
    "image-redundant-alt", "input-button-name", "input-image-alt", "label", "label-content-name-mismatch",
    "landmark-one-main", "link-in-text-block", "link-name", "list", "listitem", "meta-refresh",
    "meta-viewport", "object-alt", "select-name", "skip-link", "tabindex", "table-duplicate-name",
    "table-fake-caption", "target-size", "td-has-header", "td-headers-attr", "th-has-data-cells",
    "valid-lang", "video-caption",
})

# What Lighthouse asks of axe (core/gather/gatherers/accessibility.js): the WCAG 2 A and AA rules,
# plus some best-practice ones switched on and a few noisy ones off.
LIGHTHOUSE_AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
    "resultTypes": ["violations"],
    "rules": {
        **{rule: {"enabled": True} for rule in (
            "accesskeys", "aria-allowed-role", "aria-conditional-attr", "aria-deprecated-role", "aria-dialog-name",
            "aria-prohibited-attr", "aria-treeitem-name", "aria-text", "empty-heading", "heading-order",
            "html-xml-lang-mismatch", "identical-links-same-purpose", "image-redundant-alt", "input-button-name",
            "label-content-name-mismatch", "landmark-one-main", "link-in-text-block", "meta-viewport",
            "select-name", "skip-link", "tabindex", "table-duplicate-name", "table-fake-caption", "target-size",
            "td-has-header",
        )},
        **{rule: {"enabled": False} for rule in (
            "area-alt", "aria-braille-equivalent", "aria-roledescription", "audio-caption", "blink", "duplicate-id",
            "frame-focusable-content", "frame-title-unique", "marquee", "nested-interactive", "no-autoplay-audio",
            "role-img-alt", "scrollable-region-focusable", "server-side-image-map", "summary-name", "svg-img-alt",
        )},
    },
}

SELLER = "nongdan@chophien.vn"


@pytest.fixture
def demo_site(live_server) -> dict[str, str]:
    """The demo data of `make run`, and the paths of the pages to check."""
    with live_server.app.app_context():
        seed_demo(log=lambda _: None)
        db.session.commit()
        product = db.session.execute(sa.select(Product.slug).where(Product.name == "Cam V2 Quang Lộc")).scalar_one()
        lives = dict(db.session.execute(sa.select(Livestream.title, Livestream.slug)).all())
        db.session.remove()
    return {
        "product": f"/san-pham/{product}",
        "live_now": f"/livestream/{lives['Hái cam tại vườn Quang Lộc']}",
        "live_coming": f"/livestream/{lives['Cam Xã Đoài đầu mùa']}",
    }


def violations(page: Page) -> list[str]:
    """Lighthouse's failing accessibility audits on this page, one line per element at fault."""
    page.wait_for_load_state("load")
    found = Axe().run(page, options=LIGHTHOUSE_AXE_OPTIONS).response["violations"]
    return [
        f"{page.url} {rule['id']}: {node['target']} {node.get('failureSummary', '').splitlines()[-1].strip()}"
        for rule in found if rule["id"] in LIGHTHOUSE_RULES
        for node in rule["nodes"]
    ]


def test_the_main_pages_pass_lighthouse_accessibility_audits_on_a_phone(live_server, new_phone, demo_site):
    base = live_server.url
    found: list[str] = []

    visitor = new_phone(viewport=SCREEN)
    for path in ("/", "/san-pham", demo_site["product"], "/livestream", demo_site["live_now"],
                 demo_site["live_coming"]):
        visitor.goto(base + path)
        found += violations(visitor)

    visitor.goto(base + demo_site["product"])
    visitor.get_by_role("button", name="Thêm vào giỏ").first.click()
    visitor.goto(base + "/gio-hang")
    expect(visitor.get_by_role("link", name="Cam V2 Quang Lộc")).to_be_visible()
    found += violations(visitor)
    visitor.goto(base + "/thanh-toan")
    expect(visitor.get_by_label("Họ tên người nhận")).to_be_visible()
    found += violations(visitor)

    seller = new_phone(viewport=SCREEN)
    seller.goto(base + "/dang-nhap")
    seller.get_by_label("Email hoặc số điện thoại").fill(SELLER)
    seller.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    seller.get_by_role("button", name="Đăng nhập").click()
    seller.wait_for_url(lambda url: "/dang-nhap" not in url)
    seller.goto(base + "/quan-ly/")
    expect(seller.get_by_role("heading", level=1)).to_be_visible()
    found += violations(seller)

    assert found == [], "Accessibility violations (as Lighthouse counts them):\n" + "\n".join(found)
