"""What a listing may hold, and writing listings and their photos.

Functions here flush and audit but never commit; the route that calls them commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.catalog import stock as stock_rules
from app.catalog.access import Action, require
from app.catalog.errors import InvalidListing, TooManyPhotos
from app.catalog.models import (
    Category,
    Certification,
    Producer,
    Product,
    ProductPhoto,
    ProductStatus,
    SellingUnit,
    months_to_mask,
)
from app.common import audit
from app.common.slugs import unique_slug
from app.common.text import fold, search_tokens, vietnamese_sort_key
from app.common.timezone import utcnow
from app.extensions import db
from app.media.models import StoredImage

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
    # The stock the form showed when it was opened: the seller's change is applied as a
    # difference from it (catalog.stock.count), so orders placed meanwhile are not undone.
    stock_seen: int | None = None



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


def certifications_by_id(ids: list[int]) -> list[Certification]:
    if not ids:
        return []
    return list(db.session.execute(sa.select(Certification).where(Certification.id.in_(ids))).scalars())


def replace_certifications(subject: Product | Producer, ids: list[int]) -> dict[str, list]:
    """Set subject's certifications to ids; the change, for the audit entry, if there is one."""
    certifications = certifications_by_id(ids)
    before = sorted(c.code for c in subject.certifications)
    if {c.id for c in certifications} == {c.id for c in subject.certifications}:
        return {}
    subject.certifications = certifications
    return {"certifications": [before, sorted(c.code for c in certifications)]}


def append_photos(photos: list, make_photo, images: list[StoredImage], limit_message) -> list[StoredImage]:
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
        certifications=certifications_by_id(values.certification_ids),
        created_by_id=actor.id,
        updated_by_id=actor.id,
        **fields,
    )
    db.session.add(product)
    product.producer = producer
    refresh_search_fields(product)
    db.session.flush()
    stock_rules.opening_count(product, actor.id)
    audit.record(actor, "product.created", product, {"name": product.name, "producer_id": producer.id})
    return product


def _changed_by(actor: User, product: Product) -> None:
    """The seller changed what buyers see: "Cập nhật" on the product page moves to now.

    This is the only place that moves a product's updated_at. Writes that are not the seller's
    (a sale taking stock, a search key refreshed) leave the date a buyer reads alone, and a
    value given on purpose (an import, a test) is kept.
    """
    product.updated_by_id = actor.id
    product.updated_at = utcnow()


def update_product(actor: User, product: Product, values: ListingValues) -> Product:
    """Change a listing. The slug stays, so links already shared keep working."""
    require(actor, Action.EDIT_PRODUCT, product.producer)
    fields = _validated(values)
    fields.pop("category")
    counted = fields.pop("stock")
    changes = audit.diff(product, fields)
    before = product.stock
    after = stock_rules.count(product, counted, values.stock_seen, actor.id)
    if after != before:
        changes["stock"] = [before, after]
    changes.update(replace_certifications(product, values.certification_ids))
    if changes:
        _changed_by(actor, product)
        refresh_search_fields(product)
        db.session.flush()
        audit.record(actor, "product.updated", product, changes)
    return product


def add_product_photos(actor: User, product: Product, images: list[StoredImage]) -> None:
    require(actor, Action.EDIT_PRODUCT, product.producer)
    new = append_photos(product.photos, ProductPhoto, images, _l("Mỗi sản phẩm có tối đa 8 ảnh."))
    if new:
        _changed_by(actor, product)
        db.session.flush()
        audit.record(actor, "product.photos_added", product, {"images": [i.id for i in new]})


def remove_product_photo(actor: User, product: Product, photo_id: int) -> None:
    require(actor, Action.EDIT_PRODUCT, product.producer)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise InvalidListing(_l("Không tìm thấy ảnh này."), "photos")
    product.photos.remove(photo)
    _changed_by(actor, product)
    db.session.flush()
    audit.record(actor, "product.photo_removed", product, {"image": photo.image_id})


def make_cover_photo(actor: User, product: Product, photo_id: int) -> None:
    """Move one photo to the front: the first photo is the one lists and previews show."""
    require(actor, Action.EDIT_PRODUCT, product.producer)
    ordered = sorted(product.photos, key=lambda p: (p.id != photo_id, p.position))
    for position, photo in enumerate(ordered):
        photo.position = position
    _changed_by(actor, product)
    db.session.flush()
