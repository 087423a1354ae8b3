"""Issue-8 submissions journey in a real browser: an author whose new upload names them reads
which version reviewers keep getting, and the reviewers' copy link serves that version; a chair
reads the submissions list at 1280 px with pill-shaped check badges and the Reviews column in
view."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences import enums
from tests import factories
from tests.e2e.helpers import login, logout, shot
from tests.submissions import pdfs

pytestmark = pytest.mark.e2e

ADA = ("Ada Author", "Uni of Examples", "ada@uni.example.edu")
NAMED = {"errors": [{"code": "anonymity_text", "message": "Names Ada."}], "warnings": []}


def _upload(page, path) -> None:
    page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(path))
    page.get_by_role("button", name="Upload paper").click()
    page.locator("#check-report").get_by_text(path.name).wait_for()
    page.locator("#check-report").get_by_text("Checking…").wait_for(state="detached")


def _named_paper(conference, author, number: int, title: str, *, older: bool) -> None:
    submission = factories.SubmissionFactory(
        conference=conference, number=number, title=title, authors=[author]
    )
    if older:
        submission.reviewer_paper = factories.SubmissionFileFactory(submission=submission)
    submission.current_paper = factories.SubmissionFileFactory(
        submission=submission,
        check_status="failed",
        anonymity_failed=True,
        report=NAMED,
        created_at=timezone.now(),
    )
    submission.save()


def test_author_sees_which_version_reviewers_get_and_chair_list_fits(page, tmp_path):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    author = factories.UserFactory(name=ADA[0], email=ADA[2], affiliation=ADA[1])
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    submission = factories.SubmissionFactory(
        conference=conference,
        track=conference.tracks.get(slug="research"),
        number=1,
        title="Overlapping Communication",
        abstract="We overlap communication with computation.",
        status="submitted",
        authors=[author],  # the contact author row: ADA's name, e-mail and affiliation
    )
    good, named = tmp_path / "good.pdf", tmp_path / "named.pdf"
    good.write_bytes(pdfs.paper(pages=2))
    named.write_bytes(pdfs.paper(pages=2, authors=(ADA,)))

    # --- The author replaces a passing version with one that names them ---------------------
    login(page, author.email)
    page.goto(submission.get_absolute_url())
    _upload(page, good)
    _upload(page, named)
    report = page.locator("#check-report")
    report.get_by_text("Reviewers keep getting v1 (good.pdf)").first.wait_for()
    text = " ".join(report.inner_text().split())
    assert "this is the version that counts" not in text
    assert (
        "Reviewers keep getting v1 (good.pdf), the last version that passed the anonymity "
        "check; this newer one names its authors." in text
    )
    submission.refresh_from_db()
    first = submission.reviewer_paper
    assert first.original_name == "good.pdf" and submission.current_paper.original_name == (
        "named.pdf"
    )
    link = report.get_by_role("link", name=re.compile("Download the reviewers' copy"))
    copy_url = reverse("protected_file", kwargs={"kind": "review-copy", "pk": first.pk})
    assert link.get_attribute("href") == f"{copy_url}?download=1"
    page.goto(submission.get_absolute_url())
    versions = page.locator("table.versions-paper")
    assert versions.get_by_role("columnheader", name="Reviewers get").count() == 1
    rows = versions.locator("tbody tr")
    assert " ".join(rows.nth(1).inner_text().split()).endswith("no Yes")
    shot(page, "issue8-submissions-01-author-versions")
    logout(page)

    # --- The chair's list at 1280 px --------------------------------------------------------
    _named_paper(conference, author, 2, "Sparse attention kernels on many GPUs", older=True)
    _named_paper(conference, author, 3, "A compiler for mixture-of-experts inference", older=False)
    _named_paper(conference, author, 4, "Scheduling training jobs under power caps", older=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, chair.email)
    page.goto(reverse("submissions:chair_list", kwargs={"conference": conference.slug}))
    page.get_by_role("link", name="Reviews and discussion of #1").wait_for()
    shot(page, "issue8-submissions-02-chair-list-1280")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    for n in range(1, 5):
        link = page.get_by_role("link", name=f"Reviews and discussion of #{n}")
        assert link.evaluate("e => e.firstChild.textContent") == "Reviews"
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280
    badges = page.locator("table.chair-list .badge.anonymity-flag, table.chair-list td .badge.err")
    assert badges.count() >= 6
    for i in range(badges.count()):
        badge = badges.nth(i)
        # The text stays inside its badge, and a wrapped badge is a rounded box, not a circle.
        assert badge.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        radius = badge.evaluate("e => parseFloat(getComputedStyle(e).borderTopLeftRadius)")
        box = badge.bounding_box()
        if box["height"] > 30:  # wrapped onto more lines
            assert radius < box["height"] / 2 - 4
