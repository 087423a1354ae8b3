"""Uploads through the author pages and services, with real PDFs, up to submit and withdraw."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Phase, PhaseMode
from mlsys.core import files as core_files
from submissions import enums, services
from submissions.models import Submission, SubmissionFile
from tests import factories
from tests.submissions import pdfs
from tests.submissions.author_helpers import (
    a_second,
    fresh,
    move_deadline,
    pdf_upload,
    register,
    upload_checked,
    url,
)

pytestmark = pytest.mark.django_db

GOOD = {"pages": 2}
TOO_SMALL_FONT = {"pages": 2, "font_pt": 7}


def test_happy_journey_upload_fix_submit_receipt_withdraw(
    client, conference, author, django_capture_on_commit_callbacks
):
    bob = factories.UserFactory(name="Bob Builder", email="bob@lab.example.org")
    submission = register(conference, author, coauthors=[("Bob Builder", bob.email)])
    client.force_login(author)

    bad = pdfs.paper(**TOO_SMALL_FONT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("upload", conference, number=1, kind="paper"),
            {"file": SimpleUploadedFile("draft.pdf", bad, content_type="application/pdf")},
        )
    assert response.status_code == 302
    first = SubmissionFile.objects.get(submission=submission)
    assert first.check_status == enums.CheckStatus.FAILED
    page = client.get(url("detail", conference, number=1))
    assert "Violates the format spec" in page.text
    assert first.sha256 in page.text
    refused = client.post(url("change_status", conference, number=1), {"to": "submitted"})
    assert refused.status_code == 302
    assert Submission.objects.get().status == enums.Status.DRAFT

    good = pdfs.paper(**GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("upload", conference, number=1, kind="paper"),
            {"file": SimpleUploadedFile("final.pdf", good, content_type="application/pdf")},
        )
    submission.refresh_from_db()
    current = submission.current_paper
    assert current.original_name == "final.pdf"
    assert current.check_status in (enums.CheckStatus.PASSED, enums.CheckStatus.WARNINGS)
    assert SubmissionFile.objects.filter(submission=submission).count() == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("change_status", conference, number=1), {"to": "submitted"})
    submission.refresh_from_db()
    assert submission.status == enums.Status.SUBMITTED
    assert submission.submitted_at is not None
    [receipt] = mail.outbox
    assert sorted(receipt.to) == sorted([author.email, bob.email])
    assert receipt.subject == "[MLSYS2027] #1 submitted"
    assert current.sha256 in receipt.body
    assert f"Pages:     {current.pages}" in receipt.body

    newer = pdfs.paper(pages=3)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("upload", conference, number=1, kind="paper"),
            {"file": SimpleUploadedFile("final-v2.pdf", newer, content_type="application/pdf")},
        )
    submission.refresh_from_db()
    assert submission.current_paper.original_name == "final-v2.pdf"
    assert mail.outbox[-1].subject == "[MLSYS2027] #1 updated with a new PDF"
    assert submission.current_paper.sha256 in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("change_status", conference, number=1),
            {"to": "withdrawn", "reason": "Found a bug in the evaluation."},
        )
    submission.refresh_from_db()
    assert submission.status == enums.Status.WITHDRAWN
    assert mail.outbox[-1].subject == "[MLSYS2027] #1 withdrawn"


def test_report_fragment_polls_while_pending_and_stops_when_done(
    client, conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    client.force_login(author)
    services.upload_paper(
        submission=submission, actor=author, upload=pdf_upload(pdfs.paper(**GOOD))
    )
    pending = client.get(url("report", conference, number=1))
    assert 'hx-trigger="every 1s"' in pending.text
    assert "queued for its check, which will run shortly" in pending.text
    SubmissionFile.objects.all().delete()
    upload_checked(
        submission, author, pdfs.paper(**GOOD), capture=django_capture_on_commit_callbacks
    )
    done = client.get(url("report", conference, number=1))
    assert "hx-trigger" not in done.text
    assert "this is the version that counts" in done.text


def test_second_upload_while_the_first_is_pending_is_queued_as_the_next_version(
    client, conference, author
):
    """Co-authors uploading at once: the second is no longer refused ("still being checked"),
    it is stored and its check queued behind the first; only a fourth waiting version is."""
    bob = factories.UserFactory(name="Bob Builder", email="bob@lab.example.org")
    submission = register(conference, author, coauthors=[("Bob Builder", bob.email)])
    services.upload_paper(
        submission=submission, actor=author, upload=pdf_upload(pdfs.paper(**GOOD))
    )
    client.force_login(bob)
    response = client.post(
        url("upload", conference, number=1, kind="paper"),
        {"file": pdf_upload(pdfs.paper(**GOOD), "again.pdf")},
    )
    assert response.status_code == 302
    assert SubmissionFile.objects.filter(check_status=enums.CheckStatus.PENDING).count() == 2
    page = client.get(response.url)
    assert "Its check is queued after 1 earlier version still waiting" in page.text
    assert "once checked, the newest version becomes the current one" in page.text

    services.upload_paper(submission=submission, actor=author, upload=pdf_upload(pdfs.paper()))
    refused = client.post(
        url("upload", conference, number=1, kind="paper"),
        {"file": pdf_upload(pdfs.paper(**GOOD), "fourth.pdf")},
    )
    assert refused.status_code == 400
    assert "3 earlier versions of this paper are still waiting for their check" in refused.text
    assert "and at most 3 may wait at a time." in refused.text
    assert "The server has 3 checks queued, which take a few minutes" in refused.text
    assert SubmissionFile.objects.count() == 3


def test_upload_one_second_after_deadline_is_refused_and_previous_kept(
    conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    first = upload_checked(
        submission, author, pdfs.paper(**GOOD), capture=django_capture_on_commit_callbacks
    )
    deadline = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    move_deadline(conference, DeadlineKind.SUBMISSION, deadline)
    with pytest.raises(ValidationError) as info:
        services.upload_paper(
            submission=submission,
            actor=author,
            upload=pdf_upload(pdfs.paper(pages=3)),
            now=deadline + a_second(),
        )
    assert info.value.message_dict["file"] == [
        "The submission deadline has passed; uploads are closed."
    ]
    submission.refresh_from_db()
    assert submission.current_paper == first
    assert SubmissionFile.objects.count() == 1
    accepted = services.upload_paper(
        submission=submission,
        actor=author,
        upload=pdf_upload(pdfs.paper(pages=3)),
        now=deadline - a_second(),
    )
    assert accepted.pk != first.pk


def test_upload_after_the_chairs_closed_submissions_early_says_so(
    conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    first = upload_checked(
        submission, author, pdfs.paper(**GOOD), capture=django_capture_on_commit_callbacks
    )
    factories.PhaseSettingFactory(
        conference=conference, phase=Phase.SUBMISSION, mode=PhaseMode.CLOSED
    )
    conference.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.upload_paper(
            submission=Submission.objects.get(pk=submission.pk),
            actor=author,
            upload=pdf_upload(pdfs.paper(pages=3)),
        )
    assert info.value.message_dict["file"] == [
        "The chairs have closed submissions; uploads are closed."
    ]
    submission.refresh_from_db()
    assert submission.current_paper == first


def test_grace_period_is_honoured_to_the_second(conference, author):
    submission = register(conference, author)
    conference.submission_grace_minutes = 30
    conference.save()
    deadline = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    move_deadline(conference, DeadlineKind.SUBMISSION, deadline)
    stored = services.upload_paper(
        submission=submission, actor=author, upload=pdf_upload(pdfs.paper(**GOOD))
    )
    assert stored.submission_id == submission.pk
    with pytest.raises(ValidationError, match="uploads are closed"):
        services.upload_paper(
            submission=submission,
            actor=author,
            upload=pdf_upload(pdfs.paper(pages=3)),
            now=deadline + timedelta(minutes=30) + a_second(),
        )


def test_upload_after_deadline_through_the_page_is_refused(client, conference, author):
    register(conference, author)
    move_deadline(conference, DeadlineKind.SUBMISSION, timezone.now() - a_second())
    client.force_login(author)
    response = client.post(
        url("upload", conference, number=1, kind="paper"), {"file": pdf_upload(pdfs.paper())}
    )
    assert response.status_code == 400
    assert "uploads are closed" in response.text
    assert not SubmissionFile.objects.exists()


def test_upload_over_the_size_limit_is_refused_with_the_limit(client, conference, author):
    submission = register(conference, author)
    track = submission.track
    track.max_paper_mb = 1
    track.save()
    client.force_login(author)
    data = b"%PDF-1.7\n" + b"0" * (1024 * 1024)
    response = client.post(
        url("upload", conference, number=1, kind="paper"), {"file": pdf_upload(data)}
    )
    assert response.status_code == 400
    assert "The PDF is 1.0 MB; the Research track accepts at most 1 MB." in response.text
    assert not SubmissionFile.objects.exists()


def test_non_pdf_upload_is_refused(client, conference, author):
    register(conference, author)
    client.force_login(author)
    response = client.post(
        url("upload", conference, number=1, kind="paper"),
        {"file": pdf_upload(pdfs.NOT_A_PDF, "paper.pdf")},
    )
    assert response.status_code == 400
    assert "This is not a PDF file (it does not start with %PDF-)." in response.text
    assert not SubmissionFile.objects.exists()


def test_supplement_must_be_zip_or_pdf(conference, author):
    submission = register(conference, author)
    with pytest.raises(ValidationError, match="ZIP archive or a PDF"):
        services.upload_supplement(
            submission=submission, actor=author, upload=pdf_upload(b"hello", "data.txt")
        )
    stored = services.upload_supplement(
        submission=submission,
        actor=author,
        upload=pdf_upload(b"PK\x05\x06" + bytes(18), "code.zip"),
    )
    assert stored.kind == enums.FileKind.SUPPLEMENT


def test_filename_with_path_separators_is_cleaned(conference, author):
    submission = register(conference, author)
    upload = pdf_upload(pdfs.paper(**GOOD))
    upload._name = "../../etc/C:\\Users\\ada\\my paper.pdf"
    stored = services.upload_paper(submission=submission, actor=author, upload=upload)
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    assert ".." not in stored.file.name
    assert stored.file.name.startswith(f"submissions/{conference.pk}/{submission.pk}/paper/")


def test_submit_with_format_errors_is_refused_only_when_the_track_blocks(
    conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    upload_checked(
        submission, author, pdfs.paper(**TOO_SMALL_FONT), capture=django_capture_on_commit_callbacks
    )
    assert submission.current_paper.check_status == enums.CheckStatus.FAILED
    with pytest.raises(ValidationError, match="a PDF without format errors"):
        services.change_status(submission=submission, actor=author, to="submitted")
    track = submission.track
    track.format_errors_block = False
    track.save()
    submission = Submission.objects.get(pk=submission.pk)
    services.change_status(submission=submission, actor=author, to="submitted")
    assert Submission.objects.get().status == enums.Status.SUBMITTED


@pytest.mark.parametrize("who", ["outsider", "ml_reviewer", "other_author"])
def test_others_cannot_upload_or_download(
    client, conference, author, who, request, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    stored = upload_checked(
        submission, author, pdfs.paper(**GOOD), capture=django_capture_on_commit_callbacks
    )
    if who == "other_author":
        user = factories.UserFactory(email="other@uni.example.org")
        register(fresh(conference), user, title="Another paper")
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    download = core_files.url_for("submission-file", stored)
    assert client.get(download).status_code == 404
    response = client.post(
        url("upload", conference, number=1, kind="paper"), {"file": pdf_upload(pdfs.paper())}
    )
    assert response.status_code == 404
    assert SubmissionFile.objects.filter(submission=submission).count() == 1
    client.force_login(author)
    response = client.get(download)
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200
    assert body == pdfs.paper(**GOOD)
