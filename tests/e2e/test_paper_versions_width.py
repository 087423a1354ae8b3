"""A paper's versions at common widths: an author's versions table and a chair's file cards fit
a 1280 px window even when a file name joins its words with underscores (the name had no place
to wrap and pushed the table's right-hand columns — check, counts, what reviewers get — out of
view); on a phone (390 px) the table scrolls in its own box, not the page, and the keyboard
reaches it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences import enums
from tests import factories
from tests.e2e.helpers import login, logout, shot

pytestmark = pytest.mark.e2e

LONG_NAME = (
    "mlsys2027_camera_ready_final_version_energy_aware_on_device_fine_tuning_at_scale_"
    "with_appendix_v3.pdf"
)
#: What the browser says about the page's width and about each table wrapper and file card.
WIDTHS = """() => ({
  page: document.scrollingElement.scrollWidth, window: window.innerWidth,
  boxes: [...document.querySelectorAll(".table-wrap, .file-version")].map((e) => ({
    what: (e.querySelector("table") || e).className, scroll: e.scrollWidth, client: e.clientWidth,
    reachable: e.tabIndex >= 0 || !!e.querySelector("a[href], button, input, select, textarea"),
  })),
})"""


def _paper():
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    author = factories.UserFactory(name="Noah Gao", email="noah.gao@tensorloom.example")
    chair = factories.UserFactory(name="Chen Singh", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    paper = factories.SubmissionFactory(
        conference=conference,
        number=23,
        title="Towards Energy-Aware on-Device Fine-Tuning at Scale",
        status="submitted",
        authors=[author],
    )
    first = factories.SubmissionFileFactory(
        submission=paper, original_name="draft.pdf", uploaded_by=author
    )
    current = factories.SubmissionFileFactory(
        submission=paper, original_name=LONG_NAME, uploaded_by=author, created_at=timezone.now()
    )
    paper.reviewer_paper, paper.current_paper = first, current
    paper.save(update_fields=["reviewer_paper", "current_paper"])
    return paper, author, chair


def _assert_fits(page, name: str) -> None:
    widths = page.evaluate(WIDTHS)
    shot(page, name)
    assert widths["page"] <= widths["window"], widths
    wide = [box for box in widths["boxes"] if box["scroll"] > box["client"] + 1]
    assert not wide, f"scrolls sideways at {widths['window']} px: {wide}"


def test_versions_fit_1280_and_scroll_in_their_box_on_a_phone(page):
    paper, author, chair = _paper()
    author_url = paper.get_absolute_url()
    chair_url = reverse(
        "submissions:chair_detail",
        kwargs={"conference": paper.conference.slug, "number": paper.number},
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, author.email)
    page.goto(author_url)
    page.locator("table.versions-paper").get_by_text("draft.pdf").wait_for()
    assert "{#" not in page.locator("main").inner_text()
    _assert_fits(page, "paper-versions-author-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(author_url)
    widths = page.evaluate(WIDTHS)
    shot(page, "paper-versions-author-390")
    assert widths["page"] <= widths["window"], widths
    versions = next(box for box in widths["boxes"] if "versions-paper" in box["what"])
    assert versions["scroll"] > versions["client"], "the table is squeezed instead of scrolling"
    assert versions["reachable"], versions
    logout(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, chair.email)
    page.goto(chair_url)
    page.locator(".file-version").get_by_text(LONG_NAME).first.wait_for()
    _assert_fits(page, "paper-versions-chair-1280")
