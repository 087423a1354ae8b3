"""Every template a browser may receive is written for the Content-Security-Policy: no inline
<script> or <style>, no style="" attributes, no on*="" handlers, no javascript: URLs.

A static check over all templates (those no test renders too); tests/demo/test_csp_pages.py
checks the pages as served, and tests/e2e/test_csp_browser.py asks the browser.
"""

import re
from pathlib import Path

from tests.html_checks import inline_code

ROOT = Path(__file__).resolve().parents[2]
#: Rendered by WeasyPrint into PDFs, never sent to a browser: inline <style> is fine there.
PDF_ONLY = {"decisions/letters/letter_pdf.html", "decisions/proceedings/booklet.html"}
_COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)


def browser_templates() -> dict[str, str]:
    found = {}
    for base in [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("mlsys/*/templates")]:
        for path in base.rglob("*.html"):
            name = path.relative_to(base).as_posix()
            if name not in PDF_ONLY:
                found[name] = _COMMENTS.sub("", path.read_text())
    return found


def test_the_scan_sees_the_templates():
    names = browser_templates()
    assert {"base.html", "500.html", "submissions/author/_edit_form.html"} <= set(names)
    assert len(names) > 100


def test_no_template_has_inline_code():
    problems = {
        name: found
        for name, source in browser_templates().items()
        if (found := inline_code(source))
    }
    assert not problems, problems


def test_the_check_catches_each_kind_of_inline_code():
    assert inline_code(
        '<script>alert(1)</script><style>p{}</style><p style="color: red">'
        '<button onclick="go()">x</button><a href="javascript:go()">y</a>'
        '<div hx-on:click="go()"></div><div hx-vals="js:{a: go()}"></div>'
    ) == [
        "inline script <script>",
        "inline <style> <style>",
        'style="color: red" on <p>',
        "onclick= handler on <button>",
        "javascript: URL in href on <a>",
        "hx-on:click= (evaluated by htmx) on <div>",
        "hx-vals=js: on <div>",
    ]
    allowed = (
        '<script src="/static/js/app.js" defer></script>'
        '<script type="application/json" id="data">{}</script>'
        '<script nonce="abc">start()</script><style nonce="abc">p{}</style>'
        "<div hx-vals='{\"a\": 1}'></div>"
    )
    assert inline_code(allowed) == []
