"""Issue 13's "Done when" in a real browser, the parts a person sees: an author uploads while the
broker is down and is told the file is safe and the check will follow; the sweep brings the
check once the broker is back and the report arrives without a reload; two more versions sent
at once are both kept, the second queued behind the first, and the newest counts. A chair then
finds a failed email on the outbox, reads the server's error and resends it after confirming.
The pages pass axe-core (no serious or critical violation) under the Content-Security-Policy
the shared ``page`` fixture enforces.
"""

import re

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from mlsys.mail.models import OutboundEmail
from submissions import pipeline
from submissions.enums import CheckStatus
from submissions.models import SubmissionFile
from submissions.tasks import process_file, sweep_checks
from tests import broker, factories
from tests.e2e.axe import assert_no_problems, axe_problems, require_axe
from tests.e2e.helpers import DeferredWorker, login, logout, mark_page, same_page, shot, write_file
from tests.submissions import pdfs
from tests.submissions.author_helpers import register

pytestmark = pytest.mark.e2e


def test_uploads_survive_a_broker_outage_and_a_chair_resends_failed_mail(
    page, live_server, monkeypatch, tmp_path
):
    require_axe()
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    author = factories.UserFactory(name="Ada Author", email="ada@uni.example.edu")
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    submission = register(conference, author)
    versions = [write_file(tmp_path, f"v{n}.pdf", pdfs.paper(pages=n + 1)) for n in (1, 2, 3)]

    # --- Redis is down when the author uploads: the file is kept, the check will follow -----
    login(page, author.email)
    page.goto(reverse("submissions:detail", args=[conference.slug, submission.number]))
    report = page.locator("#check-report")
    with broker.outage(monkeypatch):
        page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(versions[0]))
        page.get_by_role("button", name="Upload paper").click()
        page.get_by_text("your file is safely stored and its check will run").wait_for()
        report.get_by_text("The checker cannot be reached right now").wait_for()
    shot(page, "issue13-01-broker-down")
    assert_no_problems(axe_problems(page, "paper page, check waiting for the broker"))
    first = SubmissionFile.objects.get(submission=submission)
    assert (first.check_status, first.check_queued_at) == (CheckStatus.PENDING, None)

    # --- The broker is back: the beat's sweep queues the check; the report arrives by itself -
    mark_page(page)
    assert sweep_checks() == 1
    report.get_by_text("this is the version that counts").wait_for()
    assert same_page(page), "the check report must arrive without reloading the page"
    first.refresh_from_db()
    assert first.check_status in (CheckStatus.PASSED, CheckStatus.WARNINGS)
    # The finished report refreshes the version list and status (htmx, out of band) while the
    # author picks the next file at once: the choice must survive that refresh.

    # --- Two versions sent at once: both kept, the second queued behind the first -----------
    worker = DeferredWorker(process_file)
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_enqueue", lambda file_id: worker.enqueue(file_id=file_id))
        page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(versions[1]))
        page.get_by_role("button", name="Upload paper").click()
        page.get_by_text("Its check is queued and will run shortly").wait_for()
        page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(versions[2]))
        page.get_by_role("button", name="Upload paper").click()
        page.get_by_text("Its check is queued after 1 earlier version still waiting").wait_for()
        shot(page, "issue13-02-queued-behind")
        assert worker.run() == 2
    report.get_by_text("this is the version that counts").wait_for()
    submission.refresh_from_db()
    assert submission.current_paper.original_name == "v3.pdf"
    assert submission.files.count() == 3
    logout(page)

    # --- A chair finds the failed email, reads why, and resends it after confirming ----------
    failed = OutboundEmail.objects.create(
        conference=conference,
        to=["bob@lab.example.org"],
        subject="Your co-authored paper #1 was registered",
        body="…",
        status=OutboundEmail.Status.FAILED,
        attempts=1,
        last_error="SMTPRecipientsRefused: bob@lab.example.org: 550 5.1.1 no such user",
    )
    login(page, chair.email)
    page.goto(conference.get_absolute_url())
    page.get_by_role("link", name="Outbox").first.click()
    page.get_by_role("heading", name="Failed, held and retrying").wait_for()
    row = page.locator(f"#email-{failed.pk}")
    assert "550 5.1.1 no such user" in row.inner_text()
    shot(page, "issue13-03-outbox")
    assert_no_problems(axe_problems(page, "chair's outbox"))
    row.get_by_role("link", name="Resend…").click()
    page.get_by_role("heading", name="Resend this email?").wait_for()
    assert "bob@lab.example.org" in page.locator("#resend-list").inner_text()
    failed.refresh_from_db()
    assert failed.status == OutboundEmail.Status.FAILED, "nothing is resent before confirming"
    page.get_by_role("button", name="Resend this email").click()
    page.get_by_role("heading", name="Failed, held and retrying").wait_for()
    failed.refresh_from_db()
    assert failed.status != OutboundEmail.Status.FAILED
