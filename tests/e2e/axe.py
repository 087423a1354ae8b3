"""Accessibility checks for the browser tests: axe-core on the current page, and keyboard tabbing.

axe-core comes from the npm registry, pinned in package-lock.json and installed by ``make test``
(``npm ci``) into node_modules/. Its script is evaluated in the page through the DevTools
protocol (``page.evaluate``) rather than added as a ``<script>`` tag, so a Content-Security-Policy
without 'unsafe-inline' does not block it. Without node_modules the tests skip with the reason,
unless ``MLSYS_REQUIRE_E2E=1``, where that is a failure (as a missing Chromium is).
"""

import os
from functools import cache
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: The WCAG 2.1 A and AA rules (axe's tags); best-practice rules are reported by axe but not here.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Impacts that fail a test. "moderate" and "minor" findings are listed in docs/accessibility.md.
BLOCKING = {"serious", "critical"}
#: Every control a keyboard user must be able to reach (and a mouse user can click).
FOCUSABLE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex^='-'])"
)


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def require_axe() -> None:
    """Skip (or fail, in CI's required run) when ``npm ci`` has not installed axe-core."""
    if AXE_JS.exists():
        return
    reason = f"{AXE_JS} is missing (install npm, then `make test` runs `npm ci`)"
    if os.environ.get("MLSYS_REQUIRE_E2E") == "1":
        pytest.fail(f"MLSYS_REQUIRE_E2E=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def axe_violations(page, *, tags: list[str] = WCAG_TAGS) -> list[dict]:
    """Run axe-core's rules with ``tags`` (WCAG 2.1 A/AA by default) on the page as it is now;
    return every violation."""
    require_axe()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async (tags) => {
            const out = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                               resultTypes: ["violations"]});
            return out.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
                summary: v.nodes.length ? v.nodes[0].failureSummary : "",
            }));
        }""",
        tags,
    )
    return list(result)


def describe(violations: list[dict], limit: int = 4) -> str:
    """One readable block per violation: rule, impact, what to do and where (first few)."""
    lines = []
    for v in violations:
        where = ", ".join(v["targets"][:limit])
        more = f" (+{len(v['targets']) - limit} more)" if len(v["targets"]) > limit else ""
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}\n    at {where}{more}")
        if v["summary"]:
            lines.append("    " + v["summary"].replace("\n", "\n    "))
    return "\n".join(lines)


def axe_problems(page, label: str = "") -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations on the page, one readable block each
    (moderate and minor findings are not counted; see docs/accessibility.md)."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    if not blocking:
        return []
    return [f"axe-core on {label or page.url}:\n{describe(blocking)}"]


def assert_no_problems(problems: list[str]) -> None:
    assert not problems, "\n\n".join(problems)


# --- Keyboard ---------------------------------------------------------------------------------

_MARK_CONTROLS = """(selector) => {
    // Every visible, enabled control, tagged with an index the focus walk reports back.
    const visible = el => {
        if (el.closest("[inert], [hidden]")) return false;
        // checkVisibility also sees content a closed <details> hides (content-visibility).
        if (!el.checkVisibility({visibilityProperty: true})) return false;
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    };
    const out = [];
    document.querySelectorAll(selector).forEach((el, i) => {
        if (el.disabled || !visible(el)) return;
        el.dataset.a11yIndex = String(i);
        out.push({index: String(i), text: describe(el)});
    });
    function describe(el) {
        const name = (el.getAttribute("aria-label") || el.innerText || el.value
                      || el.name || el.id || "").trim().slice(0, 60);
        return `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} "${name}"`;
    }
    return out;
}"""

_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow && style.boxShadow !== "none";
    return {
        index: el.dataset.a11yIndex || null,
        tag: el.tagName.toLowerCase(),
        type: el.type || "",
        text: (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "")
              .trim().slice(0, 60),
        visible: outline || ring,
        // A radio group is one tab stop: the arrow keys move within it.
        radio: el.type === "radio" ? el.name : null,
    };
}"""


def tab_through(page, max_presses: int = 400) -> dict:
    """Press Tab from the top of the page until focus comes round to the first control again.

    Returns ``{"controls": [...], "reached": set of indexes, "unreached": [...],
    "no_ring": [...], "first": first focused element}``: the visible controls, those Tab
    reached, those it never reached (a radio group counts once), and focused elements whose
    focus left no visible outline or ring."""
    controls = page.evaluate(_MARK_CONTROLS, FOCUSABLE)
    radios = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("input[type=radio]")]
            .filter(el => el.dataset.a11yIndex).map(el => [el.dataset.a11yIndex, el.name]))"""
    )
    # Focus events count too: leaving an embedded PDF viewer, Chromium may move focus on
    # through a control between two reads of document.activeElement.
    page.evaluate(
        """() => {
            window.__a11yReached = new Set();
            document.addEventListener("focusin", (e) => {
                const index = e.target.dataset && e.target.dataset.a11yIndex;
                if (index) window.__a11yReached.add(index);
            }, true);
        }"""
    )
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    reached: set[str] = set()
    groups: set[str] = set()
    no_ring: list[str] = []
    first = None
    seen_order: list[str] = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            # Focus is in the browser's own UI past the last control, or inside an embedded
            # PDF viewer (its toolbar has a dozen stops of its own): keep going until Tab
            # comes round to the first control again.
            continue
        first = first or focused
        key = focused["index"] or f"{focused['tag']}:{focused['text']}"
        if seen_order and key == seen_order[0]:
            break  # wrapped round to the first control
        seen_order.append(key)
        if focused["index"]:
            reached.add(focused["index"])
        if focused["radio"]:
            groups.add(focused["radio"])
        # Inside an embedded PDF the focus is on the viewer's own toolbar, which draws its own
        # ring; the page sees only the <object> (app.css rings it when it has focus itself).
        embedded = focused["tag"] in ("object", "iframe", "embed")
        if not focused["visible"] and not embedded and seen_order.count(key) == 1:
            no_ring.append(f"{focused['tag']} {focused['text']!r}")
    reached |= set(page.evaluate("[...window.__a11yReached]"))
    unreached = [
        c
        for c in controls
        if c["index"] not in reached and not (c["index"] in radios and radios[c["index"]] in groups)
    ]
    return {
        "controls": controls,
        "reached": reached,
        "unreached": unreached,
        "no_ring": no_ring,
        "first": first,
    }


def keyboard_problems(page, label: str = "") -> list[str]:
    """Tab reaches every visible control, the focused control shows a visible outline or
    ring, and the first stop is the "Skip to content" link."""
    walk = tab_through(page)
    where = label or page.url
    problems = []
    if not walk["controls"]:
        problems.append(f"keyboard on {where}: no controls found")
    if walk["unreached"]:
        names = ", ".join(c["text"] for c in walk["unreached"][:10])
        problems.append(f"keyboard on {where}: Tab never reaches {names}")
    if walk["no_ring"]:
        problems.append(
            f"keyboard on {where}: invisible focus on {', '.join(walk['no_ring'][:10])}"
        )
    first = walk["first"] or {}
    if first.get("text") != "Skip to content":
        problems.append(f"keyboard on {where}: the first Tab stop is {first}, not the skip link")
    return problems


def audit(page, url: str, label: str) -> list[str]:
    """Open ``url`` and check it with axe-core and the keyboard; the problems found."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{label}: {url} answered {response}"
    return axe_problems(page, label) + keyboard_problems(page, label)
