"""The results pages and the artifact page's badges section in a real browser (Chromium): the
seals are drawn (from the page's one set of symbols), sized as meant, and nothing overflows.
Screenshots of each step go to tests.e2e.helpers.SHOTS for people to look at."""

import pytest
from django.urls import reverse

from artifacts.badges import services
from tests import factories
from tests.artifacts.badges.conftest import award, final_pdf, published_artifact
from tests.e2e.helpers import login, shot
from tests.factories import artifacts as af

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_results_pages_draw_the_seals(page):
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
    _results_steps(page, results)


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


def test_the_artifact_page_offers_the_stamped_pdf(page):
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
    _section_steps(page, chair.email, detail)


def _section_steps(page, email, detail):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, email)
    page.goto(detail)
    section = page.locator("#badges")
    section.get_by_text("Not awarded").wait_for()
    assert section.locator("svg.seal").count() == 3
    assert section.get_by_role("link", name="Download the stamped PDF").is_visible()
    shot(page, "badges-artifact-section")
