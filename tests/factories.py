"""factory_boy factories; call them inside an application context."""

from __future__ import annotations

from datetime import datetime, timedelta

import factory
from sqlalchemy import select

from app.accounts.models import Role, RoleGrant, User
from app.accounts.passwords import hash_password
from app.catalog.listing import refresh_search_fields
from app.catalog.models import Category, Producer, Product, ProductStatus, SellingUnit
from app.common.text import make_slug, vietnamese_sort_key
from app.common.timezone import utcnow
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.livestreams.models import FeaturedProduct, Livestream, Platform
from app.places.models import Commune, Province

PASSWORD = "mat-khau-dai-12345"


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.Sequence(lambda n: f"nguoi{n}@example.vn")
    phone = None
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or [Role.BUYER]:
            self.role_grants.append(RoleGrant(role=role))
        db.session.flush()


def hue() -> Province:
    return db.session.execute(select(Province).filter_by(slug="hue")).scalar_one()


def commune(slug: str = "phuong-huong-tra") -> Commune:
    return db.session.execute(select(Commune).filter_by(slug=slug)).scalar_one()


def category(slug: str = "cam") -> Category:
    return db.session.execute(select(Category).filter_by(slug=slug)).scalar_one()


class CooperativeFactory(BaseFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Hợp tác xã Hương Trà {n}")
    slug = factory.LazyAttribute(lambda o: make_slug(o.name))
    province = factory.LazyFunction(hue)
    commune = factory.LazyFunction(commune)


class ProducerFactory(BaseFactory):
    class Meta:
        model = Producer

    display_name = factory.Sequence(lambda n: f"Vườn nhà bác Lộc {n}")
    slug = factory.LazyAttribute(lambda o: make_slug(o.display_name))
    name_sort_key = factory.LazyAttribute(lambda o: vietnamese_sort_key(o.display_name))
    user = factory.SubFactory(UserFactory, roles=[Role.PRODUCER])
    province = factory.LazyFunction(hue)
    commune = factory.LazyFunction(commune)
    village = "Thôn Quang Lộc"


class ProductFactory(BaseFactory):
    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    category = factory.LazyFunction(category)
    name = factory.Sequence(lambda n: f"Cam Xã Đoài loại {n}")
    slug = factory.LazyAttribute(lambda o: make_slug(o.name))
    unit = SellingUnit.BOX
    net_weight_grams = 10_000
    price_vnd = 350_000
    stock = 20
    min_order = 1
    status = ProductStatus.ON_SALE

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        refresh_search_fields(self)
        db.session.flush()


def in_hours(hours: float) -> datetime:
    """A time `hours` from now (negative: ago), in UTC and on the minute, as forms give them."""
    return (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0)


class LivestreamFactory(BaseFactory):
    """A producer's upcoming Facebook live, tomorrow evening for an hour; pass cooperative= for a cooperative's."""

    class Meta:
        model = Livestream

    title = factory.Sequence(lambda n: f"Phiên chợ cam Xã Đoài số {n}")
    slug = factory.LazyAttribute(lambda o: make_slug(o.title))
    description = "Hái tại vườn, giao trong ngày ở Huế."
    producer = factory.LazyAttribute(lambda o: None if o.cooperative else ProducerFactory())
    cooperative = None
    platform = Platform.FACEBOOK
    url = "https://www.facebook.com/htxhuongtra/videos/123456789"
    starts_at = factory.LazyFunction(lambda: in_hours(24))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        """LivestreamFactory(products=[p1, p2]) features them in that order."""
        for position, product in enumerate(extracted or []):
            self.featured.append(FeaturedProduct(product=product, position=position))
        db.session.flush()


def delivery_plan(owner, *, pickup: bool = True, zones: dict | None = None, bands: list | None = None,
                  ships_nationwide: bool = False, free_over_vnd: int | None = None):
    """A delivery plan for a producer or cooperative: a free pickup point at the farm by default,
    zones as {commune: fee}, bands as [(up_to_grams, fee)]."""
    from app.cooperatives.models import Cooperative as CooperativeModel
    from app.orders.models import DeliveryPlan, LocalDeliveryZone, PickupPoint, WeightBand

    plan = DeliveryPlan(free_over_vnd=free_over_vnd, ships_nationwide=ships_nationwide or bool(bands))
    if isinstance(owner, CooperativeModel):
        plan.cooperative_id = owner.id
    else:
        plan.producer_id = owner.id
    if pickup:
        plan.pickup_points.append(PickupPoint(name="Tại vườn", address="Thôn Quang Lộc", hours="7:00–17:00"))
    for place, fee in (zones or {}).items():
        plan.zones.append(LocalDeliveryZone(commune_id=place.id, fee_vnd=fee))
    for up_to, fee in bands or []:
        plan.weight_bands.append(WeightBand(up_to_grams=up_to, fee_vnd=fee))
    db.session.add(plan)
    db.session.flush()
    return plan
