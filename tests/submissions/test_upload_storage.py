"""Uploads meet a real full disk: a clear answer, nothing half-written left behind, the previous
version still current; and every stored file gets mode 0640, however Django buffered it.

The full disk is a real one: a tmpfs of 1 MiB mounted for the test and made the media storage
(``mount`` needs root, which CI's container has; elsewhere these tests are skipped, saying so).
"""

import logging
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from submissions import enums
from submissions.models import Submission, SubmissionFile
from tests import tmpfs
from tests.submissions import pdfs
from tests.submissions.author_helpers import pdf_upload, register, url

pytestmark = pytest.mark.django_db(transaction=True)

KB = 1024
#: Larger than the free space left on the tiny disk, smaller than any size limit.
UPLOAD_BYTES = 400 * KB


def _storages(location: Path) -> dict:
    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


@pytest.fixture
def tiny_disk(tmp_path):
    """A mounted 1 MiB tmpfs used as the media storage; unmounted afterwards."""
    with (
        tmpfs.mounted(tmp_path / "disk") as mount_point,
        override_settings(STORAGES=_storages(mount_point)),
    ):
        yield mount_point


def _fill(disk: Path, *, leave: int) -> None:
    """Write a filler file until only about ``leave`` bytes are free."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(disk / "filler", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))


def _files_under(root: Path) -> dict[str, int]:
    return {
        str(path.relative_to(root)): path.stat().st_size
        for path in root.rglob("*")
        if path.is_file() and path.name != "filler"
    }


def _big_pdf() -> bytes:
    """A real PDF followed by padding (readers ignore what follows %%EOF), UPLOAD_BYTES long."""
    data = pdfs.paper(pages=2)
    return data + b"\n%" + os.urandom(UPLOAD_BYTES - len(data) - 2)


@pytest.fixture
def pipeline_log():
    """The records the pipeline logs (its own handler: an eager Celery task run earlier in the
    test may have re-wired the root logger pytest's caplog listens on)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("submissions.pipeline")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.fixture
def upload_temp_dir(tmp_path):
    """Where Django buffers uploads over FILE_UPLOAD_MAX_MEMORY_SIZE (a temporary file each)."""
    path = tmp_path / "upload-temp"
    path.mkdir()
    return path


# Both ways Django hands an upload over: in memory (streamed into the storage) and as a
# temporary file (moved, or copied across filesystems, into the storage).
BUFFERS = {
    "in-memory": {},
    "temporary-file": {"FILE_UPLOAD_MAX_MEMORY_SIZE": 64 * KB},
}


@pytest.mark.parametrize("buffer", BUFFERS, ids=list(BUFFERS))
def test_disk_full_upload_says_so_keeps_the_previous_version_and_leaves_nothing(
    client, conference, author, tiny_disk, upload_temp_dir, buffer, pipeline_log
):
    submission = register(conference, author)
    client.force_login(author)
    first = client.post(
        url("upload", conference, number=1, kind="paper"),
        {"file": pdf_upload(pdfs.paper(pages=2), "first.pdf")},
    )
    assert first.status_code == 302
    previous = SubmissionFile.objects.get()
    assert previous.check_status == enums.CheckStatus.PASSED
    kept = _files_under(tiny_disk)
    _fill(tiny_disk, leave=64 * KB)

    with override_settings(FILE_UPLOAD_TEMP_DIR=str(upload_temp_dir), **BUFFERS[buffer]):
        response = client.post(
            url("upload", conference, number=1, kind="paper"),
            {"file": pdf_upload(_big_pdf(), "second.pdf")},
        )

    assert response.status_code == 503
    assert "The server could not store your file (its disk is full)" in response.text
    assert "your previous version is unchanged" in response.text
    assert any(
        r.levelno == logging.ERROR and "Storing an upload for submission" in r.getMessage()
        for r in pipeline_log
    )
    assert list(SubmissionFile.objects.all()) == [previous]
    assert Submission.objects.get(pk=submission.pk).current_paper_id == previous.pk
    assert _files_under(tiny_disk) == kept, "a partial upload was left in the storage"
    assert list(upload_temp_dir.iterdir()) == [], "Django's temporary upload file was left"


def test_disk_full_upload_through_the_api_answers_503_in_the_error_shape(
    client, conference, author, tiny_disk
):
    register(conference, author)
    client.force_login(author)
    _fill(tiny_disk, leave=64 * KB)

    response = client.post(
        f"/api/v1/conferences/{conference.slug}/submissions/1/files/",
        {"kind": "paper", "file": pdf_upload(_big_pdf())},
    )

    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "storage_unavailable"
    assert error["message"].startswith("The server could not store your file (its disk is full)")
    assert not SubmissionFile.objects.exists()
    assert _files_under(tiny_disk) == {}


@pytest.mark.parametrize("buffer", BUFFERS, ids=list(BUFFERS))
def test_stored_uploads_get_mode_0640_and_no_temporary_file_stays(
    client, conference, author, upload_temp_dir, buffer
):
    register(conference, author)
    client.force_login(author)

    with override_settings(FILE_UPLOAD_TEMP_DIR=str(upload_temp_dir), **BUFFERS[buffer]):
        response = client.post(
            url("upload", conference, number=1, kind="paper"),
            {"file": pdf_upload(_big_pdf(), f"{uuid.uuid4().hex}.pdf")},
        )

    assert response.status_code == 302
    stored = SubmissionFile.objects.get()
    assert oct(os.stat(stored.file.path).st_mode & 0o777) == oct(0o640)
    assert stored.size == UPLOAD_BYTES
    assert list(upload_temp_dir.iterdir()) == []
