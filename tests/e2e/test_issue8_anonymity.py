"""Issue-8 anonymity journey in a real browser: an author uploads a PDF that names them and
reads an anonymity finding with its own label and hint; the assigned reviewer cannot download
it; a chair sees the paper flagged in the list and releases it (after confirming), and then the
reviewer can."""

import re

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from mlsys.core.models import AuditEvent
from tests import factories
from tests.e2e.helpers import login, logout, shot
from tests.reviews.reviewing_helpers import assign
from tests.submissions import pdfs

pytestmark = pytest.mark.e2e

ADA = ("Ada Author", "Uni of Examples", "ada@uni.example.edu")


def test_failing_anonymity_is_withheld_from_reviewers_until_a_chair_releases_it(
    page, live_server, tmp_path
):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    author = factories.UserFactory(name=ADA[0], email=ADA[2], affiliation=ADA[1])
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    reviewer = factories.UserFactory(name="Mia Learner", email="mia@example.org")
    factories.MembershipFactory(
        conference=conference, user=reviewer, role=enums.Role.PC_MEMBER, side=enums.Side.ML
    )
    submission = factories.SubmissionFactory(
        conference=conference,
        track=conference.tracks.get(slug="research"),
        number=1,
        title="Overlapping Communication",
        abstract="We overlap communication with computation.",
        status="draft",
        authors=[author],  # the contact author row: ADA's name, e-mail and affiliation
    )
    assign(submission, reviewer)
    leaky = tmp_path / "leaky.pdf"
    leaky.write_bytes(pdfs.paper(pages=2, authors=(ADA,)))

    # --- The author uploads a PDF that names them -------------------------------------------
    login(page, author.email)
    page.goto(submission.get_absolute_url())
    page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(leaky))
    page.get_by_role("button", name="Upload paper").click()
    report = page.locator("#check-report")
    report.get_by_role("heading", name="Anonymity findings").wait_for()
    assert "Names its authors (anonymity check failed)" in report.inner_text()
    assert "Violates the format spec" not in report.inner_text()
    findings = report.locator(".report-anonymity").inner_text()
    assert f"The author name “{ADA[0]}” appears in the text (page 1)." in findings
    assert "Remove these from the paper and upload it again" in report.inner_text()
    assert "Reviewers do not get this version" in report.inner_text()
    shot(page, "issue8-anonymity-01-author-report")
    submission.refresh_from_db()
    paper = submission.current_paper
    assert paper.anonymity_failed and submission.reviewer_paper_id is None
    copy_url = reverse("protected_file", kwargs={"kind": "review-copy", "pk": paper.pk})
    # The author may look at exactly what reviewers would get.
    assert page.request.get(copy_url).status == 200
    # Opened directly, the report is a whole page (title, landmarks), not a bare fragment.
    page.goto(reverse("submissions:report", kwargs={"conference": conference.slug, "number": 1}))
    assert page.title().startswith("Check report · #1 Overlapping Communication")
    page.get_by_role("main").get_by_role("heading", name="Check report of #1").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "issue8-anonymity-01b-report-page")
    logout(page)

    # --- The reviewer gets no PDF ----------------------------------------------------------
    review_url = reverse(
        "reviews:review", kwargs={"conference": conference.slug, "number": submission.number}
    )
    login(page, reviewer.email)
    page.goto(review_url)
    page.get_by_text("The PDF is withheld from reviewers").wait_for()
    assert page.get_by_role("link", name="Download the PDF").count() == 0
    assert page.request.get(copy_url).status == 404
    logout(page)

    # --- A chair sees the flag, confirms and releases ---------------------------------------
    login(page, chair.email)
    page.goto(reverse("submissions:chair_list", kwargs={"conference": conference.slug}))
    row = page.get_by_role("row", name=re.compile("Overlapping Communication"))
    row.get_by_text("withheld from reviewers").wait_for()
    assert "Names its authors" in row.inner_text()
    shot(page, "issue8-anonymity-02-chair-list")
    row.get_by_role("link", name="Overlapping Communication").click()
    page.get_by_text("withheld: the anonymity check failed").wait_for()
    release = page.get_by_role("button", name="Release to reviewers anyway")
    page.get_by_role("checkbox", name=re.compile("release it to its reviewers")).check()
    shot(page, "issue8-anonymity-03-chair-release")
    release.click()
    page.get_by_text("its reviewers can now download it").wait_for()
    assert AuditEvent.objects.filter(
        action="submissions.released_for_reviewers", actor=chair
    ).exists()
    logout(page)

    # --- Now the reviewer gets the released copy, under a banner that says so ---------------
    login(page, reviewer.email)
    page.goto(review_url)
    page.get_by_role("link", name="Download the PDF").wait_for()
    assert "The chairs released this PDF to reviewers" in page.content()
    assert page.request.get(copy_url).status == 200
    shot(page, "issue8-anonymity-04-reviewer")
