"""Page weight as a phone downloads it: `python -m tests.benchmarks.weight` (also part of `make bench`).

Loads the demo (`flask seed-demo`) into a scratch database, serves the site in-process with
werkzeug (threaded, compression on, as tests/e2e does), and opens pages in Chromium as a
390×844 phone with touch, at device pixel ratios 2 and 3, each page in a fresh context (a cold
cache). Bytes are counted as the network sees them: the sum of CDP's Network.loadingFinished
`encodedDataLength` (compressed bodies and headers) over every request of the page.

- home, first view: the page loaded without scrolling (Chromium still fetches lazy images near
  the screen, as a phone does);
- product list, fully scrolled: the first page of /san-pham scrolled to the bottom, every lazy
  image fetched;
- product page, first view: what a buyer who opened a product from a live's link sees first
  (the main photo in the variant the phone picks from its srcset, thumbnails lazy).

Targets: home first view < 150 KB, product list fully scrolled < 200 KB, product page first
view < 150 KB. `python -m tests.benchmarks.weight "product page"` measures the pages whose label
holds that text only.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

TARGET_HOME_KB = 150
TARGET_LIST_KB = 200
TARGET_PRODUCT_KB = 150
WIDTH, HEIGHT = 390, 844
PIXEL_RATIOS = (2, 3)


def demo_app(scratch: Path):
    from flask_migrate import upgrade

    from app import create_app
    from app.demo.seed import seed_demo
    from app.extensions import db
    from config import TestingConfig

    app = create_app(TestingConfig, {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch / 'weight.sqlite3'}",
        "UPLOAD_DIR": str(scratch / "uploads"),
        "MAIL_OUTBOX_DIR": str(scratch / "outbox"),
    })
    with app.app_context():
        upgrade()
        seed_demo(log=lambda *args, **kwargs: None)
        db.session.commit()
    return app


class Served:
    """The app on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


class Transfer:
    """What one page load moved over the network, from Chromium's DevTools protocol."""

    def __init__(self, context, page):
        self.bytes = 0
        self.requests: dict[str, str] = {}
        self.by_type: Counter = Counter()
        self.by_url: dict[str, int] = {}
        session = context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": False})

    def _sent(self, event):
        self.requests[event["requestId"]] = event["request"]["url"]
        self.by_type[event.get("type", "Other")] += 1

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]
        url = self.requests.get(event["requestId"], "?")
        self.by_url[url] = self.by_url.get(url, 0) + event["encodedDataLength"]

    @property
    def kb(self) -> float:
        return self.bytes / 1024


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def scroll_to_bottom(page) -> None:
    """Scroll a screen at a time, as a thumb does, letting lazy images start on the way."""
    while True:
        at_bottom = page.evaluate(
            "() => { window.scrollBy(0, window.innerHeight * 0.9);"
            " return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2; }"
        )
        page.wait_for_timeout(150)
        if at_bottom:
            break
    settle(page)


def measure(browser, url: str, ratio: int, scrolled: bool) -> Transfer:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=ratio, is_mobile=True, has_touch=True,
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
    )
    try:
        page = context.new_page()
        transfer = Transfer(context, page)
        page.goto(url, wait_until="load")
        settle(page)
        if scrolled:
            scroll_to_bottom(page)
        page.wait_for_timeout(300)
        return transfer
    finally:
        context.close()


def html_sizes(app, paths: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    client = app.test_client()
    sizes = []
    for label, path in paths:
        body = client.get(path).data
        sizes.append((label, len(body), len(gzip.compress(body))))
    return sizes


def run(report=print, only: str = "") -> list[str]:
    """Measure, print the figures and targets; return the targets missed."""
    import logging

    from playwright.sync_api import sync_playwright

    from tests.e2e import CHROMIUM_ARGS, CHROMIUM_PATH, missing_browser_reason

    logging.disable(logging.WARNING)
    reason = missing_browser_reason()
    if reason:
        report(f"Page weight not measured: {reason}")
        return [f"page weight not measured ({reason})"]
    scratch = Path(tempfile.mkdtemp(prefix="chophien-weight-"))
    start = time.perf_counter()
    app = demo_app(scratch)
    with app.app_context():
        import sqlalchemy as sa

        from app.catalog.models import Product
        from app.extensions import db
        from app.livestreams.models import Livestream

        product_slug = db.session.execute(sa.select(Product.slug).order_by(Product.id).limit(1)).scalar()
        live_slug = db.session.execute(
            sa.select(Livestream.slug).join(Livestream.featured).order_by(Livestream.starts_at.desc()).limit(1)
        ).scalar()
    report(f"Demo data loaded in {time.perf_counter() - start:.1f} s; phone {WIDTH}×{HEIGHT}, "
           f"device pixel ratio {' and '.join(map(str, PIXEL_RATIOS))}, cold cache, compression on\n")

    missed = []
    pages = [
        ("home, first view", "/", False, TARGET_HOME_KB),
        ("product list, fully scrolled", "/san-pham", True, TARGET_LIST_KB),
        ("product page, first view", f"/san-pham/{product_slug}", False, TARGET_PRODUCT_KB),
        ("live page, fully scrolled", f"/livestream/{live_slug}", True, None),
    ]
    pages = [page for page in pages if only in page[0]]
    with Served(app) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        report(f"{'page':32} {'DPR':>3} {'KB':>7} {'requests':>9} {'images KB':>10} {'target':>8}")
        for label, path, scrolled, target in pages:
            for ratio in PIXEL_RATIOS:
                transfer = measure(browser, served.url + path, ratio, scrolled)
                images = sum(size for url, size in transfer.by_url.items() if "/media/" in url) / 1024
                requests = sum(transfer.by_type.values())
                verdict = ""
                if target is not None:
                    verdict = f"< {target}" if transfer.kb < target else f"MISSED > {target}"
                    if transfer.kb >= target:
                        missed.append(f"{label} at DPR {ratio}: {transfer.kb:.0f} KB > {target} KB")
                report(f"{label:32} {ratio:>3} {transfer.kb:7.1f} {requests:9} {images:10.1f} {verdict:>8}")
        browser.close()

    report(f"\n{'HTML':32} {'bytes':>9} {'gzip':>9}")
    for label, raw, packed in html_sizes(app, [(label, path) for label, path, _s, _t in pages]):
        report(f"{label:32} {raw:9,} {packed:9,}")
    report(f"\nTargets: home first view < {TARGET_HOME_KB} KB, product list fully scrolled < {TARGET_LIST_KB} KB, "
           f"product page first view < {TARGET_PRODUCT_KB} KB")
    report("MISSED: " + "; ".join(missed) if missed else "Page weight targets met.")
    return missed


if __name__ == "__main__":
    sys.exit(1 if run(only=" ".join(sys.argv[1:])) else 0)
