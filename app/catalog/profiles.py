"""Producer profiles: what one may hold, creating and changing them, their photos.

Functions here flush and audit but never commit; the route that calls them commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.catalog.access import Action, may_place_in_cooperative, require
from app.catalog.errors import InvalidListing, NotAllowed
from app.catalog.listing import (
    MAX_NAME_LENGTH,
    append_photos,
    certifications_by_id,
    refresh_search_fields,
    replace_certifications,
)
from app.catalog.models import Producer, ProducerPhoto, months_to_mask
from app.common import audit
from app.common.slugs import unique_slug
from app.common.text import vietnamese_sort_key
from app.extensions import db
from app.media.models import StoredImage
from app.places.services import commune_in_province


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
        certifications=certifications_by_id(values.certification_ids),
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
    changes.update(replace_certifications(producer, values.certification_ids))
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
    new = append_photos(producer.photos, ProducerPhoto, images, _l("Mỗi nhà vườn có tối đa 8 ảnh."))
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
