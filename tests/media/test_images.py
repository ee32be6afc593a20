"""The photo pipeline: what is accepted, what is refused and why, and what ends up on disk.

Every picture is made here with Pillow; the repository holds no binary fixtures.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw, ImageFile
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.demo.photos import KINDS, draw_produce_photo
from app.extensions import db
from app.media.images import (
    store_image,
    store_images,
    variant_widths_for,
)
from app.media.models import StoredImage
from app.media.rejections import ImageRejected, RejectionReason
from tests.factories import UserFactory

# --- pictures ------------------------------------------------------------------------------


def picture(size=(1200, 900), color=(230, 130, 30), mode="RGB") -> Image.Image:
    """A plain background with a few shapes, so that resizing has something to do."""
    background = (245, 240, 228) if mode == "RGB" else (0, 0, 0, 0)
    image = Image.new(mode, size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.2, h * 0.2, w * 0.6, h * 0.7), fill=color)
    draw.rectangle((w * 0.65, h * 0.3, w * 0.9, h * 0.8), fill=(60, 120, 50))
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(size=(1200, 900), color=(230, 130, 30), **options) -> bytes:
    return encode(picture(size, color), "JPEG", quality=90, **options)


def upload(data: bytes, filename: str = "anh.jpg", content_type: str = "image/jpeg") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height; only its first rows of pixel data exist."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress((b"\x00" + b"\x80" * 3 * width) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) is rewritten to claim width × height."""
    data = bytearray(encode(picture((300, 300)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def with_app1(data: bytes, exif: Image.Exif) -> bytes:
    """The same JPEG bytes with an EXIF segment inserted: identical pixels, different metadata."""
    payload = exif.tobytes()
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0x0110] = "Galaxy A05"  # Model
    exif[0x8825] = {  # GPSInfo: thôn Quang Lộc, more or less
        1: "N",
        2: (16.0, 27.0, 50.5),
        3: "E",
        4: (107.0, 32.0, 10.25),
    }
    return exif


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredImage))


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def variant(app, image: StoredImage, width: int) -> Path:
    return Path(app.config["UPLOAD_DIR"]) / image.variant_path(width)


def assert_variants(app, image: StoredImage) -> None:
    for width in image.variant_widths:
        with Image.open(variant(app, image, width)) as stored:
            assert stored.format == "JPEG"
            assert stored.mode == "RGB"
            assert stored.size == (width, image.height_for(width))
            assert width <= image.width


# --- accepted ------------------------------------------------------------------------------


def test_jpeg_is_stored_as_four_variants(app):
    with app.app_context():
        image = store_image(upload(jpeg((2000, 1500))))
        assert (image.width, image.height) == (2000, 1500)
        assert image.variant_widths == [320, 480, 800, 1600]
        assert image.digest == image.digest.lower() and len(image.digest) == 64
        assert_variants(app, image)
        assert image.id is not None  # flushed
        assert image.variant_path(800) == f"{image.digest[:2]}/{image.digest}-800.jpg"
        with Image.open(variant(app, image, 1600)) as stored:
            assert stored.info.get("progressive") or stored.info.get("progression")
        assert len(stored_files(app)) == 4


def test_png_with_transparency_is_flattened_onto_white(app):
    data = encode(picture((1000, 700), color=(200, 30, 30, 255), mode="RGBA"), "PNG")
    with app.app_context():
        image = store_image(upload(data, "logo.png", "image/png"))
        assert image.variant_widths == [320, 480, 800, 1000]
        assert_variants(app, image)
        with Image.open(variant(app, image, 1000)) as stored:
            assert all(channel > 245 for channel in stored.getpixel((5, 5)))  # transparent: white
            red, green, blue = stored.getpixel((400, 315))
            assert red > 170 and green < 70 and blue < 70


def test_palette_png_and_webp_are_accepted(app):
    palette = picture((640, 480)).convert("P", palette=Image.Palette.ADAPTIVE)
    with app.app_context():
        image = store_image(upload(encode(palette, "PNG"), "bang-gia.png"))
        assert image.variant_widths == [320, 480, 640]
        assert_variants(app, image)

        image = store_image(upload(encode(picture((600, 400)), "WEBP", quality=80), "cam.webp"))
        assert (image.width, image.height) == (600, 400)
        assert image.variant_widths == [320, 480, 600]
        assert_variants(app, image)


@pytest.mark.parametrize(
    "width, expected",
    [
        (200, [200]),
        (320, [320]),
        (500, [320, 480, 500]),
        (800, [320, 480, 800]),
        (1200, [320, 480, 800, 1200]),
        (1600, [320, 480, 800, 1600]),
        (4000, [320, 480, 800, 1600]),
    ],
)
def test_variants_are_never_wider_than_the_photo(width, expected):
    assert variant_widths_for(width) == expected


def test_small_photo_is_not_upscaled(app):
    with app.app_context():
        image = store_image(upload(jpeg((260, 220))))
        assert image.variant_widths == [260]
        assert_variants(app, image)


def test_cmyk_jpeg_comes_out_rgb(app):
    data = encode(picture((900, 600)).convert("CMYK"), "JPEG")
    with app.app_context():
        image = store_image(upload(data))
        assert_variants(app, image)


# --- refused -------------------------------------------------------------------------------


def _other_format(fmt: str) -> bytes:
    return encode(picture((800, 600)), fmt)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Xin chao, day khong phai la anh.\n" * 50, id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(_other_format("GIF"), id="gif"),
        pytest.param(_other_format("BMP"), id="bmp"),
        pytest.param(_other_format("TIFF"), id="tiff"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", id="pdf"),
        pytest.param(
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">'
            b'<rect width="800" height="600" fill="orange"/></svg>',
            id="svg",
        ),
    ],
)
def test_files_that_are_not_jpeg_png_or_webp_are_refused_by_content(app, data):
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_image(upload(data, "cam-xa-doai.jpg", "image/jpeg"))
        assert caught.value.reason == RejectionReason.FORMAT
        assert str(caught.value.message) == "Tệp này không phải ảnh JPEG, PNG hoặc WebP."
        assert rows() == 0
    assert stored_files(app) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_file_is_refused_as_corrupt(app, fmt):
    noise = Image.frombytes("RGB", (800, 600), os.urandom(800 * 600 * 3))
    data = encode(noise, fmt)
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_image(upload(data[: len(data) // 2]))
        assert caught.value.reason == RejectionReason.CORRUPT
        assert "hỏng" in str(caught.value.message)
    assert stored_files(app) == []


def test_header_only_jpeg_is_refused_as_corrupt(app):
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_image(upload(b"\xff\xd8\xff\xe0\x00\x10JFIF"))
        assert caught.value.reason == RejectionReason.CORRUPT


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel data is decoded."""

    def refuse(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png_header(20000, 20000), id="png"),
        pytest.param(jpeg_claiming(20000, 20000), id="jpeg"),
        pytest.param(png_header(8000, 5001), id="png-just-over-40-megapixels"),
    ],
)
def test_too_many_pixels_is_refused_from_the_header(app, no_decoding, data):
    assert len(data) < 200_000  # the bomb is small; its pixels would be over a gigabyte
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_image(upload(data))
        assert caught.value.reason == RejectionReason.TOO_MANY_PIXELS
        assert "40 triệu" in str(caught.value.message)


@pytest.mark.parametrize("width, height", [(20000, 20000), (10000, 10000)])
def test_pillow_bomb_guard_holds_even_if_the_configured_limit_is_higher(app, no_decoding, width, height):
    # 20000² is past Pillow's error threshold, 10000² past its warning: both are refusals.
    app.config["MAX_IMAGE_PIXELS"] = 10**10
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_image(upload(png_header(width, height)))
        assert caught.value.reason == RejectionReason.TOO_MANY_PIXELS


class ThirtyMegabytes:
    """An upload stream of 30 MB that counts what was read from it."""

    def __init__(self, total: int = 30 * 1024 * 1024):
        self.total = total
        self.served = 0

    def read(self, size: int = -1) -> bytes:
        assert size is not None and size >= 0, "the whole upload was asked for at once"
        size = min(size, self.total - self.served)
        chunk = (b"\xff\xd8\xff\xe0" + bytes(size - 4)) if self.served == 0 else bytes(size)
        self.served += size
        return chunk


def test_file_over_the_byte_limit_is_refused_without_reading_it_all(app):
    stream = ThirtyMegabytes()
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_image(FileStorage(stream=stream, filename="video.jpg"))
        assert caught.value.reason == RejectionReason.TOO_LARGE
        assert "10 MB" in str(caught.value.message)
    assert stream.served <= app.config["MAX_IMAGE_BYTES"] + 1


def test_file_exactly_at_the_limit_is_read(app):
    data = jpeg((800, 600))
    app.config["MAX_IMAGE_BYTES"] = len(data)
    with app.app_context():
        assert store_image(upload(data)).width == 800
        app.config["MAX_IMAGE_BYTES"] = len(data) - 1
        with pytest.raises(ImageRejected) as caught:
            store_image(upload(jpeg((800, 600), color=(10, 10, 200))))
        assert caught.value.reason == RejectionReason.TOO_LARGE


@pytest.mark.parametrize(
    "size, reason",
    [
        ((300, 150), RejectionReason.TOO_SMALL),
        ((150, 150), RejectionReason.TOO_SMALL),
        ((2000, 220), RejectionReason.SHAPE),
        ((210, 1800), RejectionReason.SHAPE),
    ],
)
def test_tiny_and_strip_shaped_pictures_are_refused(app, size, reason):
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_image(upload(jpeg(size)))
        assert caught.value.reason == reason
        assert str(caught.value.message)


# --- cleaned -------------------------------------------------------------------------------


def test_gps_exif_xmp_comment_and_profile_are_stripped_from_every_variant(app):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="16,27.84N"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg(
        (2400, 1800),
        exif=gps_exif(),
        xmp=xmp,
        comment="Vườn nhà ông Lộc, thôn Quang Lộc".encode(),
        icc_profile=srgb,
    )
    with Image.open(io.BytesIO(data)) as original:  # the upload really carries all of it
        assert original.getexif().get_ifd(0x8825)[2] == (16.0, 27.0, 50.5)
        assert {"exif", "xmp", "comment", "icc_profile"} <= original.info.keys()

    with app.app_context():
        image = store_image(upload(data))
        assert image.variant_widths == [320, 480, 800, 1600]
        for width in image.variant_widths:
            path = variant(app, image, width)
            raw = path.read_bytes()
            assert b"Exif\x00\x00" not in raw
            assert b"ns.adobe.com" not in raw
            assert b"Quang" not in raw and b"Samsung" not in raw
            with Image.open(path) as stored:
                assert not stored.getexif()
                assert not stored.getexif().get_ifd(0x8825)
                assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & stored.info.keys()
                assert not stored.applist or all(marker != "APP1" for marker, _ in stored.applist)


def test_exif_orientation_is_applied(app):
    # 400×200, red on the left and blue on the right, taken with the phone turned: orientation 6
    # means "rotate 90° clockwise to view", so the left (red) half ends up on top.
    sideways = Image.new("RGB", (400, 200), (0, 0, 220))
    ImageDraw.Draw(sideways).rectangle((0, 0, 199, 199), fill=(220, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    with app.app_context():
        image = store_image(upload(encode(sideways, "JPEG", quality=95, exif=exif)))
        assert (image.width, image.height) == (200, 400)
        assert image.variant_widths == [200]
        with Image.open(variant(app, image, 200)) as stored:
            assert stored.size == (200, 400)
            top, bottom = stored.getpixel((100, 50)), stored.getpixel((100, 350))
            assert top[0] > 180 and top[2] < 60
            assert bottom[2] > 180 and bottom[0] < 60
            assert 0x0112 not in stored.getexif()


def test_large_sideways_jpeg_keeps_its_full_upright_size(app):
    # Decoded at reduced scale internally; the stored size is still the original's, upright.
    exif = Image.Exif()
    exif[0x0112] = 8
    with app.app_context():
        image = store_image(upload(jpeg((4000, 3000), exif=exif)))
        assert (image.width, image.height) == (3000, 4000)
        assert image.variant_widths == [320, 480, 800, 1600]
        assert_variants(app, image)


# --- stored once ---------------------------------------------------------------------------


def test_same_photo_uploaded_twice_is_stored_once(app):
    data = jpeg((1800, 1200))
    with app.app_context():
        first = store_image(upload(data, "IMG_0001.jpg"))
        db.session.commit()
        second = store_image(upload(data, "IMG_0001 (1).jpg"))
        assert second.id == first.id
        assert rows() == 1
    assert len(stored_files(app)) == 4


def test_same_pixels_with_different_metadata_are_the_same_photo(app):
    data = jpeg((1200, 900))
    with app.app_context():
        plain = store_image(upload(data))
        located = store_image(upload(with_app1(data, gps_exif())))
        assert located.id == plain.id
        assert rows() == 1


def test_different_photos_get_different_digests(app):
    with app.app_context():
        orange = store_image(upload(jpeg(color=(230, 130, 30))))
        green = store_image(upload(jpeg(color=(120, 170, 60))))
        assert orange.digest != green.digest
        assert rows() == 2


def test_store_image_flushes_but_never_commits(app):
    with app.app_context():
        user = UserFactory()
        db.session.commit()
        user_id = user.id
        image = store_image(upload(jpeg()), uploaded_by=user)
        assert image.uploaded_by_id == user_id
        db.session.rollback()
        assert rows() == 0
    # The files stay: content-addressed, they are reused by the next upload of the same photo.
    assert len(stored_files(app)) == 4
    with app.app_context():
        image = store_image(upload(jpeg()), uploaded_by=user_id)
        assert image.uploaded_by_id == user_id
        assert rows() == 1
    assert len(stored_files(app)) == 4


def test_a_missing_variant_file_is_written_again(app):
    data = jpeg((1000, 800))
    with app.app_context():
        image = store_image(upload(data))
        db.session.commit()
        lost = variant(app, image, 800)
        lost.unlink()
        again = store_image(upload(data))
        assert again.id == image.id
        assert lost.is_file()


def test_a_photo_stored_before_the_480_variant_keeps_working_and_gains_it_when_uploaded_again(app):
    data = jpeg((1600, 1200))
    with app.app_context():
        image = store_image(upload(data))
        variant(app, image, 480).unlink()
        image.variant_widths = [320, 800, 1600]  # as stored before 480 existed
        db.session.commit()
        assert image.best_width(480) == 800  # the next size up that exists, never a missing file

        again = store_image(upload(data))
        db.session.commit()
        assert again.id == image.id
        assert again.variant_widths == [320, 480, 800, 1600]
        assert variant(app, again, 480).is_file()


def test_concurrent_upload_of_the_same_photo_finds_the_other_row(app, monkeypatch):
    # Another request committed the same photo between our lookup and our insert.
    from app.media import storage

    data = jpeg((1000, 800))
    with app.app_context():
        first = store_image(upload(data))
        db.session.commit()
        first_id = first.id
        monkeypatch.setattr(storage, "find_by_digest", lambda digest: None)
        second = store_image(upload(data))
        assert second.id == first_id
        assert rows() == 1
        db.session.commit()


# --- several at once -----------------------------------------------------------------------


def test_store_images_is_all_or_nothing_and_names_the_bad_file(app):
    uploads = [
        upload(jpeg((1200, 900)), "vuon-cam.jpg"),
        upload(b"%PDF-1.4 not a photo", "hoa-don.jpg"),
    ]
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_images(uploads)
        assert caught.value.reason == RejectionReason.FORMAT
        assert caught.value.filename == "hoa-don.jpg"
        message = str(caught.value.message)
        assert "hoa-don.jpg" in message and "không phải ảnh" in message
        assert rows() == 0
    assert stored_files(app) == []


def test_store_images_skips_empty_fields_and_returns_each_photo_once(app):
    data = jpeg((1200, 900))
    uploads = [
        upload(data, "a.jpg"),
        FileStorage(stream=io.BytesIO(b""), filename="", content_type="application/octet-stream"),
        upload(jpeg((1200, 900), color=(120, 170, 60)), "b.jpg"),
        upload(data, "a-copy.jpg"),
    ]
    with app.app_context():
        images = store_images(uploads, uploaded_by=None, limit=4)
        assert len(images) == 2
        assert images[0].id != images[1].id
        assert rows() == 2


def test_store_images_refuses_more_than_the_limit(app):
    uploads = [upload(jpeg(color=(i * 40, 100, 50)), f"{i}.jpg") for i in range(3)]
    with app.app_context():
        with pytest.raises(ImageRejected) as caught:
            store_images(uploads, limit=2)
        assert caught.value.reason == RejectionReason.TOO_MANY_FILES
        assert "2" in str(caught.value.message)
        assert rows() == 0


# --- demo pictures -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [*KINDS, "khong-co-loai-nay"])
def test_demo_photos_are_deterministic_jpegs(kind):
    first = draw_produce_photo(kind, seed=7, width=480, height=360)
    assert first == draw_produce_photo(kind, seed=7, width=480, height=360)
    assert first != draw_produce_photo(kind, seed=8, width=480, height=360)
    with Image.open(io.BytesIO(first)) as image:
        assert image.format == "JPEG"
        assert image.size == (480, 360)


def test_demo_photo_goes_through_the_pipeline(app):
    data = draw_produce_photo("cam", seed=1)
    with app.app_context():
        image = store_image(io.BytesIO(data))
        assert (image.width, image.height) == (1600, 1200)
        assert image.variant_widths == [320, 480, 800, 1600]
        assert_variants(app, image)
