"""Catalogue rules: what a listing may hold, and how lists are built (who may change one: access.py).

Functions here flush and audit but never commit; the route that calls them commits once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Role, User
from app.catalog.access import (
    Action,
    may_manage_producer,
    may_place_in_cooperative,
    require,
)
from app.catalog.errors import InvalidListing, NotAllowed, TooManyPhotos
from app.catalog.models import (
    PUBLIC_STATUSES,
    Category,
    Certification,
    Producer,
    ProducerPhoto,
    Product,
    ProductPhoto,
    ProductStatus,
    SellingUnit,
    available_condition,
    months_to_mask,
)
from app.catalog.search import match_products
from app.common import audit
from app.common.pagination import Page, paginate
from app.common.text import fold, make_slug, search_tokens, vietnamese_sort_key
from app.common.timezone import to_local, utcnow
from app.extensions import db
from app.media.models import StoredImage
from app.places.models import Commune, Province
from app.places.services import commune_in_province

# --- Rules for a listing -------------------------------------------------------------------

MAX_PRICE_VND = 100_000_000  # per selling unit; more is a typing mistake, not a price
MAX_STOCK = 1_000_000
MAX_PHOTOS = 8
MAX_NAME_LENGTH = 120


def check_price(price_vnd: int) -> None:
    if price_vnd <= 0:
        raise InvalidListing(_l("Giá phải lớn hơn 0 đồng."), "price")
    if price_vnd > MAX_PRICE_VND:
        raise InvalidListing(_l("Giá quá lớn: tối đa 100.000.000 ₫ cho một đơn vị bán."), "price")


def check_stock(stock: int, min_order: int) -> None:
    if stock < 0 or stock > MAX_STOCK:
        raise InvalidListing(_l("Số lượng còn phải từ 0 đến 1.000.000."), "stock")
    if min_order < 1 or min_order > MAX_STOCK:
        raise InvalidListing(_l("Đặt tối thiểu phải từ 1 trở lên."), "min_order")


def check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidListing(_l("Hãy nhập tên sản phẩm."), "name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidListing(_l("Tên sản phẩm tối đa 120 ký tự."), "name")
    if not search_tokens(name):
        raise InvalidListing(_l("Tên sản phẩm cần có chữ hoặc số."), "name")
    return name


# --- Writing listings ----------------------------------------------------------------------


@dataclass
class ListingValues:
    """A product's fields as a person entered them, already parsed into plain values."""

    name: str
    category_id: int
    unit: SellingUnit
    price_vnd: int
    stock: int = 0
    min_order: int = 1
    net_weight_grams: int | None = None
    description: str = ""
    harvest_months: list[int] = field(default_factory=list)
    status: ProductStatus = ProductStatus.DRAFT
    certification_ids: list[int] = field(default_factory=list)


def unique_slug(model, text: str, exclude_id: int | None = None) -> str:
    """A slug folded from text, with -2, -3... added when another row already uses it."""
    base = make_slug(text)
    taken_query = sa.select(model.slug).where(sa.or_(model.slug == base, model.slug.like(f"{base}-%")))
    if exclude_id is not None:
        taken_query = taken_query.where(model.id != exclude_id)
    taken = set(db.session.execute(taken_query).scalars())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def refresh_search_fields(product: Product) -> None:
    """Fold the text a buyer may search for into the product's indexed columns."""
    producer = product.producer
    parts = [producer.display_name, producer.village] if producer else []
    if producer and producer.commune:
        parts.append(producer.commune.name)
    if producer and producer.province:
        parts.append(producer.province.name)
    if producer and producer.cooperative:
        parts.append(producer.cooperative.name)
    if product.category:
        parts += [product.category.name_vi, product.category.name_en]
    parts += [c.name_vi for c in product.certifications]
    product.search_name = fold(product.name)
    product.search_context = fold(" ".join(p for p in parts if p))
    product.name_sort_key = vietnamese_sort_key(product.name)


def _validated(values: ListingValues) -> dict:
    name = check_name(values.name)
    check_price(values.price_vnd)
    check_stock(values.stock, values.min_order)
    if values.net_weight_grams is not None and not 0 < values.net_weight_grams <= 1_000_000:
        raise InvalidListing(_l("Khối lượng mỗi đơn vị phải từ 1 g đến 1 tấn."), "net_weight")
    category = db.session.get(Category, values.category_id)
    if category is None:
        raise InvalidListing(_l("Hãy chọn loại sản phẩm."), "category")
    return {
        "name": name,
        "category_id": category.id,
        "category": category,
        "unit": values.unit,
        "price_vnd": values.price_vnd,
        "stock": values.stock,
        "min_order": values.min_order,
        "net_weight_grams": values.net_weight_grams,
        "description": (values.description or "").strip(),
        "harvest_months": months_to_mask(values.harvest_months),
        "status": values.status,
    }


def _certifications(ids: list[int]) -> list[Certification]:
    if not ids:
        return []
    return list(db.session.execute(sa.select(Certification).where(Certification.id.in_(ids))).scalars())


def _replace_certifications(subject: Product | Producer, ids: list[int]) -> dict[str, list]:
    """Set subject's certifications to ids; the change, for the audit entry, if there is one."""
    certifications = _certifications(ids)
    before = sorted(c.code for c in subject.certifications)
    if {c.id for c in certifications} == {c.id for c in subject.certifications}:
        return {}
    subject.certifications = certifications
    return {"certifications": [before, sorted(c.code for c in certifications)]}


def _append_photos(photos: list, make_photo, images: list[StoredImage], limit_message) -> list[StoredImage]:
    """Append images not already among photos, in order after them; refuse going past MAX_PHOTOS."""
    existing = {photo.image_id for photo in photos}
    new = [image for image in images if image.id not in existing]
    if len(photos) + len(new) > MAX_PHOTOS:
        raise TooManyPhotos(limit_message)
    position = max((p.position for p in photos), default=-1) + 1
    for offset, image in enumerate(new):
        photos.append(make_photo(image=image, position=position + offset))
    return new


def create_product(actor: User, producer: Producer, values: ListingValues) -> Product:
    require(actor, Action.CREATE_PRODUCT, producer)
    fields = _validated(values)
    product = Product(
        slug=unique_slug(Product, fields["name"]),
        certifications=_certifications(values.certification_ids),
        created_by_id=actor.id,
        updated_by_id=actor.id,
        **fields,
    )
    db.session.add(product)
    product.producer = producer
    refresh_search_fields(product)
    db.session.flush()
    audit.record(actor, "product.created", product, {"name": product.name, "producer_id": producer.id})
    return product


def update_product(actor: User, product: Product, values: ListingValues) -> Product:
    """Change a listing. The slug stays, so links already shared keep working."""
    require(actor, Action.EDIT_PRODUCT, product.producer)
    fields = _validated(values)
    fields.pop("category")
    changes = audit.diff(product, fields)
    changes.update(_replace_certifications(product, values.certification_ids))
    if changes:
        product.updated_by_id = actor.id
        product.updated_at = utcnow()
        refresh_search_fields(product)
        db.session.flush()
        audit.record(actor, "product.updated", product, changes)
    return product


def add_product_photos(actor: User, product: Product, images: list[StoredImage]) -> None:
    require(actor, Action.EDIT_PRODUCT, product.producer)
    new = _append_photos(product.photos, ProductPhoto, images, _l("Mỗi sản phẩm có tối đa 8 ảnh."))
    if new:
        product.updated_by_id = actor.id
        db.session.flush()
        audit.record(actor, "product.photos_added", product, {"images": [i.id for i in new]})


def remove_product_photo(actor: User, product: Product, photo_id: int) -> None:
    require(actor, Action.EDIT_PRODUCT, product.producer)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise InvalidListing(_l("Không tìm thấy ảnh này."), "photos")
    product.photos.remove(photo)
    product.updated_by_id = actor.id
    db.session.flush()
    audit.record(actor, "product.photo_removed", product, {"image": photo.image_id})


def make_cover_photo(actor: User, product: Product, photo_id: int) -> None:
    """Move one photo to the front: the first photo is the one lists and previews show."""
    require(actor, Action.EDIT_PRODUCT, product.producer)
    ordered = sorted(product.photos, key=lambda p: (p.id != photo_id, p.position))
    for position, photo in enumerate(ordered):
        photo.position = position
    db.session.flush()


# --- Producers -----------------------------------------------------------------------------


@dataclass
class ProducerValues:
    display_name: str
    story: str = ""
    province_id: int | None = None
    commune_id: int | None = None
    village: str = ""
    street: str = ""
    old_district: str = ""
    crops: str = ""
    harvest_months: list[int] = field(default_factory=list)
    contact_phone: str | None = None
    contact_public: bool = False
    cooperative_id: int | None = None
    certification_ids: list[int] = field(default_factory=list)


def _producer_fields(values: ProducerValues) -> dict:
    name = " ".join((values.display_name or "").split())
    if not name:
        raise InvalidListing(_l("Hãy nhập tên nhà vườn."), "display_name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidListing(_l("Tên nhà vườn tối đa 120 ký tự."), "display_name")
    if not commune_in_province(values.commune_id, values.province_id):
        raise InvalidListing(_l("Xã/phường không thuộc tỉnh/thành đã chọn."), "commune")
    if values.contact_public and not values.contact_phone:
        raise InvalidListing(_l("Hãy nhập số điện thoại nếu muốn hiện số cho người mua."), "contact_phone")
    return {
        "display_name": name,
        "story": (values.story or "").strip(),
        "province_id": values.province_id,
        "commune_id": values.commune_id,
        "village": values.village.strip(),
        "street": values.street.strip(),
        "old_district": values.old_district.strip(),
        "crops": values.crops.strip(),
        "harvest_months": months_to_mask(values.harvest_months),
        "contact_phone": values.contact_phone or None,
        "contact_public": bool(values.contact_public and values.contact_phone),
    }


def create_producer(actor: User, values: ProducerValues, owner: User | None = None) -> Producer:
    """A new producer profile: a producer's own (owner is the actor), or a member's profile
    made by the cooperative's manager for a farmer who needs help with a phone."""
    if values.cooperative_id is not None and not may_place_in_cooperative(actor, values.cooperative_id):
        raise NotAllowed(_l("Chỉ người quản lý hợp tác xã mới thêm được thành viên."))
    own_profile = owner is not None and owner.id == actor.id and actor.has_role(Role.PRODUCER)
    if not (actor.has_role(Role.ADMIN) or own_profile or values.cooperative_id is not None):
        raise NotAllowed(_l("Bạn không có quyền tạo hồ sơ nhà vườn này."))
    fields = _producer_fields(values)
    producer = Producer(
        slug=unique_slug(Producer, fields["display_name"]),
        name_sort_key=vietnamese_sort_key(fields["display_name"]),
        user_id=owner.id if owner else None,
        cooperative_id=values.cooperative_id,
        certifications=_certifications(values.certification_ids),
        **fields,
    )
    db.session.add(producer)
    db.session.flush()
    audit.record(actor, "producer.created", producer, {"display_name": producer.display_name})
    return producer


def update_producer(actor: User, producer: Producer, values: ProducerValues) -> Producer:
    require(actor, Action.EDIT_PRODUCER, producer)
    fields = _producer_fields(values)
    if values.cooperative_id != producer.cooperative_id:
        # Joining or leaving a cooperative is the cooperative's decision as much as the
        # producer's: only its manager or an admin moves a producer in.
        if not may_place_in_cooperative(actor, values.cooperative_id):
            raise NotAllowed(_l("Chỉ người quản lý hợp tác xã mới thêm được thành viên."))
        fields["cooperative_id"] = values.cooperative_id
    fields["name_sort_key"] = vietnamese_sort_key(fields["display_name"])
    changes = audit.diff(producer, fields)
    changes.pop("name_sort_key", None)
    changes.update(_replace_certifications(producer, values.certification_ids))
    if changes:
        db.session.flush()
        db.session.expire(producer, ["commune", "province", "cooperative"])
        # The producer's name and village are part of every listing's search text.
        for product in producer.products:
            refresh_search_fields(product)
        db.session.flush()
        audit.record(actor, "producer.updated", producer, changes)
    return producer


def add_producer_photos(actor: User, producer: Producer, images: list[StoredImage]) -> None:
    require(actor, Action.EDIT_PRODUCER, producer)
    new = _append_photos(producer.photos, ProducerPhoto, images, _l("Mỗi nhà vườn có tối đa 8 ảnh."))
    if new:
        db.session.flush()
        audit.record(actor, "producer.photos_added", producer, {"images": [i.id for i in new]})


def remove_producer_photo(actor: User, producer: Producer, photo_id: int) -> None:
    require(actor, Action.EDIT_PRODUCER, producer)
    photo = next((p for p in producer.photos if p.id == photo_id), None)
    if photo is None:
        raise InvalidListing(_l("Không tìm thấy ảnh này."), "photos")
    producer.photos.remove(photo)
    db.session.flush()
    audit.record(actor, "producer.photo_removed", producer, {"image": photo.image_id})


# --- Reading the catalogue -----------------------------------------------------------------


class Sort(enum.Enum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NAME = "name"


@dataclass
class ProductFilters:
    """A product list as described by its URL, so a filtered list can be shared."""

    q: str = ""
    category: str | None = None  # category slug
    province: str | None = None  # province slug
    commune: str | None = None  # commune slug (within the province)
    certification: str | None = None  # certification code
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    sort: Sort | None = None
    producer_id: int | None = None
    cooperative_id: int | None = None

    @property
    def effective_sort(self) -> Sort:
        """Relevance while searching, newest otherwise, unless the visitor chose an order."""
        searching = bool(search_tokens(self.q))
        if self.sort is None or (self.sort == Sort.RELEVANCE and not searching):
            return Sort.RELEVANCE if searching else Sort.NEWEST
        return self.sort


def listing_options():
    """Everything a product card shows, loaded in a fixed number of queries.

    Producers and categories come in queries of their own rather than joined: joined, the
    database would join every matching product before sorting and cutting out one page.
    """
    return (
        selectinload(Product.producer).joinedload(Producer.commune),
        selectinload(Product.producer).joinedload(Producer.province),
        selectinload(Product.category),
        selectinload(Product.photos),
        selectinload(Product.certifications),
    )


def product_query(filters: ProductFilters) -> tuple[sa.Select, sa.Select]:
    """The public products matching filters: (ordered items query, unordered ids query)."""
    conditions = [Product.status.in_(PUBLIC_STATUSES)]
    match = match_products(filters.q, db.session.get_bind().dialect.name)
    search_condition = Product.id.in_(match.ids) if match is not None else None
    if search_condition is not None:
        conditions.append(search_condition)
    if filters.category:
        conditions.append(Product.category_id.in_(sa.select(Category.id).where(Category.slug == filters.category)))
    producer_conditions = []
    if filters.province:
        producer_conditions.append(
            Producer.province_id.in_(sa.select(Province.id).where(Province.slug == filters.province))
        )
        if filters.commune:
            producer_conditions.append(
                Producer.commune_id.in_(
                    sa.select(Commune.id).join(Province).where(
                        Commune.slug == filters.commune, Province.slug == filters.province
                    )
                )
            )
    if filters.cooperative_id:
        producer_conditions.append(Producer.cooperative_id == filters.cooperative_id)
    if producer_conditions:
        conditions.append(Product.producer_id.in_(sa.select(Producer.id).where(*producer_conditions)))
    if filters.producer_id:
        conditions.append(Product.producer_id == filters.producer_id)
    if filters.certification:
        conditions.append(Product.certifications.any(Certification.code == filters.certification))
    if filters.price_min is not None:
        conditions.append(Product.price_vnd >= filters.price_min)
    if filters.price_max is not None:
        conditions.append(Product.price_vnd <= filters.price_max)
    if filters.in_stock:
        conditions.append(available_condition())

    ids = sa.select(Product.id).where(*conditions)
    sort = filters.effective_sort
    if sort == Sort.RELEVANCE and match is not None:
        # The join both ranks and filters, so the IN (…) test on the same search is left out.
        items = (
            sa.select(Product)
            .where(*(c for c in conditions if c is not search_condition))
            .join(match.ranked, match.ranked.c.product_id == Product.id)
            .order_by(match.score.desc(), Product.created_at.desc(), Product.id.desc())
        )
        return items, ids
    order = {
        Sort.NEWEST: Product.created_at.desc(),
        Sort.PRICE_ASC: Product.price_vnd.asc(),
        Sort.PRICE_DESC: Product.price_vnd.desc(),
        Sort.NAME: Product.name_sort_key.asc(),
    }.get(sort, Product.created_at.desc())
    return sa.select(Product).where(*conditions).order_by(order, Product.id.desc()), ids


def list_products(filters: ProductFilters, page: int = 1, per_page: int = 24) -> Page:
    """One page of the public product list: a count query and one query per loaded relation."""
    items, ids = product_query(filters)
    return paginate(items.options(*listing_options()), ids, page, per_page)


def product_for_page(slug: str, viewer: User | None) -> Product | None:
    """A product by its slug, if this viewer may see it: drafts only to those who manage them."""
    product = db.session.execute(
        sa.select(Product)
        .where(Product.slug == slug)
        .options(
            joinedload(Product.producer).joinedload(Producer.commune),
            joinedload(Product.producer).joinedload(Producer.province),
            joinedload(Product.producer).joinedload(Producer.cooperative),
            joinedload(Product.category),
            selectinload(Product.photos),
            selectinload(Product.certifications),
        )
    ).scalar_one_or_none()
    if product is None:
        return None
    if product.status not in PUBLIC_STATUSES and not may_manage_producer(viewer, product.producer):
        return None
    return product


def producer_by_slug(slug: str) -> Producer | None:
    return db.session.execute(
        sa.select(Producer)
        .where(Producer.slug == slug)
        .options(
            joinedload(Producer.commune),
            joinedload(Producer.province),
            joinedload(Producer.cooperative),
            selectinload(Producer.photos),
            selectinload(Producer.certifications),
        )
    ).scalar_one_or_none()


def list_producers(page: int = 1, per_page: int = 24):
    query = (
        sa.select(Producer)
        .options(
            joinedload(Producer.commune),
            joinedload(Producer.province),
            joinedload(Producer.cooperative),
            selectinload(Producer.photos),
            selectinload(Producer.certifications),
        )
        .order_by(Producer.name_sort_key, Producer.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def current_month(today: date | None = None) -> int:
    return (today or to_local(utcnow()).date()).month


def home_page(today: date | None = None, limit: int = 8) -> dict:
    """The catalogue's part of the home page: what is in season now, featured listings, who grows them."""
    month_bit = 1 << (current_month(today) - 1)
    base = (
        sa.select(Product)
        .where(Product.status == ProductStatus.ON_SALE)
        .options(*listing_options())
        .limit(limit)
    )
    in_season = db.session.execute(
        base.where(Product.harvest_months.op("&")(month_bit) != 0).order_by(
            Product.created_at.desc(), Product.id.desc()
        )
    ).scalars().all()
    featured = db.session.execute(
        base.where(Product.featured.is_(True)).order_by(Product.updated_at.desc(), Product.id.desc())
    ).scalars().all()
    producers = db.session.execute(
        sa.select(Producer)
        .options(joinedload(Producer.commune), selectinload(Producer.photos))
        .order_by(Producer.created_at.desc(), Producer.id.desc())
        .limit(6)
    ).scalars().all()
    categories = db.session.execute(sa.select(Category).order_by(Category.position)).scalars().all()
    return {
        "in_season": in_season,
        "featured": featured,
        "producers": producers,
        "categories": categories,
        "month": current_month(today),
    }


def filter_choices() -> dict:
    """The options of the product list's filter form."""
    categories = db.session.execute(sa.select(Category).order_by(Category.position)).scalars().all()
    certifications = db.session.execute(sa.select(Certification).order_by(Certification.position)).scalars().all()
    provinces = sorted(
        db.session.execute(sa.select(Province)).scalars().all(), key=lambda p: vietnamese_sort_key(p.name)
    )
    communes = sorted(
        db.session.execute(sa.select(Commune).options(joinedload(Commune.province))).scalars().all(),
        key=lambda c: vietnamese_sort_key(c.name),
    )
    return {
        "categories": categories,
        "certifications": certifications,
        "provinces": provinces,
        "communes": communes,
    }
