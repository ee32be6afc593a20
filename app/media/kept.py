"""Photos that survive a form error.

A farmer who chose photos and then got a form error (a missing name, a bad price) must not choose
them again and wait for them to upload again over a slow network. So every photo of a failed
submission that passes the image checks is stored through the normal pipeline, attached to
nothing yet, and the form comes back with its thumbnail and a hidden signed reference to it. The
next submission sends the reference instead of the file; on a successful save the photos are
attached in the order shown (kept ones first, then newly chosen files).

A reference is signed with SECRET_KEY, names the person who uploaded the photo and expires after
KEPT_FOR. A forged or expired reference, another person's, or one whose photo was deleted
meanwhile is refused: the form says to choose that photo again and nothing is saved, so no photo
is lost without the person seeing it. Photos kept but never attached are deleted by
`flask forget-unused-photos` (media/cleanup.py) once they are older than a day, longer than
KEPT_FOR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from app.common.timezone import utcnow
from app.extensions import db
from app.media import rejections
from app.media.images import store_images
from app.media.models import StoredImage
from app.media.rejections import ImageRejected

KEPT_FOR = timedelta(hours=12)
_SALT = "media.kept-photo"

REFUSED_MESSAGE = _l(
    "Một ảnh đã chọn ở lần gửi trước không dùng được nữa (quá hạn hoặc không hợp lệ). "
    "Hãy chọn lại ảnh đó rồi gửi lại."
)


class _ClockSigner(TimestampSigner):
    """Signs with the site's clock (common.timezone), so tests can let a reference expire."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT, signer=_ClockSigner)


def reference_for(image: StoredImage, user_id: int) -> str:
    return _serializer().dumps([image.id, user_id])


def _image_id(reference: str, user_id: int) -> int | None:
    try:
        payload = _serializer().loads(reference, max_age=int(KEPT_FOR.total_seconds()))
    except BadSignature:  # forged, altered or expired (SignatureExpired is a BadSignature)
        return None
    if not (isinstance(payload, list) and len(payload) == 2 and all(type(v) is int for v in payload)):
        return None
    image_id, owner_id = payload
    return image_id if owner_id == user_id else None


@dataclass
class KeptPhoto:
    reference: str
    image: StoredImage


def kept_photos(references: list[str], user_id: int) -> tuple[list[KeptPhoto], int]:
    """The photos these references name, in order and once each, and how many were refused."""
    ids = [_image_id(reference, user_id) for reference in references]
    wanted = {i for i in ids if i is not None}
    found = {}
    if wanted:
        rows = db.session.scalars(sa.select(StoredImage).where(StoredImage.id.in_(wanted)))
        found = {image.id: image for image in rows}
    kept: list[KeptPhoto] = []
    refused = 0
    for reference, image_id in zip(references, ids, strict=True):
        image = found.get(image_id)
        if image is None:
            refused += 1
        elif all(k.image.id != image.id for k in kept):
            kept.append(KeptPhoto(reference, image))
    return kept, refused


class ChosenPhotos:
    """What one submission of a form's photo field holds: the photos kept from the previous try
    (less those the person ticked "Bỏ ảnh này") and the files newly chosen, in the order shown.

    The form sends `<field>-kept` (one signed reference per kept photo) and `<field>-drop` (the
    references of the photos to leave out) next to the file field itself.
    """

    def __init__(self, field, user_id: int, limit: int):
        self.field = field
        self.user_id = user_id
        self.limit = limit
        sent = request.form if request.method == "POST" else {}
        dropped = set(sent.getlist(self.drop_name)) if sent else set()
        references = [r for r in (sent.getlist(self.kept_name) if sent else []) if r not in dropped]
        self.kept, self.refused = kept_photos(references, user_id)
        data = field.data if isinstance(field.data, list) else [field.data]
        self.uploads = [f for f in data if f and getattr(f, "filename", "")]
        if limit == 1 and self.uploads:
            self.kept = []  # a field of one photo (a cover): a file chosen now replaces the kept one

    @property
    def kept_name(self) -> str:
        return f"{self.field.name}-kept"

    @property
    def drop_name(self) -> str:
        return f"{self.field.name}-drop"

    @property
    def usable(self) -> bool:
        """False when a reference sent back could not be used: saving would silently lose a photo."""
        return not self.refused

    def images(self) -> list[StoredImage]:
        """Every chosen photo in the order shown; the new files are checked and stored, all or none.

        Raises ImageRejected (naming the file at fault, or for too many photos).
        """
        if len(self.kept) + len(self.uploads) > self.limit:
            raise rejections.too_many_files(self.limit)
        images = [k.image for k in self.kept]
        for image in store_images(self.uploads, uploaded_by=self.user_id):
            if image not in images:
                images.append(image)
        return images

    def explain(self) -> None:
        """Put on the field why a reference was refused (before the form is shown again)."""
        if self.refused:
            self._add_error(str(REFUSED_MESSAGE))

    def keep(self) -> None:
        """After a failed save (already rolled back): store each new file that passes the image
        checks as a kept photo, and say on the field why any other was refused. Flushes; the
        caller commits, so the photos are there when the form comes back."""
        for upload in self.uploads:
            if len(self.kept) >= self.limit:
                self._add_error(str(rejections.too_many_files(self.limit)))
                break
            upload.seek(0)  # the failed save may have read it
            try:
                (image,) = store_images([upload], uploaded_by=self.user_id)
            except ImageRejected as rejected:
                self._add_error(str(rejected))
                continue
            if all(k.image.id != image.id for k in self.kept):
                self.kept.append(KeptPhoto(reference_for(image, self.user_id), image))
        self.uploads = []

    def _add_error(self, message: str) -> None:
        errors = list(self.field.errors)
        if message not in errors:
            self.field.errors = errors + [message]
