"""What a listing may hold, checked where every listing is written."""

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.catalog import errors, listing
from app.catalog.models import Product, ProductStatus, SellingUnit
from app.common.audit import AuditEntry
from app.extensions import db
from tests.factories import CooperativeFactory, ProducerFactory, UserFactory, category


def values(**overrides):
    data = dict(
        name="Cam Xã Đoài",
        category_id=category("cam").id,
        unit=SellingUnit.BOX,
        net_weight_grams=10_000,
        price_vnd=450_000,
        stock=10,
        min_order=1,
        status=ProductStatus.ON_SALE,
    )
    data.update(overrides)
    return listing.ListingValues(**data)


@pytest.fixture
def seller(app):
    with app.app_context():
        user = UserFactory(roles=[Role.PRODUCER])
        producer = ProducerFactory(user=user)
        db.session.commit()
        return user.id, producer.id


def _load(seller_ids):
    from app.accounts.models import User
    from app.catalog.models import Producer

    return db.session.get(User, seller_ids[0]), db.session.get(Producer, seller_ids[1])


@pytest.mark.parametrize(
    ("price", "ok"),
    [(0, False), (-1, False), (1, True), (450_000, True), (100_000_000, True), (100_000_001, False), (10**15, False)],
)
def test_price_must_be_a_sensible_whole_number_of_dong(app, seller, price, ok):
    with app.app_context():
        user, producer = _load(seller)
        if ok:
            assert listing.create_product(user, producer, values(price_vnd=price)).price_vnd == price
        else:
            with pytest.raises(errors.InvalidListing) as error:
                listing.create_product(user, producer, values(price_vnd=price))
            assert error.value.field == "price"
            db.session.rollback()
            assert db.session.execute(sa.select(sa.func.count(Product.id))).scalar_one() == 0


@pytest.mark.parametrize("name", ["", "   ", "—", "x" * 121])
def test_a_listing_needs_a_real_name(app, seller, name):
    with app.app_context():
        user, producer = _load(seller)
        with pytest.raises(errors.InvalidListing) as error:
            listing.create_product(user, producer, values(name=name))
        assert error.value.field == "name"


@pytest.mark.parametrize(("stock", "min_order", "field"), [(-1, 1, "stock"), (5, 0, "min_order")])
def test_stock_and_minimum_order(app, seller, stock, min_order, field):
    with app.app_context():
        user, producer = _load(seller)
        with pytest.raises(errors.InvalidListing) as error:
            listing.create_product(user, producer, values(stock=stock, min_order=min_order))
        assert error.value.field == field


def test_two_products_with_the_same_name_get_distinct_slugs(app, seller):
    with app.app_context():
        user, producer = _load(seller)
        first = listing.create_product(user, producer, values())
        second = listing.create_product(user, producer, values(name="cam xã đoài"))
        third = listing.create_product(user, producer, values(name="CAM XÃ ĐOÀI"))
        assert [first.slug, second.slug, third.slug] == ["cam-xa-doai", "cam-xa-doai-2", "cam-xa-doai-3"]


def test_renaming_keeps_the_slug_so_shared_links_still_work(app, seller):
    with app.app_context():
        user, producer = _load(seller)
        product = listing.create_product(user, producer, values())
        listing.update_product(user, product, values(name="Cam Xã Đoài loại 1"))
        assert product.slug == "cam-xa-doai"
        assert product.name == "Cam Xã Đoài loại 1"


def test_a_cooperative_manager_edits_a_members_listing_and_the_change_records_who(app):
    with app.app_context():
        manager = UserFactory(roles=[Role.COOPERATIVE_MANAGER])
        coop = CooperativeFactory(managers=[manager])
        farmer = UserFactory(roles=[Role.PRODUCER])
        producer = ProducerFactory(user=farmer, cooperative=coop)
        product = listing.create_product(farmer, producer, values())
        listing.update_product(manager, product, values(price_vnd=400_000))
        db.session.commit()
        assert product.created_by_id == farmer.id
        assert product.updated_by_id == manager.id
        entry = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "product.updated")
        ).scalar_one()
        assert entry.actor_id == manager.id
        assert entry.changes == {"price_vnd": [450_000, 400_000]}


def test_editing_another_producers_product_is_refused_and_changes_nothing(app):
    with app.app_context():
        owner = UserFactory(roles=[Role.PRODUCER])
        intruder = UserFactory(roles=[Role.PRODUCER])
        ProducerFactory(user=intruder)
        product = listing.create_product(owner, ProducerFactory(user=owner), values())
        db.session.commit()
        with pytest.raises(errors.NotAllowed):
            listing.update_product(intruder, product, values(price_vnd=1))
        db.session.rollback()
        assert db.session.get(Product, product.id).price_vnd == 450_000


def test_at_most_eight_photos(app, seller):
    from app.media.models import StoredImage

    with app.app_context():
        user, producer = _load(seller)
        product = listing.create_product(user, producer, values())
        images = [
            StoredImage(digest=f"{n:064x}", width=800, height=600, variant_widths=[320, 800]) for n in range(9)
        ]
        db.session.add_all(images)
        db.session.flush()
        listing.add_product_photos(user, product, images[:8])
        with pytest.raises(errors.TooManyPhotos):
            listing.add_product_photos(user, product, images[8:])
        assert len(product.photos) == 8
