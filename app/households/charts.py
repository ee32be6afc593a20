"""Small charts drawn on the server as inline SVG: no script, a <title> and text labels a screen
reader reads, and sizes in the viewBox so they shrink with a phone's screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170
PLOT_WIDTH = 260
VALUE_WIDTH = 110


def _plain(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def horizontal_bars(title: str, items: Sequence[tuple[str, int]], show: Callable[[int], str] = _plain) -> Markup:
    """One labelled bar per item, its value written after it."""
    items = list(items)
    largest = max((value for _, value in items), default=0) or 1
    height = max(len(items), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(PLOT_WIDTH * value / largest) if value > 0 else 0
        middle = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{middle:.0f}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="#2f7d4a">'
            f"<title>{escape(label)}: {escape(show(value))}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle:.0f}" font-size="13">{escape(show(value))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def monthly_columns(title: str, months: Sequence[tuple[str, int]], show: Callable[[int], str] = _plain) -> Markup:
    """One column per month, labelled under it; each column's value in its tooltip and title."""
    months = list(months)
    largest = max((value for _, value in months), default=0) or 1
    column, gap, plot, top, bottom = 24, 6, 160, 24, 36
    width = max(len(months), 1) * (column + gap) + gap
    height = top + plot + bottom
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<text x="{gap}" y="14" font-size="12">{escape(show(largest))}</text>'
        f'<line x1="0" x2="{width}" y1="{top + plot}" y2="{top + plot}" stroke="#666"/>'
    ]
    for index, (label, value) in enumerate(months):
        x = gap + index * (column + gap)
        length = round(plot * value / largest) if value > 0 else 0
        parts.append(
            f'<rect x="{x}" y="{top + plot - length}" width="{column}" height="{length}" fill="#c7622b">'
            f"<title>{escape(label)}: {escape(show(value))}</title></rect>"
            f'<text x="{x + column / 2:.0f}" y="{top + plot + 14}" text-anchor="middle" '
            f'font-size="11">{escape(label[-2:])}</text>'
        )
        if label.endswith("-01"):
            parts.append(f'<text x="{x}" y="{top + plot + 30}" font-size="11">{escape(label[:4])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
