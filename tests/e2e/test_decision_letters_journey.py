"""Release and letters in a real browser: the chair reads what a release touches and releases,
prepares the letters, previews one, sends them; the author reads the decision on the submission
page and downloads the letter PDF."""

import pytest
from django.core import mail
from django.urls import reverse

from decisions import services as decision_services
from decisions.outcomes import outcomes_of
from mlsys.mail.models import OutboundEmail
from tests import factories
from tests.decisions.letters.conftest import reviewed_paper
from tests.e2e.helpers import login, logout, shot

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_chair_releases_and_sends_letters_author_reads_the_decision(page, tmp_path):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    chair = factories.UserFactory(name="Chair Person", email="chair@example.org")
    factories.MembershipFactory(conference=conference, user=chair, role="program_chair")
    author = factories.UserFactory(name="Ada Author", email="ada@uni.example.edu")
    paper = reviewed_paper(conference, author, number=1)
    oral = outcomes_of(conference)[0]
    decision_services.record_decision(submission=paper, outcome=oral, actor=chair)
    slug = conference.slug

    login(page, chair.email)
    page.goto(reverse("decisions:release", kwargs={"conference": slug}))
    table = page.locator("#release-preview")
    assert "Accept (oral): 1" in table.inner_text()
    shot(page, "decisions-release-before")
    page.get_by_role("button", name="Release all pending decisions").click()
    report = page.locator("#release-report")
    report.wait_for()
    assert "Released 1 decision: Accept (oral) 1" in report.inner_text()

    page.get_by_role("link", name="Decision letters").first.click()
    page.get_by_role("button", name="Prepare letters").click()
    page.locator("#held-letters").wait_for()
    assert OutboundEmail.objects.filter(status="held").count() == 2
    page.get_by_role("link", name="Preview").first.click()
    body = page.locator("#letter-body").inner_text()
    assert "Decision: Accept (oral)" in body and "Reviewer A" in body
    assert "Rita" not in body and "SECRET-PC-ONLY" not in body
    shot(page, "decisions-letter-preview")
    page.get_by_role("link", name="← Decision letters").click()
    mail.outbox.clear()
    page.get_by_role("button", name="Send 2 held letters").click()
    page.get_by_text("Sending 2 letters.").wait_for()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@uni.example.edu", "bo1@uni.example.org"]
    logout(page)

    login(page, author.email)
    page.goto(reverse("submissions:detail", kwargs={"conference": slug, "number": 1}))
    card = page.locator("#decision")
    assert "Decision: Accept (oral)" in card.inner_text()
    assert "The committee liked the kernels." in card.inner_text()
    shot(page, "decisions-author-decision")
    with page.expect_download() as info:
        card.get_by_role("link", name="Download the decision letter (PDF)").click()
    saved = tmp_path / "letter.pdf"
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename == "decision-1.pdf"
