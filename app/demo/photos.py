"""Simple still lifes drawn with Pillow, for the demo catalogue: no photo files, no fonts.

`draw_produce_photo("cam", seed=3)` returns JPEG bytes of oranges on a bamboo tray; the same kind
and seed always give the same picture. The demo-data command passes the bytes through
`store_image`, exactly as an upload, so the demo exercises the real pipeline.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

from app.demo.canvas import Canvas, Color, ellipse_points, gradient, jitter, mix, shade

KINDS = ("cam", "quyt", "buoi", "thanh-tra", "oi", "com", "chuoi", "gao", "mat-ong", "farm")


def draw_produce_photo(kind: str, seed: int, width: int = 1600, height: int = 1200) -> bytes:
    """A JPEG still life of `kind` (see KINDS; anything else gets a basket of mixed produce)."""
    rng = random.Random(f"{kind}:{seed}")  # str seeds hash with SHA-512: stable across runs
    painter = _PAINTERS.get(kind, _paint_mixed)
    canvas = Canvas(width, height, rng)
    painter(canvas)
    image = canvas.finish()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def _citrus_on_tray(c: Canvas, count: int, radius: float, colors: Callable[[random.Random], Color],
                    flatten: float = 1.0, leaves: float = 0.3, green: float = 0.0) -> None:
    w, h, s, rng = c.width, c.height, c.s, c.rng
    c.wall_and_table(jitter(rng, (214, 200, 178), 8), jitter(rng, (150, 98, 58), 10))
    cx, cy = w / 2 + rng.uniform(-40, 40) * s, h * 0.68
    c.bamboo_tray(cx, cy, 620 * s, 300 * s)
    fruits = c.pile(count, cx, cy - 30 * s, 430 * s, 170 * s, radius * s)
    for x, y, r in fruits:
        c.shadow(x + r * 0.15, y + r * 0.8 * flatten, r * 0.95, r * 0.35, 200)
    c.flush_shadows()
    for x, y, r in fruits:
        color = colors(rng)
        ry = r * flatten
        c.sphere(x, y, r, ry, color)
        if green and rng.random() < 0.85:
            side = rng.choice((-1, 1))
            c.blush(x + side * r * 0.3, y + ry * 0.2, r * rng.uniform(0.45, 0.65), (112, 150, 40),
                    round(255 * green * rng.uniform(0.5, 1)))
        c.peel_dots(x, y, r, ry, color, int(r / s * 0.6))
        sx, sy = x + rng.uniform(-0.25, 0.25) * r, y - ry * rng.uniform(0.45, 0.7)
        c.stem(sx, sy, 6 * s)
        if rng.random() < leaves:
            angle = rng.choice((rng.uniform(-2.9, -2.1), rng.uniform(-1.0, -0.25)))
            length = r * rng.uniform(1.1, 1.5)
            c.leaf(sx + math.cos(angle) * length / 2, sy + math.sin(angle) * length / 2, length, angle)


def _paint_cam(c: Canvas) -> None:
    # Huế's oranges (cam sành, cam Xã Đoài) ripen green-orange rather than all orange.
    _citrus_on_tray(c, 11, 128, lambda rng: jitter(rng, (240, 140, 30), 10), green=0.7)


def _paint_quyt(c: Canvas) -> None:
    # Mandarins are sold with a few leaves still on: it shows they were picked this week.
    _citrus_on_tray(c, 16, 96, lambda rng: jitter(rng, (232, 100, 14), 12), flatten=0.86, leaves=0.6)


def _pomelos(c: Canvas, base: Color, count: int, radius: float) -> None:
    w, h, s, rng = c.width, c.height, c.s, c.rng
    c.wall_and_table(jitter(rng, (206, 210, 196), 8), jitter(rng, (128, 84, 52), 10), horizon=0.38)
    fruits = c.pile(count, w / 2, h * 0.64, 470 * s, 120 * s, radius * s, overlap=0.18)
    for x, y, r in fruits:
        c.shadow(x + r * 0.18, y + r * 0.86, r * 0.95, r * 0.28, 210)
    c.flush_shadows()
    for x, y, r in fruits:
        color = jitter(rng, base, 12)
        # a pomelo is pear-shaped: a smaller neck sits on top of the round body
        c.sphere(x, y - r * 0.55, r * 0.55, r * 0.5, color, gloss=0)
        c.sphere(x, y, r, r * 0.92, color, gloss=0.35)
        c.peel_dots(x, y, r, r * 0.92, color, int(r / s))
        c.stem(x + rng.uniform(-6, 6) * s, y - r * 1.02, 8 * s)


def _paint_buoi(c: Canvas) -> None:
    _pomelos(c, (158, 182, 58), 4, 235)


def _paint_thanh_tra(c: Canvas) -> None:
    _pomelos(c, (212, 212, 128), 5, 205)


def _paint_oi(c: Canvas) -> None:
    w, h, s, rng = c.width, c.height, c.s, c.rng
    c.wall_and_table(jitter(rng, (226, 222, 206), 6), jitter(rng, (162, 112, 70), 10))
    cx, cy = w / 2, h * 0.68
    c.bamboo_tray(cx, cy, 600 * s, 290 * s)
    fruits = c.pile(8, cx - 60 * s, cy - 30 * s, 380 * s, 150 * s, 132 * s)
    for x, y, r in fruits:
        c.shadow(x + r * 0.15, y + r * 0.8, r * 0.95, r * 0.35, 200)
    half_x, half_y, half_r = cx + 390 * s, cy + 110 * s, 120 * s
    c.shadow(half_x, half_y + half_r * 0.5, half_r * 1.05, half_r * 0.45, 200)
    c.flush_shadows()
    for x, y, r in fruits:
        color = mix((128, 174, 66), (184, 204, 96), rng.random() * 0.6)
        c.sphere(x, y - r * 0.35, r * 0.72, r * 0.7, color, gloss=0)
        c.sphere(x, y, r, r * 0.9, color, gloss=0.3)
        c.peel_dots(x, y, r, r * 0.9, color, int(r / s * 0.4))
        crown = 9 * s
        c.draw.regular_polygon((x + r * 0.1, y - r * 0.95, crown), 5, rotation=rng.uniform(0, 72),
                               fill=(70, 62, 34, 255))
    # one guava cut in half: pale flesh, a ring of skin, a pink-cream heart of seeds
    d = c.draw
    d.ellipse((half_x - half_r, half_y - half_r * 0.62, half_x + half_r, half_y + half_r * 0.62),
              fill=(120, 166, 60, 255))
    k = 0.9
    d.ellipse((half_x - half_r * k, half_y - half_r * 0.62 * k, half_x + half_r * k, half_y + half_r * 0.62 * k),
              fill=(246, 242, 222, 255))
    k = 0.48
    d.ellipse((half_x - half_r * k, half_y - half_r * 0.62 * k, half_x + half_r * k, half_y + half_r * 0.62 * k),
              fill=(246, 222, 196, 255))
    for _ in range(40):
        a = rng.uniform(0, 2 * math.pi)
        r = math.sqrt(rng.random()) * half_r * 0.42
        x, y = half_x + r * math.cos(a), half_y + r * 0.62 * math.sin(a)
        d.ellipse((x - 3 * s, y - 2 * s, x + 3 * s, y + 2 * s), fill=(214, 190, 140, 255))


def _paint_com(c: Canvas) -> None:
    """Cốm: young green rice flakes, sold heaped on a lotus leaf."""
    w, h, s, rng = c.width, c.height, c.s, c.rng
    c.wall_and_table(jitter(rng, (222, 214, 196), 6), jitter(rng, (120, 78, 48), 10), horizon=0.36)
    cx, cy = w / 2, h * 0.66
    rx, ry = 560 * s, 280 * s
    c.shadow(cx, cy + ry * 0.1, rx, ry, 190)
    c.flush_shadows()
    d = c.draw
    leaf = (58, 112, 56)
    # the leaf's wavy edge
    edge = []
    for i in range(90):
        t = 2 * math.pi * i / 90
        wobble = 1 + 0.035 * math.sin(t * 9 + rng.uniform(0, 0.4))
        edge.append((cx + rx * wobble * math.cos(t), cy + ry * wobble * math.sin(t)))
    d.polygon(edge, fill=shade(leaf, 0.8) + (255,))
    d.ellipse((cx - rx * 0.92, cy - ry * 0.9, cx + rx * 0.92, cy + ry * 0.9), fill=leaf + (255,))
    d.ellipse((cx - rx * 0.6, cy - ry * 0.55, cx + rx * 0.6, cy + ry * 0.55), fill=shade(leaf, 1.12) + (160,))
    for i in range(22):  # veins from the centre
        t = 2 * math.pi * i / 22
        d.line((cx, cy, cx + rx * 0.94 * math.cos(t), cy + ry * 0.92 * math.sin(t)),
               fill=shade(leaf, 1.3) + (110,), width=max(1, round(3 * s)))
    # the heap: many small flakes, the mound higher in the middle, far ones first
    mound_w, mound_h = rx * 0.62, 260 * s
    base_y = cy + ry * 0.18
    flakes = []
    for _ in range(3600):
        u = rng.uniform(-1, 1)
        depth = rng.uniform(-1, 1)
        top = math.sqrt(max(0.0, 1 - u * u)) * (1 - 0.25 * abs(depth))
        y = base_y + depth * ry * 0.3 - rng.random() ** 0.7 * top * mound_h
        flakes.append((y + (depth + 1) * ry * 0.3, cx + u * mound_w, y, rng.random()))
    flakes.sort()
    for _, x, y, light in flakes:
        size = rng.uniform(6, 12) * s
        color = mix((104, 150, 52), (176, 206, 104), light)
        points = ellipse_points(x, y, size, size * rng.uniform(0.35, 0.6), rng.uniform(0, math.pi), 5)
        d.polygon(points, fill=color + (255,))


def _banana(c: Canvas, start: tuple[float, float], end: tuple[float, float], bend: float, thickness: float,
            color: Color) -> None:
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    nx, ny = -(y1 - y0), x1 - x0
    length = math.hypot(nx, ny) or 1
    cx, cy = mx + nx / length * bend, my + ny / length * bend
    spine = []
    for i in range(41):
        t = i / 40
        spine.append((
            (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1,
            (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1,
            math.sin(math.pi * (0.08 + 0.88 * t)) ** 0.6 * thickness,
        ))
    left, right = [], []
    for i, (x, y, r) in enumerate(spine):
        px, py, _ = spine[max(0, i - 1)]
        qx, qy, _ = spine[min(len(spine) - 1, i + 1)]
        dx, dy = qx - px, qy - py
        norm = math.hypot(dx, dy) or 1
        ox, oy = -dy / norm * r, dx / norm * r
        left.append((x + ox, y + oy))
        right.append((x - ox, y - oy))
    d = c.draw
    d.polygon(left + right[::-1], fill=shade(color, 0.72) + (255,))
    inner = [((lx + x) / 2, (ly + y) / 2) for (lx, ly), (x, y, _) in zip(left, spine)]
    d.polygon(inner + [(x, y) for x, y, _ in spine[::-1]], fill=mix(color, (255, 246, 200), 0.25) + (255,))
    d.polygon([(x, y) for x, y, _ in spine] + right[::-1], fill=color + (255,))
    ex, ey, _ = spine[-1]
    d.ellipse((ex - 7 * c.s, ey - 7 * c.s, ex + 7 * c.s, ey + 7 * c.s), fill=(70, 54, 30, 255))


def _paint_chuoi(c: Canvas) -> None:
    w, h, s, rng = c.width, c.height, c.s, c.rng
    c.wall_and_table(jitter(rng, (200, 214, 206), 8), jitter(rng, (146, 96, 56), 10))
    crown_x, crown_y = w * 0.3 + rng.uniform(-30, 30) * s, h * 0.55
    c.leaf(w * 0.52, h * 0.7, 1100 * s, -0.06, (46, 104, 48))  # a piece of banana leaf under the hand
    c.shadow(w * 0.5, h * 0.72, 480 * s, 110 * s, 180)
    c.flush_shadows()
    ripe = mix((236, 204, 50), (160, 190, 60), rng.uniform(0, 0.35))
    count = 6
    for i in range(count):
        spread = (i - (count - 1) / 2) / count
        end = (crown_x + (620 + 40 * abs(spread)) * s, crown_y + (spread * 420 + 130) * s)
        _banana(c, (crown_x, crown_y + spread * 60 * s), end, -110 * s, 62 * s, jitter(rng, ripe, 10))
    c.draw.rounded_rectangle((crown_x - 70 * s, crown_y - 40 * s, crown_x + 30 * s, crown_y + 40 * s),
                             radius=20 * s, fill=(96, 110, 50, 255))


def _paint_gao(c: Canvas) -> None:
    w, h, s, rng = c.width, c.height, c.s, c.rng
    c.wall_and_table(jitter(rng, (214, 206, 190), 6), jitter(rng, (116, 76, 46), 10), horizon=0.4)
    cx, cy = w / 2, h * 0.6
    rx, ry = 420 * s, 130 * s
    c.shadow(cx, cy + 300 * s, rx * 1.05, ry * 0.7, 210)
    c.flush_shadows()
    d = c.draw
    bowl = (92, 64, 40)
    # a wooden bowl: its body below the rim, drawn as a half ellipse
    d.chord((cx - rx, cy - 330 * s, cx + rx, cy + 330 * s), 0, 180, fill=bowl + (255,))
    d.chord((cx - rx * 0.9, cy - 280 * s, cx + rx * 0.5, cy + 290 * s), 20, 120, fill=shade(bowl, 1.25) + (120,))
    d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=shade(bowl, 0.7) + (255,))
    grains = []
    for _ in range(4200):
        u = rng.uniform(-1, 1)
        v = rng.uniform(-1, 1)
        if u * u + v * v > 0.92:
            continue
        lift = (1 - (u * u + v * v)) * 90 * s
        grains.append((v, cx + u * rx * 0.94, cy + v * ry * 0.9 - lift * rng.random() ** 0.5))
    for _ in range(120):  # a few spilled on the table
        a, r = rng.uniform(0, math.pi), rng.uniform(1.05, 1.5)
        grains.append((2.0, cx + math.cos(a) * r * rx, cy + 330 * s + math.sin(a) * r * 60 * s))
    grains.sort()
    for _, x, y in grains:
        tone = jitter(rng, (240, 234, 216), 10)
        points = ellipse_points(x, y, 7 * s, 3 * s, rng.uniform(0, math.pi), 8)
        d.polygon(points, fill=tone + (255,))
        d.line(points[:2], fill=(200, 190, 168, 255))


def _paint_mat_ong(c: Canvas) -> None:
    w, h, s, rng = c.width, c.height, c.s, c.rng
    c.wall_and_table(jitter(rng, (232, 220, 196), 6), jitter(rng, (132, 86, 50), 10), horizon=0.45)
    jar_x, base_y = w * 0.38, h * 0.84
    jw, jh = 330 * s, 520 * s
    comb_x, comb_y = w * 0.72, h * 0.78
    c.shadow(jar_x + 30 * s, base_y, jw * 0.6, 40 * s, 200)
    c.shadow(comb_x, comb_y + 40 * s, 260 * s, 60 * s, 180)
    c.flush_shadows()
    d = c.draw
    # the jar: amber glass, darker at the bottom, a highlight down one side
    honey = Image.new("RGB", (round(jw), round(jh)))
    honey.paste(gradient(honey.size, (236, 168, 40), (156, 76, 10)))
    mask = Image.new("L", honey.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, honey.width - 1, honey.height - 1), radius=round(60 * s), fill=255)
    c.image.paste(honey, (round(jar_x - jw / 2), round(base_y - jh)), mask)
    d.rounded_rectangle((jar_x - jw * 0.36, base_y - jh * 0.9, jar_x - jw * 0.28, base_y - jh * 0.12),
                        radius=10 * s, fill=(255, 246, 210, 110))
    d.rounded_rectangle((jar_x - jw * 0.44, base_y - jh - 70 * s, jar_x + jw * 0.44, base_y - jh + 10 * s),
                        radius=14 * s, fill=(178, 52, 40, 255))  # a red cloth lid
    for i in range(6):
        x = jar_x - jw * 0.44 + i * jw * 0.88 / 6
        d.rectangle((x, base_y - jh - 70 * s, x + jw * 0.88 / 12, base_y - jh + 10 * s), fill=(240, 232, 214, 80))
    d.rectangle((jar_x - jw * 0.46, base_y - jh - 2 * s, jar_x + jw * 0.46, base_y - jh + 12 * s),
                fill=(120, 90, 40, 255))
    # a slab of honeycomb
    r = 30 * s
    for row in range(5):
        for col in range(8):
            x = comb_x - 210 * s + col * r * 1.74 + (r * 0.87 if row % 2 else 0)
            y = comb_y - 80 * s + row * r * 1.5 * 0.7
            tone = mix((232, 170, 40), (250, 206, 90), rng.random())
            d.regular_polygon((x, y, r), 6, rotation=30, fill=(186, 120, 20, 255))
            d.regular_polygon((x, y, r * 0.8), 6, rotation=30, fill=tone + (255,))
    # a wooden dipper leaning on the comb
    d.line((comb_x + 40 * s, comb_y - 200 * s, comb_x + 250 * s, comb_y - 380 * s), fill=(150, 104, 58, 255),
           width=round(16 * s))
    for i in range(5):
        x, y = comb_x + 20 * s + i * 8 * s, comb_y - 180 * s + i * 10 * s
        d.ellipse((x - 36 * s, y - 22 * s, x + 36 * s, y + 22 * s), fill=shade((170, 120, 66), 1 - i * 0.06) + (255,))


def _paint_farm(c: Canvas) -> None:
    """A garden on the hills of Hương Trà: sky, ridges, rows of vegetables, citrus trees."""
    w, h, s, rng = c.width, c.height, c.s, c.rng
    horizon = round(h * rng.uniform(0.36, 0.44))
    c.image.paste(gradient((w, horizon), (120, 176, 222), (222, 232, 232)), (0, 0))
    d = c.draw
    for i, tone in enumerate(((132, 160, 158), (96, 138, 110), (70, 118, 72))):
        base = horizon - (60 - i * 24) * s
        phase = rng.uniform(0, 6.28)
        ridge = [(0, horizon + 4)]
        for x in range(0, w + 20, 20):
            y = base - (40 + 30 * i) * s * (0.6 + 0.4 * math.sin(phase + x / ((260 + 80 * i) * s)))
            ridge.append((x, y))
        ridge.append((w, horizon + 4))
        d.polygon(ridge, fill=tone + (255,))
    c.image.paste(gradient((w, h - horizon), (96, 150, 60), (70, 118, 40)), (0, horizon))
    # rows of vegetables running towards a point on the horizon
    vanish_x = w * rng.uniform(0.4, 0.6)
    rows = 18
    for i in range(rows + 1):
        x_near = (i / rows) * w * 1.8 - w * 0.4
        d.line((vanish_x + (x_near - vanish_x) * 0.02, horizon, x_near, h), fill=(112, 82, 46, 150),
               width=max(1, round(10 * s)))
    for _ in range(700):
        t = rng.random() ** 1.8
        y = horizon + t * (h - horizon)
        x = rng.uniform(0, w)
        size = (4 + 30 * t) * s
        d.ellipse((x - size, y - size * 0.6, x + size, y + size * 0.4),
                  fill=jitter(rng, (90, 160, 60), 18) + (255,))
    # citrus trees along the side, with their fruit
    for _ in range(rng.randint(3, 5)):
        tx = rng.choice((rng.uniform(0.02, 0.3), rng.uniform(0.7, 0.98))) * w
        size = rng.uniform(120, 190) * s
        ground = horizon + rng.uniform(0.2, 0.6) * (h - horizon)
        d.rectangle((tx - 12 * s, ground - size * 1.2, tx + 12 * s, ground), fill=(96, 68, 40, 255))
        for _ in range(9):
            bx = tx + rng.uniform(-0.7, 0.7) * size
            by = ground - size * 1.3 + rng.uniform(-0.5, 0.4) * size
            br = size * rng.uniform(0.4, 0.6)
            d.ellipse((bx - br, by - br, bx + br, by + br), fill=jitter(rng, (46, 104, 44), 12) + (255,))
        for _ in range(14):
            fx = tx + rng.uniform(-0.85, 0.85) * size
            fy = ground - size * 1.3 + rng.uniform(-0.6, 0.6) * size
            fr = 10 * s
            d.ellipse((fx - fr, fy - fr, fx + fr, fy + fr), fill=jitter(rng, (230, 140, 30), 14) + (255,))
    sun_x, sun_y, sun_r = w * rng.uniform(0.65, 0.9), horizon * 0.3, 50 * s
    d.ellipse((sun_x - sun_r * 2, sun_y - sun_r * 2, sun_x + sun_r * 2, sun_y + sun_r * 2), fill=(255, 250, 220, 60))
    d.ellipse((sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r), fill=(255, 246, 210, 230))


def _paint_mixed(c: Canvas) -> None:
    """Unknown kinds: a tray of mixed round produce in market colours."""
    palette = [(232, 120, 30), (150, 180, 60), (200, 40, 40), (240, 200, 60), (120, 60, 110)]
    _citrus_on_tray(c, 12, 110, lambda rng: jitter(rng, rng.choice(palette), 10), leaves=0.2)


_PAINTERS: dict[str, Callable[[Canvas], None]] = {
    "cam": _paint_cam,
    "quyt": _paint_quyt,
    "buoi": _paint_buoi,
    "thanh-tra": _paint_thanh_tra,
    "oi": _paint_oi,
    "com": _paint_com,
    "chuoi": _paint_chuoi,
    "gao": _paint_gao,
    "mat-ong": _paint_mat_ong,
    "farm": _paint_farm,
}
