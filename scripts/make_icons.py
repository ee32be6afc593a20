"""Draw the home-screen icons of the officers' app (static/img/icon-192.png, icon-512.png).

The same drawing as static/img/favicon.svg (an orange fruit with a green leaf) on the site's
paper colour, with a margin so Android's round mask keeps it whole. Run once after changing it:
    python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "static" / "img"
PAPER, ORANGE, GREEN = (251, 250, 246), (242, 140, 40), (47, 125, 50)


def draw(size: int) -> Image.Image:
    scale = 4  # draw large, then shrink: smooth edges without an antialiasing library
    big = size * scale
    image = Image.new("RGB", (big, big), PAPER)
    pen = ImageDraw.Draw(image)
    unit = big * 0.7 / 32  # the favicon's 32-unit box, in the middle 70 % of the icon
    left = top = big * 0.15

    def point(x: float, y: float) -> tuple[float, float]:
        return left + x * unit, top + y * unit

    pen.ellipse([point(4, 6), point(28, 30)], fill=ORANGE)
    pen.polygon([point(16, 6), point(18, 3), point(21, 2), point(24, 3), point(21, 6), point(18, 6.5)], fill=GREEN)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for size in (192, 512):
        draw(size).save(STATIC / f"icon-{size}.png", optimize=True)
