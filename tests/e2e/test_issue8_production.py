"""Issue 8, what new users hit: a styled 404 page that leads back home, the favicon, and math
that KaTeX renders with its own fonts (the fonts whose absence broke collectstatic)."""

import re

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from mlsys.conferences.models import PhaseSetting
from tests import factories
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e


def test_a_mistyped_address_shows_the_sites_404_page_with_a_way_home(page, db):
    favicon_requests = []
    page.on("request", lambda r: favicon_requests.append(r.url) if "favicon" in r.url else None)
    response = page.goto("/c/no-such-conference/papers/")
    assert response.status == 404
    page.get_by_role("heading", name="Page not found").wait_for()
    # The site's stylesheet applies: the dark header bar, not Django's bare page.
    header = page.locator("header.site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(15, 23, 42)"
    assert page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href") == (
        "/static/favicon.svg"
    )
    icon = page.request.get("/static/favicon.svg")
    assert icon.status == 200 and icon.body().startswith(b"<svg")
    ico = page.request.get("/favicon.ico")  # follows the redirect to the collected icon
    assert ico.status == 200 and ico.body()[:4] == b"\x00\x00\x01\x00"
    shot(page, "issue8-404")

    page.locator("main").get_by_role("link", name="log in").click()
    page.get_by_role("heading", name="Log in").wait_for()
    assert page.url.endswith("/accounts/login/?next=/c/no-such-conference/papers/")
    page.go_back()
    page.get_by_role("link", name="Go to the home page").click()
    page.get_by_role("heading", name="Conferences").wait_for()
    assert not any("/favicon.ico" in url for url in favicon_requests), (
        "the linked icons are used, so the browser does not ask for /favicon.ico"
    )


def test_math_in_a_discussion_comment_renders_with_the_katex_fonts(page, conference, chair):
    factories.SubmissionFactory(
        conference=conference,
        track=conference.tracks.get(slug="research"),
        number=1,
        title="Memory Planning for Large Models",
        authors=[factories.UserFactory()],
    )
    for phase, mode in (
        (enums.Phase.SUBMISSION, enums.PhaseMode.CLOSED),
        (enums.Phase.REVIEWING, enums.PhaseMode.OPEN),
    ):
        PhaseSetting.objects.update_or_create(
            conference=conference, phase=phase, defaults={"mode": mode}
        )
    login(page, chair.email)
    page.goto(reverse("reviews:paper", kwargs={"conference": conference.slug, "number": 1}))
    page.get_by_label(re.compile(r"^Comment")).fill(
        r"The planner is $O(n^2)$ in the operators; with $\sum_i m_i \le M$ it always fits."
    )
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Comment posted.").wait_for()

    math = page.locator("#discussion .math-inline .katex").first
    math.wait_for()
    page.evaluate("document.fonts.ready")
    # On a loaded machine the faces may still be on their way when `ready` first resolves:
    # wait (up to the default timeout) until both report "loaded", then check as before.
    page.wait_for_function(
        "['KaTeX_Main', 'KaTeX_Math'].every(name => [...document.fonts].some("
        "f => f.family === name && f.status === 'loaded'))"
    )
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert page.evaluate("document.fonts.check('italic 16px KaTeX_Math')")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert {"KaTeX_Main", "KaTeX_Math"} <= set(loaded), loaded
    assert "$" not in page.locator("#discussion .comment-body").first.inner_text()
    shot(page, "issue8-math")
