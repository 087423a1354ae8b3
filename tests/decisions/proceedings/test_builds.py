"""Booklet and ZIP builds: real files (pypdf reads the booklet), the ZIP's names and README, the
build's state machine (one at a time, stale builds abandoned, idempotent task), and the
protected download."""

import io
import zipfile
from datetime import timedelta

import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from decisions.models import ProceedingsBuild
from decisions.proceedings import booklet, services
from decisions.proceedings.tasks import build_proceedings
from mlsys.core import files
from mlsys.core.models import AuditEvent
from tests import factories


def _build(conference, chair, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        build = services.start_build(conference, kind=kind, actor=chair)
    build.refresh_from_db()
    return build


def test_booklet_is_a_real_pdf_with_cover_contents_and_entries(
    program, chair, badge_provider, django_capture_on_commit_callbacks
):
    build = _build(program.conference, chair, "booklet", django_capture_on_commit_callbacks)
    assert build.status == "ready", build.message
    assert (build.papers, build.missing) == (3, [])
    with build.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF") and build.size == len(data)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == build.pages >= 3
    cover, contents = (reader.pages[i].extract_text() for i in (0, 1))
    assert "MLSys 2027" in cover and "2027" in cover and "3 accepted papers" in cover
    assert "Contents" in contents and "Oral paper" in contents and "Industry paper" in contents
    text = "\n".join(page.extract_text() for page in reader.pages[2:])
    assert "Pending paper" not in text and "Rejected paper" not in text
    assert "Artifacts Available" in text and "Uni Example" in text
    assert "Accept (oral)" in text and "Compilers" in text


def test_booklet_contents_give_each_papers_page_number(program, conference):
    pdf = booklet.render(conference)
    reader = pypdf.PdfReader(io.BytesIO(pdf.pdf))
    contents = reader.pages[1].extract_text()
    entry_pages = {}
    for index, page in enumerate(reader.pages[2:], start=3):
        for title in ("Oral paper", "Poster paper", "Industry paper"):
            if title in page.extract_text():
                entry_pages.setdefault(title, index)
    for title, page_number in entry_pages.items():
        line = next(line for line in contents.splitlines() if title in line)
        assert line.rstrip().endswith(str(page_number)), (line, page_number)


def test_booklet_escapes_titles_and_abstracts(program, conference):
    source, _ = booklet.html(conference)
    assert "<script>alert(1)</script>" not in source
    assert "&lt;script&gt;" in source and "&lt;b&gt;bold&lt;/b&gt;" in source


def test_zip_holds_final_pdfs_by_number_and_a_readme_of_missing_ones(
    program, chair, django_capture_on_commit_callbacks
):
    build = _build(program.conference, chair, "zip", django_capture_on_commit_callbacks)
    assert build.status == "ready", build.message
    assert (build.papers, build.missing) == (3, [2])
    with build.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert archive.namelist() == ["mlsys2027-003.pdf", "mlsys2027-001.pdf", "README.txt"]
        pdf = archive.read("mlsys2027-003.pdf")
        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
        readme = archive.read("README.txt").decode()
    assert "#2  Industry paper" in readme and "Pending" not in readme


def test_a_second_build_of_a_kind_waits_for_the_first(program, chair):
    services.start_build(program.conference, kind="booklet", actor=chair)  # never run: queued
    with pytest.raises(services.BuildRefused, match="already being built"):
        services.start_build(program.conference, kind="booklet", actor=chair)
    services.start_build(program.conference, kind="zip", actor=chair)  # another kind may start
    assert AuditEvent.objects.filter(action="proceedings.build_started").count() == 2


def test_a_stale_build_is_abandoned_by_the_next_start(program, chair):
    old = services.start_build(program.conference, kind="booklet", actor=chair)
    ProceedingsBuild.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(hours=1)
    )
    services.start_build(program.conference, kind="booklet", actor=chair)
    old.refresh_from_db()
    assert old.status == "failed" and "Abandoned" in old.message
    # Its worker arriving late builds nothing.
    assert build_proceedings(build_id=old.pk) == "failed"
    old.refresh_from_db()
    assert not old.file


def test_the_task_is_idempotent_and_quiet_about_missing_builds(
    program, chair, django_capture_on_commit_callbacks
):
    build = _build(program.conference, chair, "zip", django_capture_on_commit_callbacks)
    name = build.file.name
    assert build_proceedings(build_id=build.pk) == "ready"
    build.refresh_from_db()
    assert build.file.name == name
    assert build_proceedings(build_id=999999) is None


def test_a_rebuild_replaces_the_older_file(program, chair, django_capture_on_commit_callbacks):
    first = _build(program.conference, chair, "zip", django_capture_on_commit_callbacks)
    storage, old_name = first.file.storage, first.file.name
    second = _build(program.conference, chair, "zip", django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert second.status == "ready" and not first.file and not storage.exists(old_name)
    assert first.status == "ready"  # the row stays, for the record


def test_a_failed_build_says_so(program, chair, monkeypatch, django_capture_on_commit_callbacks):
    def broken(conference):
        raise MemoryError

    monkeypatch.setattr(booklet, "render", broken)
    build = _build(program.conference, chair, "booklet", django_capture_on_commit_callbacks)
    assert build.status == "failed" and "MemoryError" in build.message
    assert AuditEvent.objects.filter(action="proceedings.build_finished").exists()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_only_chairs_start_builds(program, role, request):
    with pytest.raises(PermissionDenied):
        services.start_build(program.conference, kind="zip", actor=request.getfixturevalue(role))
    assert not ProceedingsBuild.objects.exists()


def test_the_built_file_downloads_for_chairs_only(
    client, program, chair, ml_reviewer, author, django_capture_on_commit_callbacks
):
    build = _build(program.conference, chair, "zip", django_capture_on_commit_callbacks)
    url = files.url_for("proceedings", build, download=True)
    client.force_login(chair)
    response = client.get(url)
    assert response.status_code == 200
    assert 'filename="mlsys2027-proceedings-final-pdfs.zip"' in response["Content-Disposition"]
    # Read to the end: the test client closes the file while keeping the database connection
    # (response.close() here would fire request_finished and close it on PostgreSQL).
    b"".join(response.streaming_content)
    for other in (ml_reviewer, author):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_a_conflicted_chair_builds_and_downloads_too(
    client, program, conflicted_chair, django_capture_on_commit_callbacks
):
    factories.ConflictFactory(submission=program.oral, user=conflicted_chair, state="confirmed")
    build = _build(program.conference, conflicted_chair, "zip", django_capture_on_commit_callbacks)
    client.force_login(conflicted_chair)
    response = client.get(files.url_for("proceedings", build, download=True))
    data = b"".join(response.streaming_content)  # read to the end: the client closes the file
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "mlsys2027-003.pdf" in archive.namelist()
    page = client.get(reverse("decisions:proceedings", kwargs={"conference": "mlsys2027"}))
    assert page.status_code == 200
