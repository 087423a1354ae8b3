"""An upload that the server cannot even receive (its temporary space is full, or cannot be
written) answers 503 with a clear message, not a 500, and changes nothing.

Django parses a multipart body before any view runs: a file over FILE_UPLOAD_MAX_MEMORY_SIZE is
written to a temporary file in FILE_UPLOAD_TEMP_DIR, and for a browser's form the CSRF check is
what first reads the body. The full disk is a real one: a 1 MiB tmpfs mounted for the test and
made FILE_UPLOAD_TEMP_DIR (``mount`` needs root, which CI's container has; elsewhere these tests
are skipped, saying so), and the upload a real PDF of 3 MiB, above the 2 MiB kept in memory.
"""

import errno
import io
import logging
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from submissions import enums
from submissions.models import Submission, SubmissionFile
from tests import raw_wsgi, tmpfs
from tests.submissions import pdfs
from tests.submissions.author_helpers import pdf_upload, register, url

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024


@pytest.fixture
def full_temp_dir(tmp_path):
    """A mounted 1 MiB tmpfs made FILE_UPLOAD_TEMP_DIR; unmounted afterwards."""
    with (
        tmpfs.mounted(tmp_path / "upload-temp") as mount_point,
        override_settings(FILE_UPLOAD_TEMP_DIR=str(mount_point)),
    ):
        yield mount_point


@pytest.fixture
def upload_log():
    """The records the upload guard logs (its own handler: an eager Celery task run earlier in
    the test may have re-wired the root logger pytest's caplog listens on)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("mlsys.core.uploads")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def _big_pdf() -> bytes:
    """A real PDF followed by padding (readers ignore what follows %%EOF), 3 MiB long: above
    FILE_UPLOAD_MAX_MEMORY_SIZE, so Django buffers it in a temporary file."""
    data = pdfs.paper(pages=2)
    size = 3 * MB
    assert size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    return data + b"\n%" + os.urandom(size - len(data) - 2)


def _browser(author) -> Client:
    """A client that sends the CSRF token as a browser does (the check reads the body first)."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    return browser


def _post_with_token(browser: Client, conference, data: dict):
    browser.get(url("detail", conference, number=1))
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    return browser.post(
        url("upload", conference, number=1, kind="paper"),
        {"csrfmiddlewaretoken": token, **data},
    )


@pytest.fixture
def previous(conference, author):
    """A submission whose first version was uploaded and passed its check."""
    submission = register(conference, author)
    browser = _browser(author)
    first = _post_with_token(browser, conference, {"file": pdf_upload(pdfs.paper(pages=2))})
    assert first.status_code == 302
    stored = SubmissionFile.objects.get()
    assert stored.check_status == enums.CheckStatus.PASSED
    assert Submission.objects.get(pk=submission.pk).current_paper_id == stored.pk
    return stored


def _assert_unchanged(previous: SubmissionFile) -> None:
    assert list(SubmissionFile.objects.all()) == [previous]
    assert Submission.objects.get(pk=previous.submission_id).current_paper_id == previous.pk
    with previous.file.open("rb") as handle:
        assert handle.read() == pdfs.paper(pages=2)


def _post_from_browser(conference, author, data: dict):
    return _post_with_token(_browser(author), conference, data)


def _post_without_csrf_check(conference, author, data: dict):
    client = Client()
    client.force_login(author)
    return client.post(url("upload", conference, number=1, kind="paper"), data)


# Who reads the body first: the CSRF check (a browser's form), or the view itself (the CSRF
# check skipped, as the test client does, or a csrf_exempt view).
READERS = {"csrf-check": _post_from_browser, "view": _post_without_csrf_check}


@pytest.mark.parametrize("post", READERS.values(), ids=list(READERS))
def test_full_temporary_space_answers_503_page_and_changes_nothing(
    conference, author, previous, full_temp_dir, upload_log, post
):
    response = post(conference, author, {"file": pdf_upload(_big_pdf(), "second.pdf")})

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    text = response.text
    assert "The server could not receive your file: its temporary space is full." in text
    assert "Nothing was changed: your previous version, if any, is kept." in text
    assert "Please try again later: the error has been logged for the administrators." in text
    assert 'class="site-header"' in text and "Log out" in text, "not the site's own page"
    [record] = [r for r in upload_log if r.levelno == logging.ERROR]
    message = record.getMessage()
    assert str(full_temp_dir) in message
    assert f"errno {errno.ENOSPC}" in message
    _assert_unchanged(previous)
    assert list(full_temp_dir.iterdir()) == [], "the partial temporary file was left"


def test_full_temporary_space_through_the_api_answers_503_in_the_error_shape(
    client, conference, author, previous, full_temp_dir, upload_log
):
    client.force_login(author)

    response = client.post(
        f"/api/v1/conferences/{conference.slug}/submissions/1/files/",
        {"kind": "paper", "file": pdf_upload(_big_pdf())},
    )

    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "upload_not_received"
    assert error["message"].startswith(
        "The server could not receive your file: its temporary space is full. Nothing was changed"
    )
    assert any(r.levelno == logging.ERROR for r in upload_log)
    _assert_unchanged(previous)
    assert list(full_temp_dir.iterdir()) == []


def test_unwritable_temporary_directory_answers_503_saying_it_could_not_be_written(
    conference, author, previous, tmp_path, upload_log
):
    missing = tmp_path / "removed-temp-dir"

    with override_settings(FILE_UPLOAD_TEMP_DIR=str(missing)):
        response = _post_from_browser(
            conference, author, {"file": pdf_upload(_big_pdf(), "second.pdf")}
        )

    assert response.status_code == 503
    assert "its temporary space could not be written" in response.text
    [record] = [r for r in upload_log if r.levelno == logging.ERROR]
    assert str(missing) in record.getMessage()
    assert f"errno {errno.ENOENT}" in record.getMessage()
    _assert_unchanged(previous)
    assert not Path(missing).exists()


def test_upload_with_room_goes_through_the_guard(conference, author, previous, tmp_path):
    """The guard answers only for a failed temporary file: a 3 MiB upload with room is stored."""
    temp_dir = tmp_path / "upload-temp"
    temp_dir.mkdir()
    big = _big_pdf()

    with override_settings(FILE_UPLOAD_TEMP_DIR=str(temp_dir)):
        response = _post_from_browser(conference, author, {"file": pdf_upload(big, "second.pdf")})

    assert response.status_code == 302
    assert SubmissionFile.objects.count() == 2
    assert SubmissionFile.objects.latest("pk").size == len(big)
    assert list(temp_dir.iterdir()) == []


class HangsUp(io.RawIOBase):
    """A request body whose client goes away after the first bytes."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    def readable(self):
        return True

    def readinto(self, buffer):
        if not self.head:
            raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")
        n = min(len(buffer), len(self.head))
        buffer[:n] = self.head[:n]
        self.head = self.head[n:]
        return n


def test_a_client_hanging_up_mid_upload_is_not_taken_for_a_full_disk(db, upload_log):
    """Django reports it as UnreadablePostError, an OSError too: the CSRF check still refuses
    the empty form (403) as it did before the guard, no 503, no 500, nothing logged."""
    head = (
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="paper.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + pdfs.paper(pages=1)[:500]
    )
    status, _headers, _text = raw_wsgi.post(
        "/c/mlsys2027/submissions/1/upload/paper/",
        io.BufferedReader(HangsUp(head)),
        length=3 * MB,
    )

    assert status == 403
    assert upload_log == []
