"""Author pages and receipts tell honestly which version reviewers get: the reviewers' copy link
serves ``Submission.reviewer_paper`` (never a version withheld for naming its authors), the
versions table marks it, anonymity failures are not called format failures, and a PDF-update
receipt has no empty "Reason" line."""

import re

import pytest
from django.urls import reverse

from mlsys.mail.models import OutboundEmail
from submissions import enums
from submissions.models import Submission
from tests.submissions import pdfs
from tests.submissions.pipeline_helpers import upload

pytestmark = pytest.mark.django_db

ADA = ("Ada Lovelace", "Analytical Engines Ltd", "ada.lovelace@engines.example")


def leaky() -> bytes:
    return pdfs.paper(pages=2, authors=(ADA,))


def anonymous() -> bytes:
    return pdfs.paper(pages=2)


def _copy_url(stored) -> str:
    url = reverse("protected_file", kwargs={"kind": "review-copy", "pk": stored.pk})
    return f"{url}?download=1"


def _report_url(submission) -> str:
    return reverse(
        "submissions:report",
        kwargs={"conference": submission.conference.slug, "number": submission.number},
    )


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _versions_rows(html: str) -> list[str]:
    table = html.split('<table class="versions versions-paper">', 1)[1].split("</table>", 1)[0]
    return [_text(row) for row in table.split("<tr")[2:]]


def test_only_failing_version_offers_no_reviewers_copy(
    client, submission, author, django_capture_on_commit_callbacks
):
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks)
    assert bad.review_copy and submission.reviewer_paper_id is None
    client.force_login(author)
    for url in (submission.get_absolute_url(), _report_url(submission)):
        page = client.get(url)
        assert page.status_code == 200
        assert _copy_url(bad) not in page.text
        assert "Download the reviewers' copy" not in page.text
        assert "They get no PDF until a version passes the anonymity check." in page.text
    rows = _versions_rows(client.get(submission.get_absolute_url()).text)
    assert len(rows) == 1 and rows[0].endswith("Yes no")


def test_after_a_failing_upload_the_link_serves_the_version_reviewers_get(
    client, submission, author, django_capture_on_commit_callbacks
):
    good = upload(submission, anonymous(), django_capture_on_commit_callbacks, name="good.pdf")
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks, name="named.pdf")
    assert (submission.current_paper_id, submission.reviewer_paper_id) == (bad.pk, good.pk)
    client.force_login(author)
    for url in (submission.get_absolute_url(), _report_url(submission)):
        page = client.get(url)
        text = _text(page.text)
        assert _copy_url(bad) not in page.text
        assert _copy_url(good) in page.text
        assert "this is the version that counts" not in text
        assert "the current version, but reviewers keep getting v1 (good.pdf)" in text
        assert (
            "Reviewers keep getting v1 (good.pdf), the last version that passed the anonymity "
            "check; this newer one names its authors." in text
        )
    rows = _versions_rows(client.get(submission.get_absolute_url()).text)
    assert "v2 named.pdf" in rows[0] and rows[0].endswith("Yes no")
    assert "v1 good.pdf" in rows[1] and rows[1].endswith("no Yes")


def test_a_passing_version_counts_and_reviewers_get_it(
    client, submission, author, django_capture_on_commit_callbacks
):
    good = upload(submission, anonymous(), django_capture_on_commit_callbacks)
    client.force_login(author)
    page = client.get(submission.get_absolute_url())
    text = _text(page.text)
    assert "this is the version that counts" in text
    assert "Reviewers get this version." in text
    assert _copy_url(good) in page.text
    assert _versions_rows(page.text)[0].endswith("Yes Yes")


def test_update_receipt_names_the_anonymity_failure_and_has_no_empty_reason(
    submission, django_capture_on_commit_callbacks
):
    upload(submission, anonymous(), django_capture_on_commit_callbacks)
    Submission.objects.filter(pk=submission.pk).update(status=enums.Status.SUBMITTED)
    upload(submission, leaky(), django_capture_on_commit_callbacks, name="named.pdf")
    receipt = OutboundEmail.objects.get(template_key="submissions.receipt")
    assert receipt.subject == "[MLSYS2027] #1 updated with a new PDF"
    assert "Check:     Names its authors (anonymity check failed) (" in receipt.body
    assert "format" not in receipt.body
    assert "Reason" not in receipt.body
    assert "Status:  Submitted\n\nPaper PDF: named.pdf\n" in receipt.body


def test_withdrawal_receipt_keeps_its_reason(submission, author):
    from submissions import services

    Submission.objects.filter(pk=submission.pk).update(status=enums.Status.SUBMITTED)
    submission.refresh_from_db()
    services.change_status(
        submission=submission, actor=author, to=enums.Status.WITHDRAWN, reason="Wrong results."
    )
    receipt = OutboundEmail.objects.get(template_key="submissions.receipt")
    assert "Status:  Withdrawn\nReason:  Wrong results.\n\nPaper PDF: none\n" in receipt.body


def test_report_says_what_the_copy_leaves_out_once(
    client, submission, author, django_capture_on_commit_callbacks
):
    upload(submission, pdfs.hidden_identities(), django_capture_on_commit_callbacks)
    client.force_login(author)
    page = client.get(_report_url(submission))
    text = _text(page.text)
    section = text.split("Left out of the reviewers' copy", 1)[1].split("Measurements", 1)[0]
    assert "leaves this out" not in section
    assert "Left out:" not in section
    assert section.count("document info (title, author, creator, producer…)") == 1
    assert section.count("Lovelace") >= 1
