"""Issue-3 journey in a real browser: an author registers a paper with a co-author, uploads a
PDF that leaks their identity, watches the check report arrive without reloading, fixes it with
a new version, submits, gets the receipt, withdraws; then a chair searches and filters the list.
"""

import re

import pytest
from django.core import mail

from mlsys.conferences import enums
from mlsys.mail.models import OutboundEmail
from submissions import pipeline
from submissions.enums import CheckStatus, Status
from submissions.models import Submission
from submissions.services import missing_requirements
from submissions.tasks import process_file
from tests import factories
from tests.e2e.helpers import DeferredWorker, login, logout, mark_page, same_page, shot, write_file
from tests.submissions import pdfs

pytestmark = pytest.mark.e2e

TITLE = "Overlapping Communication and Computation in Tensor Compilers"
ABSTRACT = "We overlap communication with computation in a tensor compiler and train faster."
ADA = ("Ada Author", "Uni of Examples", "ada@uni.example.edu")
BOB = ("Bob Builder", "Systems Lab", "bob@lab.example.org")


def test_author_submits_fixes_and_withdraws_then_chair_filters(
    page, live_server, monkeypatch, tmp_path
):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    author = factories.UserFactory(name=ADA[0], email=ADA[2], affiliation=ADA[1])
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    # The leaky version prints both authors' names, affiliations and emails under the title.
    leaky = write_file(tmp_path, "leaky.pdf", pdfs.paper(pages=2, authors=(ADA, BOB)))
    anonymous = write_file(tmp_path, "anonymous.pdf", pdfs.paper(pages=2))

    # --- The author registers a submission with a co-author on the real form ---------------
    login(page, author.email)
    page.goto(conference.get_absolute_url())
    page.get_by_role("navigation", name="MLSYS2027").get_by_role(
        "link", name="Submit a paper"
    ).click()
    page.get_by_role("heading", name="Register a new submission").wait_for()
    page.get_by_role("radio", name="Research").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(re.compile(r"^Title")).fill(TITLE)
    page.get_by_label(re.compile(r"^Abstract")).fill(ABSTRACT)
    page.get_by_role("checkbox", name="Compilers").check()
    page.get_by_role("checkbox", name="Deep learning").check()
    # Row 1 is pre-filled with the submitter; the co-author goes into row 2.
    assert page.get_by_label("Email of author 1").input_value() == author.email
    page.get_by_label("Name of author 2").fill(BOB[0])
    page.get_by_label("Email of author 2").fill(BOB[2])
    page.get_by_label("Affiliation of author 2").fill(BOB[1])
    shot(page, "submission-01-create-form")
    page.get_by_role("button", name="Register submission").click()

    page.get_by_role("heading", name=f"#1 {TITLE}").wait_for()
    submission = Submission.objects.get(conference=conference)
    assert submission.status == Status.DRAFT
    assert list(submission.authors.order_by("order").values_list("name", "email")) == [
        (ADA[0], ADA[2]),
        (BOB[0], BOB[2]),
    ]
    assert sorted(submission.topics.values_list("name", flat=True)) == [
        "Compilers",
        "Deep learning",
    ]
    assert "registered as a draft" in page.get_by_role("status").first.inner_text()

    # --- Upload a PDF that names its authors; the report arrives without a reload -----------
    # The test thread plays the Celery worker, so the page first shows the check as running.
    worker = DeferredWorker(process_file)
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_enqueue", lambda file_id: worker.enqueue(file_id=file_id))
        page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(leaky))
        page.get_by_role("button", name="Upload paper").click()
        report = page.locator("#check-report")
        report.get_by_text("queued for its check").wait_for()
        shot(page, "submission-02-checking")
        mark_page(page)
        assert worker.run() == 1
    report.get_by_role("heading", name="Anonymity findings").wait_for()
    assert same_page(page), "the check report must arrive without reloading the page"
    # The version list and the status section follow the report, still without a reload.
    page.locator("#files-section").get_by_role(
        "cell", name="Names its authors (anonymity check failed)"
    ).wait_for()
    assert same_page(page)
    shot(page, "submission-03-leak-report")
    findings = report.locator(".report-anonymity").inner_text()
    assert f"The author name “{ADA[0]}” appears in the text (page 1)." in findings
    assert f"The author e-mail “{BOB[2]}” appears in the text (page 1)." in findings
    first = submission.files.get()
    assert first.check_status == CheckStatus.FAILED
    # The leaky version counts for now, and it cannot be submitted (the track blocks errors).
    submission.refresh_from_db()
    assert submission.current_paper == first
    assert (
        "a PDF that does not name its authors (see the anonymity findings in the check report)"
        in missing_requirements(submission)
    )
    assert page.get_by_role("button", name="Submit", exact=True).is_disabled()

    # --- Fix it with an anonymous version (checked eagerly, as without a broker) -------------
    page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(anonymous))
    page.get_by_role("button", name="Upload paper").click()
    report.get_by_text("this is the version that counts").wait_for()
    submission.refresh_from_db()
    good = submission.current_paper
    assert good.original_name == "anonymous.pdf"
    assert good.check_status in (CheckStatus.PASSED, CheckStatus.WARNINGS)
    assert submission.files.count() == 2  # the leaky version is kept in the history
    versions = page.locator("table.versions-paper tbody tr")
    assert versions.count() == 2
    assert good.sha256 in versions.nth(0).inner_text()
    assert first.sha256 in versions.nth(1).inner_text()
    shot(page, "submission-04-fixed")

    # --- Submit: a receipt with the PDF's SHA-256 reaches every author ----------------------
    mail.outbox.clear()
    page.get_by_role("button", name="Submit", exact=True).click()
    page.get_by_text("is now submitted").wait_for()
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert submission.submitted_at is not None
    [receipt] = mail.outbox
    assert sorted(receipt.to) == sorted([ADA[2], BOB[2]])
    assert receipt.subject == "[MLSYS2027] #1 submitted"
    assert good.sha256 in receipt.body
    outbound = OutboundEmail.objects.get(
        template_key="submissions.receipt", subject=receipt.subject
    )
    assert outbound.status == OutboundEmail.Status.SENT

    # --- Withdraw with a reason ---------------------------------------------------------------
    page.get_by_label("Reason for withdrawing (required)").fill("Found a bug in the evaluation.")
    page.get_by_role("button", name="Withdraw").click()
    page.get_by_text("is now withdrawn").wait_for()
    submission.refresh_from_db()
    assert submission.status == Status.WITHDRAWN
    assert submission.status_reason == "Found a bug in the evaluation."
    withdrawn = mail.outbox[-1]
    assert withdrawn.subject == "[MLSYS2027] #1 withdrawn"
    assert sorted(withdrawn.to) == sorted([ADA[2], BOB[2]])
    assert "Found a bug in the evaluation." in withdrawn.body
    shot(page, "submission-05-withdrawn")
    logout(page)

    # --- A chair sees every submission, searches by title and filters by status --------------
    for title in ("Sparse Attention Kernels", "Federated Optimizers at Scale"):
        factories.SubmissionFactory(
            conference=conference,
            track=conference.tracks.get(slug="industry"),
            number=Submission.objects.filter(conference=conference).count() + 1,
            title=title,
        )
    login(page, chair.email)
    page.goto(conference.get_absolute_url())
    page.get_by_role("navigation", name="MLSYS2027").get_by_role(
        "link", name="Submissions", exact=True
    ).click()
    page.get_by_role("heading", name="Submissions", level=1).wait_for()
    table = page.locator("table.chair-list")
    assert page.get_by_role("heading", name="3 submissions").is_visible()
    assert _titles(table) == [TITLE, "Sparse Attention Kernels", "Federated Optimizers at Scale"]
    shot(page, "submission-06-chair-list")

    page.get_by_role("searchbox", name="Search").fill("sparse attention")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.get_by_role("heading", name="1 submission", exact=True).wait_for()
    assert _titles(table) == ["Sparse Attention Kernels"]

    page.get_by_role("link", name="Clear").click()
    page.get_by_role("heading", name="3 submissions").wait_for()
    page.get_by_label("Status", exact=True).select_option(label="Withdrawn")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.get_by_role("heading", name="1 submission", exact=True).wait_for()
    assert _titles(table) == [TITLE]
    assert "Withdrawn" in table.locator("tbody tr").first.inner_text()
    assert "status=withdrawn" in page.url
    shot(page, "submission-07-chair-filtered")


def _titles(table) -> list[str]:
    return [t.strip() for t in table.locator("tbody th[scope=row] a").all_inner_texts()]
