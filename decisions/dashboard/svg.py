"""Hand-built inline SVG for the decisions plots: bars, horizontal bars, a scatter with a diagonal.

No chart library and nothing fetched: each function returns the markup of one ``<svg>`` with a
``<title>`` and ``<desc>`` (``role="img"``, ``aria-labelledby``), labelled axes and tick values.
Every text is escaped; the numbers are formatted here, so the markup is safe to insert.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48
#: Colours (with a pattern-free palette readable by the common colour-blindnesses).
ACCEPT, REJECT, UNDECIDED, BAR, NEGATIVE = "#0f766e", "#b91c1c", "#64748b", "#2563eb", "#ea580c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""


def _num(value: float) -> str:
    return f"{round(value, 4):g}"


def _open(key: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{key}-title {key}-desc">',
        f'<title id="{key}-title">{escape(title)}</title>',
        f'<desc id="{key}-desc">{escape(desc)}</desc>',
    ]


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * step:
            step *= factor
            break
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def _axes(
    parts: list[str], x_label: str, y_label: str, width: int, height: int
) -> tuple[float, float, float, float]:
    """Draw the two axis lines and labels; return the plot area (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = LEFT, height - BOTTOM, width - RIGHT, TOP
    parts.append(f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}"/>')
    parts.append(f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/>')
    parts.append(
        f'<text class="axis-label" x="{(x0 + x1) / 2}" y="{height - 8}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text class="axis-label" x="14" y="{(y0 + y1) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(y0 + y1) / 2})">{escape(y_label)}</text>'
    )
    return x0, y0, x1, y1


def columns(
    key: str,
    title: str,
    desc: str,
    bars: list[Bar],
    *,
    x_label: str,
    y_label: str,
) -> SafeString:
    """Vertical bars (a histogram: one bar per bin, labelled with the bin's lower bound)."""
    parts = _open(key, title, desc, WIDTH, HEIGHT)
    x0, y0, x1, y1 = _axes(parts, x_label, y_label, WIDTH, HEIGHT)
    top = max([bar.value for bar in bars] + [1])
    for tick in _ticks(0, top):
        y = y0 - (y0 - y1) * tick / top
        parts.append(
            f'<text class="tick" x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{_num(tick)}</text>'
        )
        parts.append(f'<line class="grid" x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}"/>')
    step = (x1 - x0) / max(len(bars), 1)
    every = max(1, math.ceil(len(bars) / 12))
    for i, bar in enumerate(bars):
        height = (y0 - y1) * bar.value / top
        x = x0 + i * step
        parts.append(
            f'<rect class="bar" fill="{BAR}" x="{x + 1:.1f}" y="{y0 - height:.1f}" '
            f'width="{max(step - 2, 1):.1f}" height="{height:.1f}">'
            f"<title>{escape(bar.label)}: {_num(bar.value)}</title></rect>"
        )
        if i % every == 0:
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{y0 + 16}" text-anchor="middle">'
                f"{escape(bar.label.split('–')[0])}</text>"
            )
    if bars and "–" in bars[-1].label:
        parts.append(
            f'<text class="tick" x="{x1:.1f}" y="{y0 + 16}" text-anchor="middle">'
            f"{escape(bars[-1].label.split('–')[1])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def rows(
    key: str,
    title: str,
    desc: str,
    bars: list[Bar],
    *,
    x_label: str,
    low: float,
    high: float,
    row_height: int = 18,
    label_width: int = 220,
) -> SafeString:
    """Horizontal bars from zero, one labelled row each (negative values to the left)."""
    height = TOP + BOTTOM + row_height * max(len(bars), 1)
    width = WIDTH + label_width - LEFT
    parts = _open(key, title, desc, width, height)
    x0, y0, x1 = label_width, height - BOTTOM, width - RIGHT
    span = (high - low) or 1.0

    def x_of(value: float) -> float:
        return x0 + (x1 - x0) * (value - low) / span

    zero = x_of(min(max(0.0, low), high))
    for tick in _ticks(low, high):
        x = x_of(tick)
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{y0}"/>')
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{y0 + 16}" text-anchor="middle">{_num(tick)}</text>'
        )
    parts.append(f'<line class="axis" x1="{zero:.1f}" y1="{TOP}" x2="{zero:.1f}" y2="{y0}"/>')
    parts.append(
        f'<text class="axis-label" x="{(x0 + x1) / 2}" y="{height - 8}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    for i, bar in enumerate(bars):
        y = TOP + i * row_height
        end = x_of(bar.value)
        left, size = min(zero, end), abs(end - zero)
        colour = NEGATIVE if bar.value < 0 else BAR
        label = f"{bar.label} {bar.note}".strip()
        parts.append(
            f'<text class="tick" x="{x0 - 6}" y="{y + row_height * 0.7:.1f}" '
            f'text-anchor="end">{escape(label[:40])}</text>'
        )
        parts.append(
            f'<rect fill="{colour}" x="{left:.1f}" y="{y + 2}" width="{max(size, 1):.1f}" '
            f'height="{row_height - 4}"><title>{escape(label)}: {bar.value:.2f}</title></rect>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    points: list[tuple[float, float]]


def scatter(
    key: str,
    title: str,
    desc: str,
    series: list[Series],
    *,
    low: float,
    high: float,
    x_label: str,
    y_label: str,
) -> SafeString:
    """Points on the same scale on both axes, with the diagonal x = y and a legend.

    Many papers share the same pair of means, so points are translucent (a darker dot is many
    papers); no per-point title keeps 10,000 points small.
    """
    size = 420
    parts = _open(key, title, desc, size + 150, size)
    x0, y0, x1, y1 = _axes(parts, x_label, y_label, size, size)
    ticks = _ticks(low, high)
    # A margin so that points on the scale's ends are not cut by the axes.
    margin = ((high - low) or 1.0) * 0.04
    low, high = low - margin, high + margin
    span = high - low

    def at(value: float, a: float, b: float) -> float:
        return a + (b - a) * (value - low) / span

    for tick in ticks:
        x, y = at(tick, x0, x1), at(tick, y0, y1)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{y0 + 16}" text-anchor="middle">{_num(tick)}</text>'
        )
        parts.append(
            f'<text class="tick" x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{_num(tick)}</text>'
        )
    parts.append(
        f'<line class="diagonal" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" '
        'stroke-dasharray="4 4"><title>ML mean = Systems mean</title></line>'
    )
    for i, line in enumerate(series):
        parts.append(f'<g fill="{line.colour}" fill-opacity="0.45">')
        parts.extend(
            f'<circle cx="{at(x, x0, x1):.1f}" cy="{at(y, y0, y1):.1f}" r="3.5"/>'
            for x, y in line.points
        )
        parts.append("</g>")
        ly = TOP + 12 + i * 20
        parts.append(
            f'<circle cx="{size + 12}" cy="{ly}" r="5" fill="{line.colour}"/>'
            f'<text class="tick" x="{size + 22}" y="{ly + 4}">'
            f"{escape(line.label)} ({len(line.points)})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
