"""The results pages and the artifact page's badges section in a real browser (Chromium): the
seals are drawn (from the page's one set of symbols), sized as meant, and nothing overflows.
Screenshots of each step go to tests.e2e.helpers.SHOTS for people to look at.

Each test drives its own Playwright in a thread of its own: a second sync Playwright in the
thread of another module's session-wide browser (tests/e2e, other packages' journeys) refuses
to start."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from artifacts.badges import services
from tests import factories
from tests.artifacts.badges.conftest import award, final_pdf, published_artifact
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _require_chromium
from tests.e2e.helpers import login, shot
from tests.factories import artifacts as af

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def in_browser(live_server):
    """``in_browser(steps)`` runs ``steps(page)`` in a fresh Chromium tab, in another thread."""
    _require_chromium()

    def run(steps):
        def drive():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                context = chromium.new_context(base_url=live_server.url, locale="en-US")
                context.set_default_timeout(15_000)
                try:
                    steps(context.new_page())
                finally:
                    context.close()
                    chromium.close()

        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(drive).result()

    return run


def test_results_pages_draw_the_seals(in_browser):
    conference = af.ae_conference(slug="mlsys2027", name="MLSys 2027")
    published_artifact(
        conference, 3, keys=("available", "functional", "reproduced"), title="Tensor compilers"
    )
    published_artifact(conference, 7, keys=("available",), title="Sparse attention kernels")
    published_artifact(
        conference,
        12,
        keys=("available", "functional", "reusable"),
        title="A very long title about distributed training of mixture-of-experts models on "
        "heterogeneous clusters with failures",
        version="v1.2.0",
    )
    results = reverse("artifacts:results", kwargs={"conference": conference.slug})
    in_browser(lambda page: _results_steps(page, results))


def _results_steps(page, results):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(results)
    shot(page, "badges-results")
    seals = page.locator("table.results svg.seal")
    assert seals.count() == 7
    box = seals.first.bounding_box()
    assert 38 <= box["height"] <= 42 and 30 <= box["width"] <= 36
    # One symbol per badge of the conference, used by every row.
    assert page.locator("svg symbol").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Results Reproduced: 1").click()
    assert page.locator("table.results tbody tr").count() == 1
    page.get_by_role("link", name="#3 Tensor compilers").click()
    page.get_by_role("heading", name="#3 Tensor compilers").wait_for()
    assert page.locator("figure svg.seal").count() == 3
    shot(page, "badges-paper")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(results)
    shot(page, "badges-results-mobile")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("table.results thead").is_hidden()


def test_the_artifact_page_offers_the_stamped_pdf(in_browser):
    world = af.artifact_world(status="published", badges=("available", "functional", "reproduced"))
    award(world.artifact, "available", "reproduced", refuse=("functional",))
    final_pdf(world.artifact.submission)
    stamp = services.request_stamp(world.artifact, actor=world.ae_chair)
    services.run_stamp(stamp)
    chair = world.ae_chair
    chair.set_password(factories.PASSWORD)
    chair.save()
    detail = reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    in_browser(lambda page: _section_steps(page, chair.email, detail))


def _section_steps(page, email, detail):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, email)
    page.goto(detail)
    section = page.locator("#badges")
    section.get_by_text("Not awarded").wait_for()
    assert section.locator("svg.seal").count() == 3
    assert section.get_by_role("link", name="Download the stamped PDF").is_visible()
    shot(page, "badges-artifact-section")
