"""`flask forget-unused-photos`: photos nothing uses go after a day, with their files; used ones stay."""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from app.catalog.models import ProducerPhoto, ProductPhoto
from app.extensions import db
from app.media.images import store_image
from app.media.models import StoredImage
from tests.factories import LivestreamFactory, ProducerFactory, ProductFactory


def photo(shade: int) -> StoredImage:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (shade, 120, 40)).save(out, "JPEG")
    out.seek(0)
    return store_image(out)


def files_of(app, image_digest_widths) -> list[Path]:
    digest, widths = image_digest_widths
    root = Path(app.config["UPLOAD_DIR"])
    return [root / StoredImage(digest=digest).variant_path(w) for w in widths]


def test_unused_photos_older_than_a_day_are_forgotten_with_their_files(app, runner, clock):
    with app.app_context():
        product = ProductFactory()
        on_product, on_producer, as_cover, kept_never_saved, removed_later = (photo(s) for s in (10, 60, 110, 160, 210))
        db.session.add(ProductPhoto(product=product, image=on_product, position=0))
        db.session.add(ProducerPhoto(producer=ProducerFactory(), image=on_producer, position=0))
        LivestreamFactory(cover_image=as_cover)
        removed = ProductPhoto(product=product, image=removed_later, position=1)
        db.session.add(removed)
        db.session.flush()
        product.photos.remove(removed)
        db.session.commit()
        unused = {i.id: (i.digest, list(i.variant_widths)) for i in (kept_never_saved, removed_later)}
        used = {i.id: (i.digest, list(i.variant_widths)) for i in (on_product, on_producer, as_cover)}

    clock.advance(hours=23)
    assert "Đã xoá 0 ảnh" in runner.invoke(args=["forget-unused-photos"]).output  # too young: may still be saved

    clock.advance(hours=2)
    assert "Đã xoá 2 ảnh" in runner.invoke(args=["forget-unused-photos"]).output
    with app.app_context():
        left = set(db.session.scalars(sa.select(StoredImage.id)))
    assert left == set(used)
    for kept in used.values():
        assert all(path.is_file() for path in files_of(app, kept))
    for gone in unused.values():
        assert not any(path.exists() for path in files_of(app, gone))


def test_a_photo_forgotten_and_uploaded_again_is_stored_again(app, runner, clock):
    with app.app_context():
        digest = photo(90).digest
        db.session.commit()
    clock.advance(days=2)
    runner.invoke(args=["forget-unused-photos"])
    with app.app_context():
        again = photo(90)
        db.session.commit()
        assert again.digest == digest
        assert all(path.is_file() for path in files_of(app, (again.digest, again.variant_widths)))
