"""Badge seals drawn by us: one vector seal per badge, no external asset.

A seal is a round medal in the badge's colour (an outer ring, a white inner disc, two ribbon
tails below) with the badge's label wrapped on up to four lines inside. The same SVG is inlined
in pages and handed to WeasyPrint for the stamped camera-ready (``artifacts.badges.stamping``),
so it uses only what both render: basic shapes, paths and ``<text>`` in a generic sans-serif
font. Deterministic: the same label and colour give the same bytes. Labels are escaped and a
colour that is not ``#rrggbb`` falls back to the default: a hostile badge set cannot inject
markup. Pure Python (no Django): the stamping child process imports it too.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

DEFAULT_COLOUR = "#1f6f43"
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
#: The seal's drawing box (the ribbon tails hang below the disc).
WIDTH, HEIGHT = 100, 120
#: Characters per line of the label, per number of lines: a wider chord in the middle.
_LINE_CHARS = 13
_MAX_LINES = 4
_MAX_LABEL = 80


def safe_colour(colour: str | None) -> str:
    """``colour`` when it is ``#rrggbb`` (lower-cased), else the default."""
    colour = (colour or "").strip()
    return colour.lower() if _HEX.fullmatch(colour) else DEFAULT_COLOUR


def wrap(label: str, width: int = _LINE_CHARS, lines: int = _MAX_LINES) -> list[str]:
    """``label`` cut into at most ``lines`` lines of about ``width`` characters, at spaces (a
    word longer than a line is cut); the last line ends with "…" when text was left out."""
    words = " ".join((label or "").split())[:_MAX_LABEL].split(" ")
    out: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:
            if current:
                out.append(current)
                current = ""
            out.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    out = [line for line in out if line]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out or [""]


def _darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _drawing(label: str, colour: str | None) -> str:
    """The seal's shapes and text, in a 100×120 box."""
    fill = safe_colour(colour)
    dark = _darker(fill)
    lines = wrap(label)
    # Bold sans glyphs average ~0.66 em: the longest line fits the inner disc's ~62 units.
    longest = max(len(line) for line in lines) or 1
    size = round(min(11.0, 62 / (longest * 0.66), 40 / len(lines)), 1)
    step = size * 1.12
    first = 50 - step * (len(lines) - 1) / 2 + size * 0.35
    text = "".join(
        f'<tspan x="50" y="{first + i * step:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        # Ribbon tails, behind the disc.
        f'<path d="M30 78 L18 116 L32 108 L40 118 L48 84 Z" fill="{dark}"/>'
        f'<path d="M70 78 L82 116 L68 108 L60 118 L52 84 Z" fill="{dark}"/>'
        # The medal: coloured disc, white inner disc, thin coloured inner ring.
        f'<circle cx="50" cy="50" r="48" fill="{fill}"/>'
        f'<circle cx="50" cy="50" r="40" fill="#ffffff"/>'
        f'<circle cx="50" cy="50" r="37" fill="none" stroke="{fill}" stroke-width="1.5"/>'
        f'<text font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" '
        f'font-size="{size}" font-weight="bold" fill="{dark}" text-anchor="middle">{text}</text>'
    )


def _dimensions(height: str) -> str:
    value = re.fullmatch(r"(\d+(?:\.\d+)?)(in|px|pt|mm|cm|em|rem)", height or "")
    if value is None:
        return ""
    number, unit = float(value.group(1)), value.group(2)
    return f' width="{number * WIDTH / HEIGHT:.3f}{unit}" height="{number:g}{unit}"'


def _attr(text: str) -> str:
    return escape(text or "", {'"': "&quot;"})


def seal(label: str, colour: str | None = None, *, height: str = "", title: bool = True) -> str:
    """The seal of one badge as an ``<svg>`` element (a string safe to inline in HTML).

    ``height`` (a CSS length such as ``"0.6in"`` or ``"48px"``) sets the rendered height, the
    width following the aspect ratio; without it the SVG is 100×120 user units."""
    heading = f"<title>{escape(label or '')}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f'{_dimensions(height)} role="img" aria-label="{_attr(label)}" class="seal">'
        f"{heading}{_drawing(label, colour)}</svg>"
    )


def symbol_id(pk: int) -> str:
    return f"seal-{int(pk)}"


def sprite(badges) -> str:
    """One hidden ``<svg>`` defining each badge's seal once (objects with ``pk``, ``label`` and
    ``colour``): a long page then draws each seal with :func:`use` instead of repeating it."""
    symbols = "".join(
        f'<symbol id="{symbol_id(b.pk)}" viewBox="0 0 {WIDTH} {HEIGHT}">'
        f"{_drawing(b.label, b.colour)}</symbol>"
        for b in badges
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false" '
        f'class="svg-sprite">{symbols}</svg>'
    )


def use(pk: int, label: str, *, height: str = "") -> str:
    """A seal drawn from the page's :func:`sprite`."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f'{_dimensions(height)} role="img" aria-label="{_attr(label)}" class="seal">'
        f'<title>{escape(label or "")}</title><use href="#{symbol_id(pk)}"/></svg>'
    )


def seals(badges, *, height: str = "") -> str:
    """The seals of ``badges`` (objects with ``label`` and ``colour``, or ``(label, colour)``
    pairs), side by side."""
    drawn = []
    for badge in badges:
        label, colour = badge if isinstance(badge, tuple) else (badge.label, badge.colour)
        drawn.append(seal(label, colour, height=height))
    return "".join(drawn)
