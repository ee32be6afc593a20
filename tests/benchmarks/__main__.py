"""Benchmarks for the catalogue: `make bench`.

Builds a catalogue of 10,000 products from 200 producers in a scratch database (SQLite by
default, or BENCH_DATABASE_URL, e.g. a PostgreSQL database you can throw away), then measures:

- the time to answer the product list, a search, a filtered list, a deep page sorted by name,
  a product page, the home page, the livestream schedule, a live page featuring 100 products
  and the whole-schedule calendar feed (2,000 lives over a year around today) (in-process, through the WSGI app, 40 runs each after a
  warm-up; median and 95th percentile);
- the weight of those pages as a phone downloads them (HTML + the stylesheet, gzip-compressed,
  as any web server would send them);
- the memory needed to take a 12-megapixel phone photo through the upload pipeline;
- what a phone downloads for the demo's home page and product list, in Chromium
  (tests/benchmarks/weight.py: home first view under 150 KB, product list fully scrolled under
  200 KB).

Targets: p95 under 150 ms for every page on SQLite; under 30 KB compressed HTML + CSS for a
product list page (images load lazily and come in sizes that fit the screen); under 150 MB of
extra memory for one phone photo.

One part alone: `python -m tests.benchmarks pages` (or photo, checkout, weight, several at once),
and `--only TEXT` keeps the pages whose label holds TEXT, e.g.
`python -m tests.benchmarks pages --only "calendar feed"`.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

PRODUCTS = 10_000
PRODUCERS = 200
RUNS = 40
TARGET_P95_MS = 150
TARGET_LIST_KB = 30
TARGET_PHOTO_MB = 150

NAMES = ["Cam V2", "Cam Xã Đoài", "Quýt Thanh Bình", "Quýt Hương Cần", "Thanh trà", "Bưởi da xanh",
         "Ổi VietGAP", "Cốm An Thuận", "Chuối mốc", "Mật ong hoa cam", "Gạo hữu cơ", "Đu đủ"]
VILLAGES = ["Thôn Quang Lộc", "Thôn Tây Xuân", "Làng An Thuận", "Thôn Hương Cần", "Thôn Bình Lợi"]


def build_catalogue(app) -> None:
    from app.catalog.models import Category, Producer, Product, ProductPhoto
    from app.common.text import fold, make_slug, vietnamese_sort_key
    from app.extensions import db
    from app.media.models import StoredImage
    from app.places.models import Commune, Province

    rng = random.Random(7)
    with app.app_context():
        hue = db.session.execute(sa.select(Province).filter_by(slug="hue")).scalar_one()
        communes = db.session.execute(sa.select(Commune)).scalars().all()
        categories = db.session.execute(sa.select(Category)).scalars().all()
        producers = []
        for n in range(PRODUCERS):
            name = f"Vườn nhà {rng.choice(['ông', 'bà', 'anh', 'chị'])} {n}"
            producers.append(Producer(
                display_name=name, slug=make_slug(name), name_sort_key=vietnamese_sort_key(name),
                province=hue, commune=rng.choice(communes), village=rng.choice(VILLAGES),
            ))
        db.session.add_all(producers)
        db.session.flush()
        images = [StoredImage(digest=f"{n:064x}", width=1600, height=1200, variant_widths=[320, 800, 1600])
                  for n in range(PRODUCTS)]
        db.session.add_all(images)
        db.session.flush()
        rows, photos = [], []
        for n in range(PRODUCTS):
            producer = producers[n % PRODUCERS]
            category = rng.choice(categories)
            name = f"{rng.choice(NAMES)} {n}"
            rows.append({
                "producer_id": producer.id, "category_id": category.id, "name": name,
                "slug": f"{make_slug(name)}", "description": "Hàng tươi, hái trong ngày.", "unit": "kg",
                "price_vnd": rng.randrange(10, 500) * 1000, "stock": rng.randrange(0, 300), "min_order": 1,
                "harvest_months": rng.randrange(1, 4096), "status": "on_sale", "featured": n % 50 == 0,
                "search_name": fold(name),
                "search_context": fold(f"{producer.display_name} {producer.village} {category.name_vi}"),
                "name_sort_key": vietnamese_sort_key(name),
            })
        db.session.execute(sa.insert(Product), rows)
        ids = db.session.execute(sa.select(Product.id).order_by(Product.id)).scalars().all()
        for product_id, image in zip(ids, images):
            photos.append({"product_id": product_id, "image_id": image.id, "position": 0})
        db.session.execute(sa.insert(ProductPhoto), photos)
        db.session.commit()
        # A live database has statistics (PostgreSQL's autovacuum gathers them); a freshly
        # bulk-loaded one does not, and its planner would guess.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")


LIVES = 2_000
LIVE_FEATURED = 20


def build_schedule(app) -> str:
    """2,000 lives over a year around today, 20 featured products each, one with the full 100.

    Returns the slug of the one with 100 featured products, the heaviest live page there can be.
    """
    from datetime import timedelta

    from app.common.timezone import utcnow
    from app.cooperatives.models import Cooperative
    from app.extensions import db
    from app.livestreams.models import FeaturedProduct, Livestream

    rng = random.Random(11)
    now = utcnow().replace(second=0, microsecond=0)
    with app.app_context():
        coop = Cooperative(name="Hợp tác xã Hương Trà", slug="hop-tac-xa-huong-tra")
        db.session.add(coop)
        db.session.flush()
        producer_ids = db.session.execute(sa.select(sa.text("id")).select_from(sa.text("producers"))).scalars().all()
        db.session.execute(sa.update(sa.table("producers", sa.column("cooperative_id"))).values(cooperative_id=coop.id))
        product_ids = db.session.execute(sa.select(sa.text("id")).select_from(sa.text("products"))).scalars().all()
        rows = []
        for n in range(LIVES):
            start = now + timedelta(hours=rng.randrange(-24 * 180, 24 * 180))
            host = {"cooperative_id": coop.id} if n % 4 == 0 else {"producer_id": rng.choice(producer_ids)}
            rows.append({
                "uid": f"bench-{n}@chophien", "sequence": 0, "slug": f"phien-cho-{n}", "title": f"Phiên chợ cam số {n}",
                "description": "Cam Xã Đoài hái tại vườn.", "platform": "facebook",
                "url": f"https://www.facebook.com/htx/videos/{n}", "starts_at": start,
                "ends_at": start + timedelta(minutes=90), "host_state": "scheduled", "replay_url": "",
                "created_at": now, "updated_at": now, "cooperative_id": None, "producer_id": None, **host,
            })
        db.session.execute(sa.insert(Livestream), rows)
        live_ids = db.session.execute(sa.select(Livestream.id).order_by(Livestream.id)).scalars().all()
        featured = []
        for index, live_id in enumerate(live_ids):
            count = 100 if index == 0 else LIVE_FEATURED
            for position, product_id in enumerate(rng.sample(product_ids, count)):
                featured.append({"livestream_id": live_id, "product_id": product_id, "position": position})
        db.session.execute(sa.insert(FeaturedProduct), featured)
        heaviest = db.session.get(Livestream, live_ids[0])
        heaviest.starts_at, heaviest.ends_at = now + timedelta(hours=2), now + timedelta(hours=3)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
        return heaviest.slug


def timed(client, url: str, before_each=None) -> tuple[float, float, bytes]:
    client.get(url)  # warm-up
    samples = []
    body = b""
    for _ in range(RUNS):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        body = response.data
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], body


def photo_memory_mb(scratch: Path) -> float:
    """Peak extra memory (RSS) to store a 4000×3000 phone photo, measured in a fresh process
    (Linux: the peak is reset through /proc/self/clear_refs just before the upload)."""
    from PIL import Image, ImageDraw

    photo = Image.new("RGB", (4000, 3000), (240, 140, 30))
    draw = ImageDraw.Draw(photo)
    for i in range(0, 4000, 40):
        draw.line((i, 0, 4000 - i, 3000), fill=(i % 255, 120, 60), width=9)
    path = scratch / "phone.jpg"
    photo.save(path, "JPEG", quality=92)
    code = f"""
import tempfile
from flask_migrate import upgrade
from app import create_app
from config import TestingConfig
tmp = tempfile.mkdtemp()
app = create_app(TestingConfig, {{"SQLALCHEMY_DATABASE_URI": f"sqlite:///{{tmp}}/m.sqlite3", "UPLOAD_DIR": tmp}})
with app.app_context():
    upgrade()
    from app.media.images import store_image
    data = open({str(path)!r}, "rb")
    status = lambda key: int(next(l for l in open("/proc/self/status") if l.startswith(key)).split()[1])
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak (VmHWM) to the current resident size
    before = status("VmRSS:")
    store_image(data)
    after = status("VmHWM:")
print((after - before) / 1024)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    return float(result.stdout.strip().splitlines()[-1])


SECTIONS = ("pages", "photo", "checkout", "weight")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description="make bench, or a part of it")
    parser.add_argument("sections", nargs="*", metavar="SECTION",
                        help=f"what to measure: {', '.join(SECTIONS)} (all when none is named)")
    parser.add_argument("--only", default="", metavar="TEXT", help="only the pages whose label holds TEXT")
    options = parser.parse_args(argv)
    unknown = set(options.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"no such section: {', '.join(sorted(unknown))} (choose from {', '.join(SECTIONS)})")
    options.sections = set(options.sections or SECTIONS)
    return options


def main(argv: list[str] | None = None) -> int:
    import logging

    options = arguments(argv)
    logging.disable(logging.WARNING)
    from flask_migrate import upgrade

    from app import create_app
    from config import TestingConfig

    scratch = Path(tempfile.mkdtemp(prefix="chophien-bench-"))
    failures = []
    if "pages" in options.sections:
        failures.extend(measure_pages(create_app, TestingConfig, upgrade, scratch, options.only))

    if "photo" in options.sections:
        memory = photo_memory_mb(scratch)
        print(f"\nPhone photo 4000×3000 JPEG through the upload pipeline: {memory:.0f} MB peak extra memory")
        if memory > TARGET_PHOTO_MB:
            failures.append(f"photo memory {memory:.0f} MB > {TARGET_PHOTO_MB} MB")

    if "checkout" in options.sections:
        failures.extend(measure_checkout(create_app, TestingConfig, scratch))

    from tests.benchmarks import weight

    if "weight" in options.sections:
        print("\nPage weight as a phone downloads it, demo data:")
        failures.extend(weight.run(report=lambda line: print("  " + line), only=options.only))

    print(f"\nTargets: p95 < {TARGET_P95_MS} ms, list page < {TARGET_LIST_KB} KB compressed, "
          f"photo < {TARGET_PHOTO_MB} MB, 0 units oversold, "
          f"home first view < {weight.TARGET_HOME_KB} KB, list fully scrolled < {weight.TARGET_LIST_KB} KB, "
          f"product page first view < {weight.TARGET_PRODUCT_KB} KB")
    if failures:
        print("MISSED: " + "; ".join(failures))
        return 1
    print("All targets met." if options.sections == set(SECTIONS) else "The targets measured are met.")
    return 0


def measure_pages(create_app, config, upgrade, scratch: Path, only: str) -> list[str]:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch / 'bench.sqlite3'}"
    app = create_app(config, {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(scratch)})
    with app.app_context():
        upgrade()
    start = time.perf_counter()
    build_catalogue(app)
    live_slug = build_schedule(app)
    print(f"Catalogue: {PRODUCTS:,} products from {PRODUCERS} producers, {LIVES:,} lives with "
          f"{LIVE_FEATURED} featured products each, on {sa.engine.make_url(url).get_backend_name()} "
          f"(built in {time.perf_counter() - start:.1f} s)\n")

    client = app.test_client()
    css = client.get("/static/css/site.css").data
    with app.app_context():
        from app.catalog.models import Product
        from app.extensions import db

        slug = db.session.execute(sa.select(Product.slug).where(Product.name.like("Cam Xã Đoài%")).limit(1)).scalar()
    pages = [
        ("product list", "/san-pham"),
        ("search 'cam xa doai'", "/san-pham?q=cam+xa+doai"),
        ("search 'quang loc' + filter", "/san-pham?q=quang+loc&category=cam&price_min=100000&in_stock=1"),
        ("page 200, sorted by name", "/san-pham?sort=name&page=200"),
        ("product page", f"/san-pham/{slug}"),
        ("home", "/"),
        ("livestream schedule", "/livestream"),
        ("live page, 100 featured", f"/livestream/{live_slug}"),
        ("calendar feed (all lives)", "/livestream/lich.ics"),
        # The same feed right after a host changed a live: nothing cached, all 130 events built.
        ("calendar feed, after a change", "/livestream/lich.ics"),
    ]
    failures = []
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'HTML KB':>8} {'HTML+CSS gz KB':>15}")
    from app.livestreams.calendar import feed_cache

    for label, path in pages:
        if only not in label:
            continue
        median, p95, body = timed(client, path, feed_cache.clear if "after a change" in label else None)
        packed_kb = (len(gzip.compress(body)) + len(gzip.compress(css))) / 1024
        print(f"{label:32} {median:10.1f} {p95:8.1f} {len(body) / 1024:8.1f} {packed_kb:15.1f}")
        if p95 > TARGET_P95_MS:
            failures.append(f"{label}: p95 {p95:.0f} ms > {TARGET_P95_MS} ms")
        if path == "/san-pham" and packed_kb > TARGET_LIST_KB:
            failures.append(f"{label}: {packed_kb:.1f} KB > {TARGET_LIST_KB} KB")
    return failures


def measure_checkout(create_app, config, scratch: Path) -> list[str]:
    from tests.benchmarks import checkout

    def checkout_app(url, engine_options):
        settings = {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(scratch)}
        if engine_options:
            settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **engine_options}
        return create_app(config, settings)

    backend, rate, oversold, answers = checkout.run(checkout_app)
    print(f"\nCheckout, {checkout.BUYERS} concurrent buyers on {backend} "
          f"({checkout.PRODUCTS} products × {checkout.STOCK_EACH} boxes, "
          f"{checkout.BUYERS * checkout.CHECKOUTS_PER_BUYER} attempts): {rate:.0f} orders/s, "
          f"{oversold} units oversold; {dict(answers)}")
    if backend != "postgresql":
        print("  (no PostgreSQL server reachable: BENCH_POSTGRES_URL names one)")
    return [f"checkout oversold {oversold} units"] if oversold else []


if __name__ == "__main__":
    sys.exit(main())
