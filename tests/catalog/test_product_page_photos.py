"""A product page's photos on a phone: the main photo at once and in a file that fits the screen,
the thumbnails lazily and small (what a phone downloads is measured by `make bench`,
tests/benchmarks/weight.py: "product page, first view")."""

from __future__ import annotations

import re

import pytest

from app.catalog.models import ProductPhoto
from app.extensions import db
from app.media.models import StoredImage
from tests.factories import ProductFactory


@pytest.fixture
def product_page(app, client) -> str:
    with app.app_context():
        product = ProductFactory(name="Bưởi Thanh Trà")
        for n in range(3):
            image = StoredImage(digest=f"{n + 1:064x}", width=1600, height=1200, variant_widths=[320, 480, 800, 1600])
            product.photos.append(ProductPhoto(image=image, position=n))
        db.session.commit()
        slug = product.slug
    response = client.get(f"/san-pham/{slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def gallery_images(html: str) -> tuple[str, list[str]]:
    gallery = re.search(r'<div class="gallery">(.*?)</div>\s*<div class="product-facts">', html, re.S).group(1)
    main, *thumbs = re.findall(r"<img [^>]+>", gallery)
    return main, thumbs


def attribute(img: str, name: str) -> str:
    return re.search(rf'\b{name}="([^"]*)"', img).group(1)


def chosen_width(img: str, viewport: int, ratio: float) -> int:
    """The variant a browser takes (HTML's srcset selection: the first size in `sizes` whose media
    condition holds, then the smallest candidate at least `ratio` device pixels per CSS pixel).

    Reads only what these pages write: min-width, max-width and min-resolution conditions, and
    lengths in px or calc(Nvw - Mpx)."""

    def holds(condition: str) -> bool:
        for feature, value in re.findall(r"\((min-width|max-width|min-resolution):\s*([\d.]+)", condition):
            value = float(value)
            if (feature == "min-width" and viewport < value) or (feature == "max-width" and viewport > value):
                return False
            if feature == "min-resolution" and ratio < value:
                return False
        return True

    def length(text: str) -> float:
        if match := re.fullmatch(r"([\d.]+)px", text):
            return float(match.group(1))
        vw, px = re.fullmatch(r"calc\(([\d.]+)vw - ([\d.]+)px\)", text).groups()
        return viewport * float(vw) / 100 - float(px)

    slot = None
    for entry in attribute(img, "sizes").split(", "):
        condition, size = re.fullmatch(r"(.*?)\s*(calc\([^)]*\)|[\d.]+px)", entry).groups()
        if holds(condition):
            slot = length(size)
            break
    widths = sorted(int(w) for w in re.findall(r" (\d+)w", attribute(img, "srcset")))
    return next((w for w in widths if w / slot >= ratio), widths[-1])


def test_the_main_photo_loads_at_once_and_first(product_page):
    main, thumbs = gallery_images(product_page)

    assert 'loading="lazy"' not in main  # it is on the first screen
    assert 'fetchpriority="high"' in main
    assert re.search(r'width="\d+" height="\d+"', main)  # its space is kept before it arrives
    assert len(thumbs) == 2
    assert all('loading="lazy"' in img and 'decoding="async"' in img for img in thumbs)


@pytest.mark.parametrize(
    "viewport, ratio, width",
    [
        (390, 2, 800),  # a cheap Android phone
        (390, 3, 800),  # an iPhone: not the 1600, two and a half times the bytes
        (412, 2.625, 800),  # a Pixel
        (430, 3, 800),  # the widest phones
        (360, 1.5, 800),  # an old phone: 540 device pixels, the next variant up
        (1280, 1, 800),  # a laptop: the photo beside the buy box, 636 px
        (1280, 2, 1600),  # a sharp laptop screen still gets the full photo
    ],
)
def test_the_main_photo_comes_in_a_file_that_fits_the_screen(product_page, viewport, ratio, width):
    main, _ = gallery_images(product_page)

    assert chosen_width(main, viewport, ratio) == width


@pytest.mark.parametrize("ratio", [1, 2, 3])
def test_thumbnails_come_small(product_page, ratio):
    _, thumbs = gallery_images(product_page)

    for img in thumbs:
        assert attribute(img, "sizes") == "96px"
        assert "1600w" not in attribute(img, "srcset")  # the full photo only behind the thumbnail's link
        assert chosen_width(img, 390, ratio) == 320
