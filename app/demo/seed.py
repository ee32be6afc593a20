"""`flask seed-demo`: create whatever part of the demo is missing, through the same services as real
data, so the demo obeys every rule a person's input does. Flushes; the caller commits.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import register_user
from app.catalog.listing import ListingValues, add_product_photos, create_product
from app.catalog.models import Category, Certification, Producer, Product
from app.catalog.profiles import ProducerValues, add_producer_photos, create_producer
from app.common.text import make_slug
from app.common.timezone import local_to_utc, to_local, utcnow
from app.cooperatives.models import Cooperative
from app.cooperatives.services import CooperativeValues, create_cooperative
from app.demo.data import ACCOUNTS, COOPERATIVES, DEMO_PASSWORD, LIVES, PRODUCERS, PRODUCTS
from app.demo.households import seed_households
from app.demo.orders import seed_bank_accounts, seed_delivery, seed_orders
from app.demo.photos import draw_produce_photo
from app.extensions import db
from app.livestreams.lifecycle import coming_condition
from app.livestreams.models import Livestream
from app.livestreams.scheduling import LivestreamValues, create_livestream
from app.media.images import store_image
from app.media.models import StoredImage
from app.places.models import Commune, Province


def _by(model, **where):
    return db.session.execute(sa.select(model).filter_by(**where)).scalar_one_or_none()


def _photo(kind: str, seed: int, admin: User | None) -> StoredImage:
    return store_image(io.BytesIO(draw_produce_photo(kind, seed)), uploaded_by=admin)


def seed_accounts() -> tuple[dict[str, User], int]:
    accounts, added = {}, 0
    for email, phone, name, roles in ACCOUNTS:
        user = _by(User, email=email)
        if user is None:
            user = register_user(name, DEMO_PASSWORD, email=email, phone=phone, roles=roles, source="demo")
            added += 1
        accounts[email] = user
    return accounts, added


def seed_cooperatives(accounts: dict[str, User], hue: Province) -> tuple[dict[str, Cooperative], int]:
    cooperatives, added = {}, 0
    for spec in COOPERATIVES:
        coop = _by(Cooperative, slug=make_slug(spec["name"]))
        if coop is None:
            values = CooperativeValues(
                name=spec["name"],
                description=spec["description"],
                province_id=hue.id,
                commune_id=_by(Commune, slug=spec["commune"]).id,
                village=spec["village"],
                old_district=spec["old_district"],
            )
            # actor None: the command line, as `flask create-cooperative` does.
            coop = create_cooperative(None, values, managers=[accounts[email] for email in spec["managers"]])
            added += 1
        cooperatives[spec["name"]] = coop
    return cooperatives, added


def seed_producers(
    accounts: dict[str, User], cooperatives: dict[str, Cooperative], hue: Province, admin: User
) -> tuple[dict[str, Producer], int]:
    certifications = {c.code: c.id for c in db.session.execute(sa.select(Certification)).scalars()}
    producers, added = {}, 0
    for index, spec in enumerate(PRODUCERS):
        producer = _by(Producer, slug=make_slug(spec.name))
        if producer is None:
            values = ProducerValues(
                display_name=spec.name,
                story=spec.story,
                province_id=hue.id,
                commune_id=_by(Commune, slug=spec.commune).id,
                village=spec.village,
                old_district=spec.old_district,
                crops=spec.crops,
                harvest_months=spec.months,
                contact_phone=spec.phone,
                contact_public=spec.phone is not None,
                cooperative_id=cooperatives[spec.cooperative].id if spec.cooperative else None,
                certification_ids=[certifications[c] for c in spec.certifications],
            )
            owner = accounts[spec.owner] if spec.owner else None
            producer = create_producer(admin, values, owner=owner)
            add_producer_photos(admin, producer, [_photo(spec.photo, 100 + index, admin)])
            added += 1
        producers[spec.name] = producer
    return producers, added


def seed_products(producers: dict[str, Producer], accounts: dict[str, User], admin: User) -> int:
    categories = {c.slug: c.id for c in db.session.execute(sa.select(Category)).scalars()}
    certifications = {c.code: c.id for c in db.session.execute(sa.select(Certification)).scalars()}
    owners = {spec.name: accounts[spec.owner] for spec in PRODUCERS if spec.owner}
    added = 0
    for index, spec in enumerate(PRODUCTS):
        if _by(Product, slug=make_slug(spec.name)) is not None:
            continue
        # A farm with an account lists its own produce; the others are listed for them.
        actor = owners.get(spec.producer, admin)
        values = ListingValues(
            name=spec.name,
            category_id=categories[spec.category],
            unit=spec.unit,
            price_vnd=spec.price,
            stock=spec.stock,
            min_order=spec.min_order,
            net_weight_grams=spec.net_weight,
            description=spec.description,
            harvest_months=spec.months,
            status=spec.status,
            certification_ids=[certifications[c] for c in spec.certifications],
        )
        product = create_product(actor, producers[spec.producer], values)
        photos = [_photo(spec.category, 1000 + index * 10 + n, admin) for n in range(spec.photos)]
        add_product_photos(actor, product, photos)
        # No service features a product: the home page's picks are set by the site's team, so the
        # demo sets the flag the way they would.
        product.featured = spec.featured
        added += 1
    db.session.flush()
    return added


def seed_demo_lives(hosts: dict[str, Cooperative | Producer], admin: User, now: datetime | None = None) -> int:
    """Lives around today, added when nothing is live or coming, so the schedule never looks dead.

    The live on now and the past ones are scheduled as of the day before they start: the service
    rightly refuses a new live that starts in the past, and with its clock set back it checks
    everything else (links, times, featured products) as it would have then.
    """
    now = now or utcnow()
    if db.session.execute(sa.select(Livestream.id).where(coming_condition(now)).limit(1)).first() is not None:
        return 0
    today = to_local(now).date()
    products = {p.name: p.id for p in db.session.execute(sa.select(Product)).scalars()}
    for spec in LIVES:
        if spec.day is None:
            starts_at = (now - timedelta(minutes=20)).replace(second=0, microsecond=0)
        else:
            starts_at = local_to_utc(datetime.combine(today + timedelta(days=spec.day), spec.start))
        values = LivestreamValues(
            title=spec.title,
            url=spec.url,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=spec.minutes),
            description=spec.description,
            featured_ids=[products[name] for name in spec.products],
            pinned_id=products[spec.products[0]],
            replay_url=spec.replay,
        )
        create_livestream(admin, hosts[spec.host], values, now=min(now, starts_at - timedelta(days=1)))
    return len(LIVES)


def seed_demo(log=print) -> dict[str, int]:
    """Create whatever part of the demo data is missing. Flushes; the caller commits."""
    hue = _by(Province, slug="hue")
    accounts, added_accounts = seed_accounts()
    admin = accounts["admin@chophien.vn"]
    cooperatives, added_cooperatives = seed_cooperatives(accounts, hue)
    producers, added_producers = seed_producers(accounts, cooperatives, hue, admin)
    created = {
        "accounts": added_accounts,
        "cooperatives": added_cooperatives,
        "producers": added_producers,
        "products": seed_products(producers, accounts, admin),
        "livestreams": seed_demo_lives({**cooperatives, **producers}, admin),
        "delivery_plans": seed_delivery(cooperatives, producers, admin),
        "bank_accounts": seed_bank_accounts(cooperatives, producers, admin),
    }
    created["orders"] = seed_orders(producers)
    created["households"] = seed_households()
    log(
        "Demo data: {accounts} accounts, {cooperatives} cooperatives, {producers} producers, "
        "{products} products, {livestreams} livestreams, {delivery_plans} delivery plans, "
        "{bank_accounts} bank accounts, {orders} orders, {households} supported households added.".format(**created)
    )
    return created


def has_catalogue() -> bool:
    return db.session.execute(sa.select(Producer.id).limit(1)).first() is not None
