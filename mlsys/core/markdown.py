"""Markdown with LaTeX math, rendered safely for reviews, comments and responses.

Math (``$...$`` inline, ``$$...$$`` display) is cut out before Markdown runs, so Markdown never
mangles it, and put back as escaped TeX inside ``<span class="math-inline">`` /
``<div class="math-display">``; the vendored KaTeX renders it in the browser (static/js/app.js).
The HTML Markdown produces is then sanitised with nh3 (an allow-list: no script, no event
handlers, no raw HTML that runs, links forced to rel="noopener noreferrer nofollow").
"""

import html
import re
import secrets

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
    "span", "div", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "span": {"class"},
    "div": {"class"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$", re.S)
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


def render(text: str) -> SafeString:
    """Render ``text`` (Markdown + math) to sanitised HTML."""
    if not text:
        return mark_safe("")
    token = secrets.token_hex(8)
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return f"MATH{token}X{len(stash) - 1}X"

    def protect_math(segment: str) -> str:
        def swap(match: re.Match) -> str:
            if match.group(1) is not None:
                return keep(
                    f'<div class="math-display">{html.escape(match.group(1).strip())}</div>'
                )
            return keep(f'<span class="math-inline">{html.escape(match.group(2))}</span>')

        return MATH.sub(swap, segment)

    # Math inside code spans and blocks stays literal code.
    parts = CODE.split(text)
    text = "".join(part if i % 2 else protect_math(part) for i, part in enumerate(parts))
    rendered = md.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])
    rendered = re.sub(rf"MATH{token}X(\d+)X", lambda m: stash[int(m.group(1))], rendered)
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
