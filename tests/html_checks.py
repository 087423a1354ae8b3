"""Checks on rendered HTML that a person using a screen reader relies on: every id is unique,
every form control has a label, references (for, aria-labelledby, aria-describedby) point at
existing ids, and aria-labelledby sits only on elements that may be named that way."""

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

#: Controls a person fills in; hidden inputs and buttons are named by their value/content.
_UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
#: Generic elements that may not carry aria-labelledby without a role (ARIA 1.2 "naming
#: prohibited" for generic/paragraph).
_GENERIC = {"div", "span", "p"}


@dataclass
class _Element:
    tag: str
    attrs: dict
    inside_labels: int  # how many <label> elements enclose it


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self.label_depth = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append(_Element(tag, dict(attrs), self.label_depth))
        if tag == "label":
            self.label_depth += 1

    def handle_endtag(self, tag):
        if tag == "label" and self.label_depth:
            self.label_depth -= 1

    @property
    def ids(self) -> list[str]:
        return [e.attrs["id"] for e in self.elements if e.attrs.get("id")]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def duplicate_ids(html: str) -> list[str]:
    return sorted(i for i, n in Counter(parse(html).ids).items() if n > 1)


def unlabelled_controls(html: str) -> list[str]:
    """Controls without a <label for>, an enclosing <label>, aria-label or aria-labelledby
    (as "tag#id[name]")."""
    page = parse(html)
    label_for = Counter(e.attrs.get("for") for e in page.elements if e.tag == "label")
    missing = []
    for e in page.elements:
        if e.tag not in ("input", "select", "textarea"):
            continue
        if e.tag == "input" and e.attrs.get("type", "text") in _UNLABELLED_INPUT_TYPES:
            continue
        named = (
            e.inside_labels
            or e.attrs.get("aria-label")
            or e.attrs.get("aria-labelledby")
            or (e.attrs.get("id") and label_for[e.attrs["id"]])
        )
        if not named:
            missing.append(f"{e.tag}#{e.attrs.get('id', '')}[{e.attrs.get('name', '')}]")
    return missing


def labels_pointing_at_several_controls(html: str) -> list[str]:
    """Ids that a <label for> names while more than one element carries them."""
    page = parse(html)
    counts = Counter(page.ids)
    return sorted(
        {
            e.attrs["for"]
            for e in page.elements
            if e.tag == "label" and counts.get(e.attrs.get("for"), 0) > 1
        }
    )


def broken_references(html: str) -> list[str]:
    """for / aria-labelledby / aria-describedby values naming no element of the page."""
    page = parse(html)
    ids = set(page.ids)
    broken = []
    for e in page.elements:
        for attr in ("for", "aria-labelledby", "aria-describedby"):
            for ref in (e.attrs.get(attr) or "").split():
                if ref not in ids:
                    broken.append(f'{e.tag}[{attr}="{ref}"]')
    return broken


def misplaced_labelledby(html: str) -> list[str]:
    """Generic elements (div, span, p) named with aria-labelledby but given no role."""
    return [
        f"{e.tag}#{e.attrs.get('id', '')}"
        for e in parse(html).elements
        if e.tag in _GENERIC and e.attrs.get("aria-labelledby") and not e.attrs.get("role")
    ]


def accessibility_problems(html: str) -> dict[str, list[str]]:
    """Every problem found, by kind; an empty dict for a clean page."""
    problems = {
        "duplicate ids": duplicate_ids(html),
        "unlabelled controls": unlabelled_controls(html),
        "labels with ambiguous targets": labels_pointing_at_several_controls(html),
        "broken references": broken_references(html),
        "aria-labelledby without role": misplaced_labelledby(html),
    }
    return {kind: found for kind, found in problems.items() if found}


# --- Content-Security-Policy  ------------------------------------------------------------
#: <script> types the browser does not run (data blocks), which the policy does not govern.
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template", "text/html"}


def inline_code(html: str) -> list[str]:
    """What a Content-Security-Policy without 'unsafe-inline' blocks: inline <script> and
    <style> without a nonce, style="" attributes, on*="" handlers, javascript: URLs, and htmx's
    evaluated attributes (hx-on, js: in hx-vals/hx-headers)."""
    page = parse(html)
    found = []
    for e in page.elements:
        where = f"<{e.tag}{'#' + e.attrs['id'] if e.attrs.get('id') else ''}>"
        runs = (e.attrs.get("type") or "").lower() not in _DATA_SCRIPT_TYPES
        if e.tag == "script" and runs and not e.attrs.get("src") and "nonce" not in e.attrs:
            found.append(f"inline script {where}")
        if e.tag == "style" and "nonce" not in e.attrs:
            found.append(f"inline <style> {where}")
        for name, value in e.attrs.items():
            value = (value or "").strip().lower()
            if name == "style":
                found.append(f'style="{value}" on {where}')
            elif name.startswith("on") and name.isalpha():
                found.append(f"{name}= handler on {where}")
            elif name.startswith("hx-on"):
                found.append(f"{name}= (evaluated by htmx) on {where}")
            elif name in ("hx-vals", "hx-headers") and value.startswith(("js:", "javascript:")):
                found.append(f"{name}=js: on {where}")
            elif name in ("href", "src", "action", "formaction") and value.startswith(
                "javascript:"
            ):
                found.append(f"javascript: URL in {name} on {where}")
    return found


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


def csp_header_problems(header: str | None) -> list[str]:
    """An empty list when the policy is present and allows no inline or evaluated code."""
    if not header:
        return ["no Content-Security-Policy header"]
    directives = csp_directives(header)
    problems = []
    for kind in ("script-src", "style-src"):
        sources = directives.get(kind, directives.get("default-src"))
        if sources is None:
            problems.append(f"neither {kind} nor default-src")
            continue
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"):
            if unsafe in sources:
                problems.append(f"{kind} allows {unsafe}")
    if "frame-ancestors" not in directives:
        problems.append("no frame-ancestors")
    return problems
