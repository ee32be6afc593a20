"""The photo pipeline every upload goes through: product photos, producer photos, livestream covers.

An upload is read (at most MAX_IMAGE_BYTES + 1 bytes), checked from its header (format, pixel
count, size, shape) before any pixel is decoded, decoded, turned upright by its EXIF orientation,
flattened onto white, converted to sRGB, and kept only as resized JPEG variants with no metadata
at all: phone photos carry GPS coordinates, and a farmer's photo must not publish where they live.

Decisions, so the next person does not have to rediscover them:

- Accepted formats: JPEG, PNG and WebP, recognised by content (a GIF renamed .jpg is refused).
- Smallest photo: 200 px on the short side (MIN_SHORT_SIDE). Below that even the 320 px card in
  a listing is blurry; a phone photo is never that small, a thumbnail saved from a chat is.
- Shape: the long side may be at most 8 times the short side (MAX_ASPECT_RATIO). Beyond that the
  file is a banner or a scrolling screenshot, not a photo of produce, and its 1600 px variant
  would be absurdly tall.
- Variants: 320, 480, 800 and 1600 px wide, never upscaled; the original width is added when it is
  under 1600 and not already one of them. JPEG quality 82, progressive, optimised: visually
  clean for fruit and faces at about a third of the bytes of quality 95, which matters on a
  cheap phone over a slow network. The 320 and 480 card variants at quality 75: a phone shows
  them at 2-3 device pixels per CSS pixel, where the difference does not show and the bytes do.
  480 is there for the phone's two-column card (about 180 CSS px, 360-540 device px): without
  it the browser takes the 800, three times the bytes. Photos stored before it existed simply
  lack it (their own variant_widths say which exist); the same photo uploaded again gains it.
- Digest: SHA-256 of the pixels of the largest variant *before* JPEG encoding (upright, flattened,
  sRGB, at most 1600 px wide), prefixed by its size. Hashing pixels rather than encoded bytes
  means the digest is known before any JPEG is encoded, so a duplicate upload costs no encoding
  and no disk write; a change of JPEG settings does not change digests; and the same photo with
  different metadata (one copy sent through a chat app that dropped the EXIF) is stored once.
- JPEG files are decoded at a reduced scale (libjpeg "draft" mode) when the original is at least
  twice as wide as the largest variant: a 12-megapixel phone photo is decoded at 2000×1500
  instead of 4000×3000, a quarter of the memory and time.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import warnings
from collections.abc import Iterable
from typing import BinaryIO

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from app.media import rejections, storage
from app.media.limits import (
    CARD_JPEG_QUALITY,
    CARD_VARIANT_MAX_WIDTH,
    JPEG_QUALITY,
    MAX_ASPECT_RATIO,
    MIN_SHORT_SIDE,
    VARIANT_WIDTHS,
)
from app.media.models import StoredImage
from app.media.rejections import ImageRejected
from app.media.storage import Prepared

try:  # LittleCMS is optional in Pillow builds; without it embedded colour profiles are dropped.
    from PIL import ImageCms

    _SRGB = ImageCms.createProfile("sRGB")
except ImportError:  # pragma: no cover - depends on how Pillow was built
    ImageCms = None
    _SRGB = None

log = logging.getLogger(__name__)


ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Pillow names a multi-picture JPEG (some phone cameras write them) "MPO": it is a JPEG.
_ACCEPTED_OPENED = {"JPEG", "MPO", "PNG", "WEBP"}
_READ_CHUNK = 1024 * 1024
_BACKGROUND = (255, 255, 255)


def variant_widths_for(width: int) -> list[int]:
    """Widths to store for an upright photo `width` pixels wide: never wider than the photo."""
    widths = [w for w in VARIANT_WIDTHS if w <= width]
    if width < VARIANT_WIDTHS[-1] and width not in widths:
        widths.append(width)
    return widths


def store_image(upload: BinaryIO, uploaded_by=None) -> StoredImage:
    """Check, clean and store one uploaded photo; return its StoredImage (an existing one for a duplicate).

    `upload` is a werkzeug FileStorage or any binary file object; `uploaded_by` a User, a user id or
    None. Raises ImageRejected. Adds to the session and flushes; never commits.
    """
    return storage.save(_prepare(upload), _user_id(uploaded_by))


def store_images(uploads: Iterable[BinaryIO], uploaded_by=None, limit: int | None = None) -> list[StoredImage]:
    """Store several photos, all or nothing: every file is checked and decoded before any is stored.

    Empty file fields (a form submitted without choosing a file) are skipped. The same photo given
    twice comes back once, so the caller can attach the result without tripping a unique constraint.
    A rejection names the file at fault.
    """
    uploads = [u for u in uploads if not _is_empty_field(u)]
    if limit is not None and len(uploads) > limit:
        raise rejections.too_many_files(limit)
    prepared = []
    for upload in uploads:
        try:
            prepared.append(_prepare(upload))
        except ImageRejected as rejected:
            raise rejected.for_file(_filename(upload)) from rejected
    user_id = _user_id(uploaded_by)
    images: list[StoredImage] = []
    for item in prepared:
        image = storage.save(item, user_id)
        if image not in images:
            images.append(image)
    return images


# --- reading and checking -------------------------------------------------------------------


def _prepare(upload: BinaryIO) -> Prepared:
    config = current_app.config
    buffer = _read_limited(upload, config["MAX_IMAGE_BYTES"])
    image = _open(buffer, config["MAX_IMAGE_PIXELS"])
    master, width, height = _clean(image)
    del image, buffer  # the decoded original is no longer needed while the variants are encoded
    digest = _digest(master)
    widths = variant_widths_for(width)
    prepared = Prepared(digest, width, height, widths)
    existing = storage.find_by_digest(digest)
    if existing is None or not storage.files_present(existing) or existing.variant_widths != widths:
        prepared.variants = _encode_variants(master, width, height, widths)
    return prepared


def _read_limited(upload: BinaryIO, limit: int) -> io.BytesIO:
    """Read at most limit + 1 bytes, so a 30 MB upload is refused having read only a third of it."""
    buffer = io.BytesIO()
    remaining = limit + 1
    while remaining > 0:
        chunk = upload.read(min(_READ_CHUNK, remaining))
        if not chunk:
            break
        buffer.write(chunk)
        remaining -= len(chunk)
    if buffer.tell() > limit:
        raise rejections.too_large(limit)
    buffer.seek(0)
    return buffer


def _looks_like_accepted_format(head: bytes) -> bool:
    return (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


def _open(buffer: io.BytesIO, max_pixels: int) -> Image.Image:
    """Open from the header only and refuse what must not be decoded."""
    head = buffer.getvalue()[:16]
    if not _looks_like_accepted_format(head):
        raise rejections.not_an_image()
    try:
        # Pillow has its own decompression-bomb limit (about 89 megapixels warns, twice that
        # raises). Our configured limit is lower and checked just below; the warning is turned
        # into an error here so that a deployment configured above Pillow's limit still stops
        # at Pillow's, rather than decoding a gigantic image with only a line in the log.
        # (catch_warnings is process-wide: under threads a race can at worst let the warning
        # through as a warning, and the configured limit below still applies.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(buffer, formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise rejections.too_many_pixels(max_pixels) from None
    except UnidentifiedImageError:
        # The first bytes say JPEG, PNG or WebP but the header does not parse.
        raise rejections.corrupt() from None
    except Exception as error:  # any failure to parse an uploaded file is the file's fault
        log.info("image header refused: %r", error)
        raise rejections.corrupt() from None
    if image.format not in _ACCEPTED_OPENED:
        image.close()
        raise rejections.not_an_image()
    width, height = image.size
    # Pixel count, short side and shape do not change with the EXIF orientation, so they can all
    # be checked here, before a single pixel is decoded.
    try:
        if width * height > max_pixels:
            raise rejections.too_many_pixels(max_pixels)
        if min(width, height) < MIN_SHORT_SIDE:
            raise rejections.too_small()
        if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
            raise rejections.bad_shape()
    except ImageRejected:
        image.close()
        raise
    return image


def _clean(image: Image.Image) -> tuple[Image.Image, int, int]:
    """Decode, turn upright, resize to the largest variant, flatten and convert to sRGB.

    Returns the largest variant's pixels (RGB, no metadata) and the upright size of the original.
    """
    raw_width, raw_height = image.size
    icc_profile = image.info.get("icc_profile")
    if image.format in ("JPEG", "MPO"):
        _decode_smaller(image)
    try:
        image.load()
    except Exception as error:  # truncated, corrupt, or a decoder Pillow cannot handle
        log.info("image data refused: %r", error)
        raise rejections.corrupt() from None
    loaded_size = image.size

    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception as error:  # a malformed EXIF block: keep the photo as it was taken
        log.info("EXIF orientation ignored: %r", error)
    turned = image.size != loaded_size
    width, height = (raw_height, raw_width) if turned else (raw_width, raw_height)

    working = _normalise_mode(image)
    target_width = min(width, VARIANT_WIDTHS[-1])
    target = (target_width, _height_for(width, height, target_width))
    if working.size != target:
        working = working.resize(target, Image.Resampling.LANCZOS)
    working = _flatten(working)
    working = _to_srgb(working, icc_profile)
    working.info = {}  # comments, EXIF, XMP, ICC, DPI: nothing of the upload survives
    return working, width, height


def _decode_smaller(image: Image.Image) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the largest variant is that much smaller."""
    raw_width, raw_height = image.size
    try:
        orientation = image.getexif().get(0x0112, 1)
    except Exception:
        orientation = 1
    upright_width = raw_height if orientation in (5, 6, 7, 8) else raw_width
    target_width = min(upright_width, VARIANT_WIDTHS[-1])
    # Both sides scale alike; ask for at least the target width along the side that becomes the width.
    request = (
        max(1, -(-raw_width * target_width // upright_width)),
        max(1, -(-raw_height * target_width // upright_width)),
    )
    image.draft("RGB", request)


def _height_for(width: int, height: int, variant_width: int) -> int:
    # The same rounding as StoredImage.height_for, so templates' width/height attributes match.
    return max(1, round(height * variant_width / width))


def _normalise_mode(image: Image.Image) -> Image.Image:
    """A mode that resizes well: RGB, RGBA, L, LA or CMYK."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image
    if mode in ("P", "PA"):
        return image.convert("RGBA")
    if mode == "1":
        return image.convert("L")
    if mode.startswith("I;16") or mode == "I":
        # 16-bit greyscale PNG: scale 0..65535 down to 0..255 rather than clipping to white.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if mode in ("La", "RGBa"):
        return image.convert(mode.upper())
    return image.convert("RGB")


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent areas become white, as on the site's pages, never black."""
    if image.mode not in ("RGBA", "LA"):
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, _BACKGROUND)
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert from the embedded colour profile (Display P3, Adobe RGB, CMYK) to sRGB, else plain RGB.

    Browsers take an untagged JPEG as sRGB, so the converted variants need no profile of their own.
    """
    if icc_profile and ImageCms is not None and image.mode in ("RGB", "L", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(
                image, source, _SRGB, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
            )
            if converted is not None:
                return converted
        except Exception as error:  # a broken or mismatched profile: plain conversion below
            log.info("colour profile ignored: %r", error)
    return image if image.mode == "RGB" else image.convert("RGB")


def _digest(master: Image.Image) -> str:
    sha = hashlib.sha256(f"{master.mode} {master.width}x{master.height}\n".encode())
    sha.update(master.tobytes())
    return sha.hexdigest()


def _encode_variants(master: Image.Image, width: int, height: int, widths: list[int]) -> dict[int, bytes]:
    variants = {}
    for variant_width in widths:
        size = (variant_width, _height_for(width, height, variant_width))
        picture = master if master.size == size else master.resize(size, Image.Resampling.LANCZOS)
        picture.info = {}
        out = io.BytesIO()
        quality = CARD_JPEG_QUALITY if variant_width <= CARD_VARIANT_MAX_WIDTH else JPEG_QUALITY
        picture.save(out, "JPEG", quality=quality, progressive=True, optimize=True)
        variants[variant_width] = out.getvalue()
    return variants


# --- small helpers ------------------------------------------------------------------------


def _user_id(uploaded_by) -> int | None:
    if uploaded_by is None or isinstance(uploaded_by, int):
        return uploaded_by
    return uploaded_by.id


def _filename(upload) -> str | None:
    name = getattr(upload, "filename", None) or getattr(upload, "name", None)
    if not isinstance(name, str) or not name:
        return None
    return os.path.basename(name.replace("\\", "/"))[:120]


def _is_empty_field(upload) -> bool:
    """A file input left empty still sends a part, with no file name and no content."""
    return getattr(upload, "filename", None) == "" and not getattr(upload, "content_length", 0)
