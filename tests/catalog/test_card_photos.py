"""Card photos a phone can afford: the first row at once, the rest lazily, each in a size that
fits the card (the page weight itself is measured by `make bench`, tests/benchmarks/weight.py)."""

from __future__ import annotations

import re

from app.catalog.models import ProductPhoto
from app.extensions import db
from app.media.models import StoredImage
from tests.factories import ProductFactory


def add_products_with_photos(app, count: int, widths=(320, 480, 800, 1600)) -> None:
    with app.app_context():
        for n in range(count):
            product = ProductFactory(name=f"Cam Xã Đoài {n}")
            image = StoredImage(digest=f"{product.id:064x}", width=1600, height=1200, variant_widths=list(widths))
            product.photos.append(ProductPhoto(image=image, position=0))
        db.session.commit()


def card_images(html: str) -> list[str]:
    return re.findall(r'<a class="cover"[^>]*>\s*(<img [^>]+>)', html)


def test_the_first_row_loads_at_once_and_the_rest_lazily(app, client):
    add_products_with_photos(app, 6)

    images = card_images(client.get("/san-pham").get_data(as_text=True))

    assert len(images) == 6
    assert all('loading="lazy"' not in img for img in images[:2])
    assert all('loading="lazy"' in img and 'decoding="async"' in img for img in images[2:])


def test_a_card_photo_says_its_size_and_offers_the_phone_card_variant(app, client):
    add_products_with_photos(app, 1)

    [img] = card_images(client.get("/san-pham").get_data(as_text=True))

    assert re.search(r'width="\d+" height="\d+"', img)  # the space is kept before the photo arrives
    assert " 480w" in img
    assert "1600w" not in img  # no card is ever that wide
    sizes = re.search(r'sizes="([^"]+)"', img).group(1)
    # Two columns on a phone: half the screen less the padding and the gap, never the whole screen.
    assert sizes.endswith("calc(50vw - 17px)")
    assert "(min-width: 640px)" in sizes and "(min-width: 960px)" in sizes


def test_photos_stored_before_the_480_variant_still_show(app, client):
    add_products_with_photos(app, 1, widths=(320, 800, 1600))

    [img] = card_images(client.get("/san-pham").get_data(as_text=True))

    assert "480w" not in img and "-480.jpg" not in img  # never a file that was not made
    assert " 320w" in img and " 800w" in img
