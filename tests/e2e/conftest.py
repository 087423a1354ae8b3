"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``e2e``. Without /usr/bin/chromium they are skipped with the reason,
unless ``MLSYS_REQUIRE_E2E=1`` (CI's PostgreSQL run), where a missing browser is a failure.
A failing test leaves a full-page screenshot in ``test-results/``.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from the test body as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("MLSYS_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps dialling out on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if os.environ.get("MLSYS_REQUIRE_E2E") == "1":
        pytest.fail(f"MLSYS_REQUIRE_E2E=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


# every page of every browser test runs under the site's Content-Security-Policy; the
# browser's violation reports are collected (``page.csp_violations``) and fail the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const t = e.target && e.target.tagName ? e.target : null;
  const where = t ? ` on <${t.tagName.toLowerCase()}${t.id ? "#" + t.id : ""}`
    + `${t.className && t.className.baseVal === undefined && t.className ? "." + t.className : ""}>`
    + ` (style="${t.getAttribute("style") || ""}")` : "";
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`
    + ` in ${e.sourceFile || document.location.pathname}:${e.lineNumber}${where}`
    + ` at ${document.location.pathname}`);
});
"""


def _is_csp_violation(message) -> bool:
    text = message.text
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (own cookies) per test; screenshots itself on failure; fails the
    test when the browser reports a Content-Security-Policy violation."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.csp_violations = []
    tab.add_init_script(CSP_LISTENER)
    tab.on("console", lambda m: tab.csp_violations.append(m.text) if _is_csp_violation(m) else None)
    yield tab
    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    violations = list(tab.csp_violations)
    if failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        tab.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
    context.close()
    assert failed or not violations, f"Content-Security-Policy violations: {violations}"
