"""Why an upload is refused, in words for the person who sent it (see images.py for the checks)."""

from __future__ import annotations

from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.media.limits import MAX_ASPECT_RATIO, MIN_SHORT_SIDE


class RejectionReason(StrEnum):
    FORMAT = "format"
    CORRUPT = "corrupt"
    TOO_LARGE = "too_large"
    TOO_MANY_PIXELS = "too_many_pixels"
    TOO_SMALL = "too_small"
    SHAPE = "shape"
    TOO_MANY_FILES = "too_many_files"


class ImageRejected(ValueError):
    """An upload that cannot become a photo on the site; `message` says why, in the reader's language."""

    def __init__(self, reason: RejectionReason, message, filename: str | None = None):
        super().__init__(str(reason))
        self.reason = reason
        self.message = message
        self.filename = filename

    def __str__(self) -> str:
        return str(self.message)

    def for_file(self, filename: str | None) -> ImageRejected:
        """The same rejection, naming the file, for forms that take several photos at once."""
        if not filename:
            return self
        message = _l("Ảnh “%(filename)s”: %(reason)s", filename=filename, reason=self.message)
        return ImageRejected(self.reason, message, filename)


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def photo_limit_mb() -> str:
    """The largest photo accepted, in MB as a person reads it ("10", "12.5"): MAX_IMAGE_BYTES, the
    limit images.py checks and templates/macros/photos.html hands the photo-shrink script, so a
    form's hint never promises what the server refuses."""
    return _number(current_app.config["MAX_IMAGE_BYTES"] / 1024 / 1024)


def not_an_image() -> ImageRejected:
    return ImageRejected(RejectionReason.FORMAT, _l("Tệp này không phải ảnh JPEG, PNG hoặc WebP."))


def corrupt() -> ImageRejected:
    return ImageRejected(
        RejectionReason.CORRUPT,
        _l("Ảnh bị hỏng hoặc chưa được gửi lên trọn vẹn. Hãy mở thử ảnh trên máy rồi gửi lại."),
    )


def too_large(limit_bytes: int) -> ImageRejected:
    return ImageRejected(
        RejectionReason.TOO_LARGE,
        _l("Ảnh lớn hơn %(limit)s MB. Hãy chọn ảnh nhỏ hơn.", limit=_number(limit_bytes / 1024 / 1024)),
    )


def too_many_pixels(limit_pixels: int) -> ImageRejected:
    return ImageRejected(
        RejectionReason.TOO_MANY_PIXELS,
        _l(
            "Ảnh có quá nhiều điểm ảnh (tối đa %(limit)s triệu). Hãy thu nhỏ ảnh rồi gửi lại.",
            limit=_number(limit_pixels / 1_000_000),
        ),
    )


def too_small() -> ImageRejected:
    return ImageRejected(
        RejectionReason.TOO_SMALL,
        _l("Ảnh quá nhỏ: cạnh ngắn của ảnh cần ít nhất %(pixels)d điểm ảnh.", pixels=MIN_SHORT_SIDE),
    )


def bad_shape() -> ImageRejected:
    return ImageRejected(
        RejectionReason.SHAPE,
        _l(
            "Ảnh quá dài hoặc quá hẹp: cạnh dài không được gấp quá %(ratio)d lần cạnh ngắn.",
            ratio=MAX_ASPECT_RATIO,
        ),
    )


def too_many_files(limit: int) -> ImageRejected:
    return ImageRejected(
        RejectionReason.TOO_MANY_FILES, _l("Mỗi lần chỉ gửi được tối đa %(limit)d ảnh.", limit=limit)
    )
