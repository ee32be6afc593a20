"""The canvas and brushes the demo's produce photos are painted with (see photos.py)."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter

Color = tuple[int, int, int]


def mix(a: Color, b: Color, t: float) -> Color:
    t = min(1.0, max(0.0, t))
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def shade(color: Color, factor: float) -> Color:
    return tuple(max(0, min(255, round(c * factor))) for c in color)  # type: ignore[return-value]


def jitter(rng: random.Random, color: Color, amount: int) -> Color:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)  # type: ignore[return-value]


def gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    column.putdata([mix(top, bottom, y / 255) for y in range(256)])
    return column.resize(size, Image.Resampling.BILINEAR)


def ellipse_points(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0, n: int = 24):
    cos, sin = math.cos(angle), math.sin(angle)
    points = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((cx + x * cos - y * sin, cy + x * sin + y * cos))
    return points


class Canvas:
    """An RGB picture, a shadow mask blurred once at the end, and the scale of the drawing."""

    def __init__(self, width: int, height: int, rng: random.Random):
        self.width, self.height = width, height
        self.rng = rng
        self.s = min(width / 1600, height / 1200)  # every size below is for a 1600×1200 picture
        self.image = Image.new("RGB", (width, height))
        self.draw = ImageDraw.Draw(self.image, "RGBA")
        self.shadows = Image.new("L", (width, height), 0)
        self.shadow_draw = ImageDraw.Draw(self.shadows)

    # Shadows are painted on their own layer and laid onto the picture before the objects that
    # cast them, so call flush_shadows() after the background and the shadows, before the objects.
    def shadow(self, cx: float, cy: float, rx: float, ry: float, strength: int = 150) -> None:
        self.shadow_draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=strength)

    def flush_shadows(self, color: Color = (40, 26, 12)) -> None:
        mask = self.shadows.filter(ImageFilter.GaussianBlur(18 * self.s))
        self.image.paste(Image.new("RGB", self.image.size, color), mask=mask.point(lambda v: v * 0.6))
        self.shadows = Image.new("L", self.image.size, 0)
        self.shadow_draw = ImageDraw.Draw(self.shadows)

    def finish(self) -> Image.Image:
        picture = self.image.filter(ImageFilter.GaussianBlur(0.7 * self.s))  # soften aliased edges
        return vignette(picture)

    # --- backgrounds

    def wall_and_table(self, wall: Color, table: Color, horizon: float = 0.42) -> int:
        """A plain wall and a wooden table; returns the y of the table's far edge."""
        w, h = self.width, self.height
        y0 = round(h * horizon)
        self.image.paste(gradient((w, y0), shade(wall, 1.08), shade(wall, 0.86)), (0, 0))
        self.image.paste(gradient((w, h - y0), shade(table, 0.82), shade(table, 1.08)), (0, y0))
        rng = self.rng
        # wood grain: long, slightly wavy, darker lines getting wider apart towards the viewer
        y = y0 + 6 * self.s
        step = 10 * self.s
        while y < h:
            amplitude = rng.uniform(1, 4) * self.s
            phase = rng.uniform(0, 6.28)
            tone = shade(table, rng.uniform(0.72, 0.9))
            points = [(x, y + amplitude * math.sin(phase + x / (90 * self.s))) for x in range(0, w + 40, 40)]
            self.draw.line(points, fill=tone + (90,), width=max(1, round(2 * self.s)))
            step *= 1.09
            y += step
        self.draw.rectangle((0, y0 - 2 * self.s, w, y0 + 3 * self.s), fill=shade(table, 0.55) + (255,))
        return y0

    def bamboo_tray(self, cx: float, cy: float, rx: float, ry: float) -> None:
        """A nia: the round, flat woven bamboo tray produce is sold from at every market."""
        self.shadow(cx, cy + ry * 0.12, rx * 1.02, ry * 1.05, 170)
        self.flush_shadows()
        d = self.draw
        base = (196, 160, 102)
        d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=shade(base, 0.78))
        d.ellipse((cx - rx * 0.95, cy - ry * 0.93, cx + rx * 0.95, cy + ry * 0.93), fill=base)
        # the weave: a grid of short strokes, clipped to the tray by drawing on a masked layer
        weave = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        wd = ImageDraw.Draw(weave)
        cell = 14 * self.s
        row = 0
        y = cy - ry
        while y < cy + ry:
            x = cx - rx + (cell / 2 if row % 2 else 0)
            while x < cx + rx:
                tone = jitter(self.rng, (150, 116, 66), 12)
                wd.line((x, y, x + cell * 0.8, y), fill=tone + (120,), width=max(1, round(3 * self.s)))
                x += cell
            y += cell * ry / rx
            row += 1
        mask = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(mask).ellipse((cx - rx * 0.95, cy - ry * 0.93, cx + rx * 0.95, cy + ry * 0.93), fill=255)
        alpha = weave.getchannel("A")
        weave.putalpha(Image.composite(alpha, Image.new("L", alpha.size, 0), mask))
        self.image.paste(weave, (0, 0), weave)
        for k in (0.35, 0.62, 0.86):  # the rings that hold the weave flat
            d.ellipse((cx - rx * k, cy - ry * k, cx + rx * k, cy + ry * k), outline=(120, 88, 46, 90),
                      width=max(1, round(3 * self.s)))

    def leaf(self, cx: float, cy: float, length: float, angle: float, color: Color = (52, 110, 44)) -> None:
        d = self.draw
        points = ellipse_points(cx, cy, length / 2, length / 5.5, angle, 28)
        d.polygon(points, fill=jitter(self.rng, color, 10) + (255,))
        half = [(cx + math.cos(angle) * length / 2 * t, cy + math.sin(angle) * length / 2 * t) for t in (-1, 1)]
        d.line(half, fill=shade(color, 1.35) + (200,), width=max(1, round(2 * self.s)))

    # --- produce

    def sphere(self, cx: float, cy: float, rx: float, ry: float, color: Color, gloss: float = 0.5) -> None:
        """A round fruit lit from the upper left: rings from the dark rim to the bright side."""
        d = self.draw
        steps = 26
        lx, ly = cx - rx * 0.32, cy - ry * 0.36
        dark, light = shade(color, 0.66), mix(color, (255, 240, 190), 0.3)
        for i in range(steps):
            t = i / (steps - 1)
            k = 1 - 0.9 * t
            x = cx + (lx - cx) * t
            y = cy + (ly - cy) * t
            fill = mix(dark, light, t**0.5) if t > 0.04 else shade(color, 0.55)
            d.ellipse((x - rx * k, y - ry * k, x + rx * k, y + ry * k), fill=fill + (255,))
        if gloss:
            g = rx * 0.16
            d.ellipse((lx - g, ly - g * 0.7, lx + g, ly + g * 0.7), fill=(255, 255, 255, round(90 * gloss)))

    def blush(self, cx: float, cy: float, r: float, color: Color, alpha: int) -> None:
        """A soft patch of another colour on a fruit (the green of a ripe Huế orange)."""
        for i in range(8):
            k = 1 - i / 8
            self.draw.ellipse((cx - r * k, cy - r * k * 0.85, cx + r * k, cy + r * k * 0.85),
                              fill=color + (round(alpha / 8),))

    def peel_dots(self, cx: float, cy: float, rx: float, ry: float, color: Color, count: int) -> None:
        """Pores of a citrus peel: a little texture, fading towards the rim."""
        for _ in range(count):
            a = self.rng.uniform(0, 2 * math.pi)
            r = math.sqrt(self.rng.random()) * 0.86
            x, y = cx + rx * r * math.cos(a), cy + ry * r * math.sin(a)
            dot = max(1.0, 1.6 * self.s)
            self.draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=shade(color, 0.8) + (70,))

    def stem(self, x: float, y: float, size: float) -> None:
        self.draw.ellipse((x - size, y - size * 0.7, x + size, y + size * 0.7), fill=(92, 84, 40, 255))
        self.draw.ellipse((x - size * 0.45, y - size * 0.35, x + size * 0.45, y + size * 0.35), fill=(60, 52, 26, 255))

    def pile(self, count: int, cx: float, cy: float, spread_x: float, spread_y: float, radius: float,
             overlap: float = 0.25) -> list[tuple[float, float, float]]:
        """Positions for a heap of round things, far ones first so near ones are drawn over them."""
        rng = self.rng
        placed: list[tuple[float, float, float]] = []
        tries = 0
        while len(placed) < count and tries < count * 200:
            tries += 1
            a = rng.uniform(0, 2 * math.pi)
            r = math.sqrt(rng.random())
            x, y = cx + spread_x * r * math.cos(a), cy + spread_y * r * math.sin(a)
            size = radius * rng.uniform(0.88, 1.1)
            if all(math.hypot(x - px, (y - py) * 1.6) > (size + pr) * (1 - overlap) for px, py, pr in placed):
                placed.append((x, y, size))
        return sorted(placed, key=lambda p: p[1])


def vignette(picture: Image.Image) -> Image.Image:
    small = Image.new("L", (64, 48))
    small.putdata([
        round(255 * min(1.0, max(0.0, (math.hypot((x - 31.5) / 32, (y - 23.5) / 24) - 0.55) * 1.1)) ** 1.6)
        for y in range(48) for x in range(64)
    ])
    mask = small.resize(picture.size, Image.Resampling.BICUBIC).point(lambda v: v * 0.45)
    return Image.composite(Image.new("RGB", picture.size, (20, 14, 8)), picture, mask)
