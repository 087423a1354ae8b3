"""store_file → submissions.process_file → apply_report, end to end with real PDFs, and the
permission-checked download of stored versions."""

import pytest
from django.conf import settings
from django.urls import reverse

from mlsys.core.models import AuditEvent
from submissions import enums, pipeline
from submissions.models import SubmissionFile
from submissions.tasks import process_file
from tests.submissions import pdfs
from tests.submissions.pipeline_helpers import upload

pytestmark = pytest.mark.django_db


def test_good_upload_is_checked_and_becomes_current(submission, django_capture_on_commit_callbacks):
    stored = upload(submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks)

    assert stored.check_status == enums.CheckStatus.PASSED
    assert stored.pages == 3
    assert stored.pages_before_references == 2
    assert stored.sha256 and stored.size == len(pdfs.paper(pages=2))
    assert stored.content_type == "application/pdf"
    assert "Overlapping Communication" in stored.text
    assert "text" not in stored.report
    assert stored.report["metrics"]["columns"] == 2
    assert stored.checked_at is not None
    assert submission.current_paper == stored
    event = AuditEvent.objects.get(action="submissions.file_checked")
    assert event.changes["current_paper"] == [None, stored.pk]


@pytest.mark.parametrize(
    "build",
    [pdfs.truncated, pdfs.content_bomb, pdfs.encrypted_user_password, pdfs.page_tree_loop],
    ids=["truncated", "bomb", "encrypted", "loop"],
)
def test_hostile_upload_never_replaces_the_good_version(
    submission, django_capture_on_commit_callbacks, build
):
    good = upload(submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks)
    bad = upload(submission, build(), django_capture_on_commit_callbacks)

    assert bad.check_status == enums.CheckStatus.INVALID
    assert bad.report["valid"] is False
    assert bad.report["errors"][0]["message"]
    assert submission.current_paper == good
    assert SubmissionFile.objects.filter(submission=submission).count() == 2


def test_anonymity_leak_fails_but_stays_usable(submission, django_capture_on_commit_callbacks):
    ada = ("Ada Lovelace", "Analytical Engines Ltd", "ada.lovelace@engines.example")
    stored = upload(
        submission, pdfs.paper(pages=2, authors=(ada,)), django_capture_on_commit_callbacks
    )

    assert stored.check_status == enums.CheckStatus.FAILED
    assert {e["code"] for e in stored.report["errors"]} == {
        "anonymity_name",
        "anonymity_email",
        "anonymity_affiliation",
    }
    assert submission.current_paper == stored


def test_slow_check_of_an_older_upload_does_not_override_a_newer_one(
    submission, django_capture_on_commit_callbacks
):
    older = pipeline.store_file(
        submission=submission,
        kind=enums.FileKind.PAPER,
        name="v1.pdf",
        data_or_file=pdfs.paper(pages=2),
        uploaded_by=None,
    )
    newer = pipeline.store_file(
        submission=submission,
        kind=enums.FileKind.PAPER,
        name="v2.pdf",
        data_or_file=pdfs.paper(pages=3),
        uploaded_by=None,
    )
    process_file(file_id=newer.pk)
    process_file(file_id=older.pk)

    submission.refresh_from_db()
    assert submission.current_paper_id == newer.pk
    older.refresh_from_db()
    assert older.check_status == enums.CheckStatus.PASSED


def test_rerunning_the_task_gives_the_same_report_and_no_new_event(
    submission, django_capture_on_commit_callbacks
):
    stored = upload(submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks)
    first = (stored.report, stored.check_status, stored.checked_at)

    assert process_file(file_id=stored.pk) == "passed"
    stored.refresh_from_db()
    assert (stored.report, stored.check_status, stored.checked_at) == first
    assert AuditEvent.objects.filter(action="submissions.file_checked").count() == 1


def test_task_for_a_deleted_file_returns_quietly(db):
    assert process_file(file_id=987654) is None


def test_zip_supplement_is_stored_and_not_parsed(submission, django_capture_on_commit_callbacks):
    stored = upload(
        submission,
        b"PK\x03\x04" + bytes(100),
        django_capture_on_commit_callbacks,
        kind=enums.FileKind.SUPPLEMENT,
        name="code.zip",
    )

    assert stored.check_status == enums.CheckStatus.PASSED
    assert stored.content_type == "application/zip"
    assert stored.report["metrics"] == {"checked": False, "reason": "not a PDF"}
    assert submission.current_supplement == stored
    assert submission.current_paper is None


def test_file_checked_signal_is_sent_after_commit(submission, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, file, status, **kwargs):
        received.append((file.pk, status))

    pipeline.file_checked.connect(receiver)
    try:
        stored = upload(submission, pdfs.truncated(), django_capture_on_commit_callbacks)
    finally:
        pipeline.file_checked.disconnect(receiver)
    assert received == [(stored.pk, "invalid")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ada\\My Paper.pdf", "My Paper.pdf"),
        ("Über\u0000\x1b[31m papier\u202e.pdf", "Über[31m papier.pdf"),
        ("論文 final (v2).pdf", "論文 final (v2).pdf"),
        ("...", "paper.pdf"),
        ("", "paper.pdf"),
        ("x" * 400 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_store_file_sanitises_the_original_name(
    submission, django_capture_on_commit_callbacks, name, expected
):
    with django_capture_on_commit_callbacks(execute=False):
        stored = pipeline.store_file(
            submission=submission,
            kind=enums.FileKind.PAPER,
            name=name,
            data_or_file=b"%PDF-1.7\n",
            uploaded_by=None,
        )

    assert stored.original_name == expected
    assert ".." not in stored.file.name
    assert stored.file.name.startswith(f"submissions/{submission.conference_id}/{submission.pk}/")
    assert stored.check_status == enums.CheckStatus.PENDING


def _download_url(stored) -> str:
    return reverse("protected_file", kwargs={"kind": "submission-file", "pk": stored.pk})


def test_author_downloads_the_paper_under_its_original_name(
    client, submission, author, django_capture_on_commit_callbacks
):
    stored = upload(
        submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks, name="my paper.pdf"
    )
    client.force_login(author)

    response = client.get(_download_url(stored), {"download": 1})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdfs.paper(pages=2)
    assert response["Content-Disposition"] == 'attachment; filename="my paper.pdf"'


def test_a_pdf_opens_inline_and_anything_else_is_a_sandboxed_download(
    client, submission, author, django_capture_on_commit_callbacks
):
    paper = upload(submission, pdfs.paper(pages=1), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        other = pipeline.store_file(
            submission=submission,
            kind=enums.FileKind.SUPPLEMENT,
            name="notes.html",
            data_or_file=b"<script>alert(1)</script>",
            uploaded_by=None,
        )
    client.force_login(author)

    inline = client.get(_download_url(paper))
    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline")
    # The browser's PDF viewer refuses a sandbox: the PDF's policy only says who may frame it.
    assert "sandbox" not in inline["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    assert inline["X-Content-Type-Options"] == "nosniff"
    assert b"".join(inline.streaming_content).startswith(b"%PDF-")

    forced = client.get(_download_url(other))
    assert forced["Content-Disposition"].startswith("attachment")
    assert "sandbox" in forced["Content-Security-Policy"]
    assert b"".join(forced.streaming_content) == b"<script>alert(1)</script>"


@pytest.mark.parametrize("who", ["outsider", "ml_reviewer"])
def test_others_get_404_for_a_paper(
    request, client, submission, django_capture_on_commit_callbacks, who
):
    stored = upload(submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks)
    client.force_login(request.getfixturevalue(who))

    assert client.get(_download_url(stored)).status_code == 404


def test_anonymous_download_redirects_to_login_and_media_is_not_served(
    client, submission, django_capture_on_commit_callbacks
):
    stored = upload(submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks)

    response = client.get(_download_url(stored))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.get(settings.MEDIA_URL + stored.file.name).status_code == 404


def test_recording_the_same_report_again_sends_no_second_signal(
    submission, django_capture_on_commit_callbacks
):
    stored = upload(submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks)
    received = []

    def receiver(sender, file, status, **kwargs):
        received.append(status)

    pipeline.file_checked.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            process_file(file_id=stored.pk)
    finally:
        pipeline.file_checked.disconnect(receiver)
    assert received == []


def test_files_on_remote_storage_are_checked_from_a_temporary_copy(
    settings, submission, django_capture_on_commit_callbacks
):
    # S3-compatible storage has no local path; the task copies the object to a temp file.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    stored = upload(submission, pdfs.paper(pages=2), django_capture_on_commit_callbacks)

    assert stored.check_status == enums.CheckStatus.PASSED
    assert stored.pages and stored.text  # parsed: pages counted, text extracted
    assert submission.current_paper == stored
