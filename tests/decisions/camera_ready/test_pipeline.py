"""Real PDFs through the whole pipeline as camera-ready uploads: checked against the
camera-ready page limit (the paper's plus the extra pages), never failed for naming the authors,
the paper check unchanged, and a failing upload never replacing the final version."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions.camera_ready import queries, services
from decisions.models import CameraReadyTrack
from submissions import tasks
from tests.submissions import pdfs

AUTHORS = (("Ada Author", "Uni of Examples", "ada@uni.example.edu"),)


def upload(paper, user, data, capture):
    with capture(execute=True):
        stored = services.upload_camera_ready(
            submission=paper,
            actor=user,
            upload=SimpleUploadedFile("final.pdf", data, content_type="application/pdf"),
        )
    stored.refresh_from_db()
    return stored


@pytest.fixture
def limit(paper):
    paper.track.page_limit = 4
    paper.track.save(update_fields=["page_limit"])
    return 4


def test_one_extra_page_passes_and_names_are_fine(
    paper, author, limit, django_capture_on_commit_callbacks
):
    stored = upload(
        paper, author, pdfs.paper(pages=5, authors=AUTHORS), django_capture_on_commit_callbacks
    )
    assert stored.check_status == "passed", stored.report
    assert not stored.anonymity_failed
    assert queries.final_pdf(paper) == stored


def test_two_extra_pages_fail_and_the_good_version_stays_final(
    paper, author, limit, django_capture_on_commit_callbacks
):
    good = upload(
        paper, author, pdfs.paper(pages=5, authors=AUTHORS), django_capture_on_commit_callbacks
    )
    bad = upload(
        paper, author, pdfs.paper(pages=6, authors=AUTHORS), django_capture_on_commit_callbacks
    )
    assert bad.check_status == "failed"
    assert [e["code"] for e in bad.report["errors"]] == ["page_limit"]
    assert "the limit is 5" in bad.report["errors"][0]["message"]
    assert queries.final_pdf(paper) == good
    assert paper.files.filter(kind="camera_ready").count() == 2


def test_the_chairs_extra_pages_setting_is_used(
    paper, author, limit, django_capture_on_commit_callbacks
):
    CameraReadyTrack.objects.create(track=paper.track, extra_pages=2)
    stored = upload(
        paper, author, pdfs.paper(pages=6, authors=AUTHORS), django_capture_on_commit_callbacks
    )
    assert stored.check_status == "passed", stored.report


def test_format_off_checks_only_the_page_count(paper, limit):
    CameraReadyTrack.objects.create(track=paper.track, extra_pages=1, same_format=False)
    stored = paper.files.create(kind="camera_ready", original_name="x.pdf", sha256="0", size=1)
    spec = tasks.spec_for(stored)
    assert spec.page_limit == 5
    assert spec.paper_size is None and spec.min_font_size is None
    assert not spec.is_anonymous


def test_the_paper_check_is_unchanged(paper, limit):
    stored = paper.files.create(kind="paper", original_name="x.pdf", sha256="0", size=1)
    spec = tasks.spec_for(stored)
    assert spec.page_limit == 4
    assert spec.is_anonymous
