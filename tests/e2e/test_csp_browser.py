"""The Content-Security-Policy in a real browser: pages from libraries (Swagger UI, the Django
admin, the browsable API) and the site's interactive pages keep working, and Chromium reports no
violation (the shared ``page`` fixture collects its reports and fails on any, so the journeys in
this folder check every page they visit too). ReDoc is not served (see mlsys/urls.py)."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.helpers import login, mark_page, same_page, shot
from tests.e2e.test_decisions_analytics import _scored_conference

pytestmark = pytest.mark.e2e


def test_the_browser_reports_what_the_policy_blocks(page, db):
    """The listener works: a style attribute set by script on our page is refused and reported."""
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_function("true")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in page.csp_violations), page.csp_violations
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    page.csp_violations.clear()


def test_swagger_ui_renders_and_runs_under_the_policy(page, db):
    page.goto(reverse("api_docs"))
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() >= 5
    path = page.locator(".opblock-summary-path[data-path='/api/v1/conferences/']")
    operation = page.locator(".opblock.opblock-get").filter(has=path).first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()  # fetches the API (connect-src)
    operation.locator(".live-responses-table").wait_for()
    assert "not_authenticated" in operation.locator(".live-responses-table").inner_text()


def test_the_admin_and_the_browsable_api_work_under_the_policy(page, db):
    factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    page.goto("/admin/")
    page.get_by_label("Email").fill("root@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Site administration").wait_for()
    page.goto("/admin/accounts/user/")
    page.get_by_role("checkbox", name=re.compile("Select all")).check()  # the admin's own JS
    page.get_by_text(re.compile(r"1 of 1 selected")).wait_for()
    page.goto("/admin/accounts/user/add/")
    page.get_by_role("button", name="Save", exact=True).wait_for()

    page.goto("/api/v1/conferences/")
    page.get_by_role("heading", name=re.compile("Conference")).first.wait_for()
    page.get_by_role("link", name="GET").wait_for()
    shot(page, "csp-browsable-api")


def test_htmx_pages_update_in_place_under_the_policy(page, live_server):
    conference, chair, _, _ = _scored_conference()
    login(page, chair.email)
    page.goto(reverse("decisions:threshold", kwargs={"conference": conference.slug}))
    mark_page(page)
    page.locator("#cutoff-slider").fill("4.5")
    page.locator("#threshold-now").filter(has_text="Cut-off 4.50").wait_for()
    assert same_page(page)
    # The rate bars are SVG now (no style attribute): drawn as wide as the rate.
    bar = page.locator("svg.rate-bar rect").first
    assert bar.get_attribute("width") is not None
    # htmx's indicator styles come from app.css, not from a <style> htmx would inject.
    assert page.locator("style").count() == 0
    shot(page, "csp-threshold")
