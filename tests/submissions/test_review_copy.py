"""The anonymised review copy: written by the checker process for papers of anonymous tracks,
served to reviewers instead of the original, never falling back to the original there."""

import io
import os

import pypdf
import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from pypdf.generic import DecodedStreamObject, NameObject

from mlsys.conferences.enums import Anonymity
from mlsys.core.models import AuditEvent
from submissions import enums
from submissions.models import SubmissionFile
from submissions.pdfcheck import run_isolated
from submissions.tasks import process_file
from tests import factories
from tests.reviews.reviewing_helpers import assign, login
from tests.submissions import pdfs
from tests.submissions.pipeline_helpers import make_submission, upload

pytestmark = pytest.mark.django_db

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Ada Lovelace</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def _xmp_stream(writer: pypdf.PdfWriter):
    stream = DecodedStreamObject()
    stream.set_data(XMP)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return writer._add_object(stream)


def leaky_paper() -> bytes:
    """A 2-page WeasyPrint paper with /Author, /Creator and /Subject naming Ada, and XMP
    naming her on the catalog and on the first page."""
    data = pdfs.with_metadata(
        pdfs.paper(pages=2),
        Author="Ada Lovelace",
        Creator="LaTeX with ada-lovelace.sty",
        Subject="Analytical Engines Ltd",
        Keywords="lovelace",
    )
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.root_object[NameObject("/Metadata")] = _xmp_stream(writer)
    writer.pages[0][NameObject("/Metadata")] = _xmp_stream(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def _texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in _reader(data).pages]


def _url(kind: str, stored) -> str:
    return reverse("protected_file", kwargs={"kind": kind, "pk": stored.pk})


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _paper(conference, author, capture, data: bytes, *, track="research"):
    submission = make_submission(conference, author, track=track)
    return upload(submission, data, capture)


def test_leaky_paper_fixture_really_leaks():
    original = _reader(leaky_paper())
    assert original.metadata["/Author"] == "Ada Lovelace"
    assert "/Metadata" in original.trailer["/Root"] and "/Metadata" in original.pages[0]
    assert b"Ada Lovelace" in leaky_paper()


def test_double_blind_reviewer_gets_a_copy_without_author_metadata(
    client, conference, author, ml_reviewer, django_capture_on_commit_callbacks
):
    stored = _paper(conference, author, django_capture_on_commit_callbacks, leaky_paper())
    assert stored.submission.track.anonymity == Anonymity.DOUBLE_BLIND
    assert stored.submission.current_paper_id == stored.pk
    assert stored.review_copy.name == (
        f"submissions/{conference.pk}/{stored.submission_id}/review-copy/{stored.pk}.pdf"
    )
    assign(stored.submission, ml_reviewer)
    login(client, ml_reviewer)

    response = client.get(_url("review-copy", stored))
    assert response.status_code == 200
    served = _body(response)
    copy = _reader(served)
    assert copy.metadata is None  # no /Author, /Creator, /Producer, /Subject, /Keywords
    assert "/Metadata" not in copy.trailer["/Root"]
    assert all("/Metadata" not in page for page in copy.pages)
    for secret in (b"Ada", b"Lovelace", b"lovelace", b"Analytical Engines", b"xpacket"):
        assert secret not in served
    assert len(copy.pages) == len(_reader(leaky_paper()).pages) == 3
    assert _texts(served) == _texts(leaky_paper())
    disposition = response["Content-Disposition"]
    assert f"submission-{stored.submission.number}-v{stored.pk}.pdf" in disposition


def test_the_authors_own_download_is_the_untouched_original(
    client, conference, author, django_capture_on_commit_callbacks
):
    stored = _paper(conference, author, django_capture_on_commit_callbacks, leaky_paper())
    assert stored.review_copy
    client.force_login(author)
    response = client.get(_url("submission-file", stored))
    assert response.status_code == 200
    assert _body(response) == leaky_paper()


def test_open_track_serves_the_original_and_makes_no_copy(
    client, conference, author, ml_reviewer, django_capture_on_commit_callbacks
):
    conference.tracks.filter(slug="industry").update(anonymity=Anonymity.OPEN)
    stored = _paper(
        conference, author, django_capture_on_commit_callbacks, leaky_paper(), track="industry"
    )
    assert stored.check_status == enums.CheckStatus.PASSED
    assert not stored.review_copy
    assign(stored.submission, ml_reviewer)
    login(client, ml_reviewer)
    response = client.get(_url("review-copy", stored))
    assert response.status_code == 200
    assert _body(response) == leaky_paper()


@pytest.mark.parametrize("track", ["research", "industry"])
def test_anonymous_track_without_a_copy_answers_404_not_the_original(
    client, conference, author, ml_reviewer, chair, track
):
    submission = make_submission(conference, author, track=track)
    assert submission.track.is_anonymous
    stored = factories.SubmissionFileFactory(submission=submission)
    submission.current_paper = stored
    submission.save(update_fields=["current_paper"])
    assign(submission, ml_reviewer)
    for user in (ml_reviewer, chair):
        login(client, user)
        assert client.get(_url("review-copy", stored)).status_code == 404
        client.logout()


def test_rerunning_the_check_rewrites_the_same_copy_and_records_nothing_new(
    conference, author, django_capture_on_commit_callbacks
):
    stored = _paper(conference, author, django_capture_on_commit_callbacks, leaky_paper())
    name = stored.review_copy.name
    storage = stored.review_copy.storage
    assert isinstance(storage, FileSystemStorage)
    os.remove(storage.path(name))  # a lost copy comes back on the next run
    events = AuditEvent.objects.count()

    # The /Author leak is only in places the reviewers' copy leaves out: a warning.
    assert stored.check_status == enums.CheckStatus.WARNINGS
    assert process_file(file_id=stored.pk) == "warnings"

    stored.refresh_from_db()
    assert stored.review_copy.name == name
    assert os.listdir(os.path.dirname(storage.path(name))) == [f"{stored.pk}.pdf"]
    with stored.review_copy.open("rb") as handle:
        assert _reader(handle.read()).metadata is None
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "build",
    [
        pdfs.content_bomb,
        pdfs.xmp_bomb,
        pdfs.page_tree_loop,
        pdfs.javascript_open_action,
        pdfs.encrypted_user_password,
        pdfs.truncated,
    ],
)
def test_hostile_pdf_never_produces_a_copy(
    client, conference, author, ml_reviewer, django_capture_on_commit_callbacks, build
):
    stored = _paper(conference, author, django_capture_on_commit_callbacks, build())
    assert stored.check_status == enums.CheckStatus.INVALID
    assert not stored.review_copy
    storage = SubmissionFile._meta.get_field("review_copy").storage
    assert not storage.exists(f"submissions/{conference.pk}/{stored.submission_id}/review-copy")
    assign(stored.submission, ml_reviewer)
    login(client, ml_reviewer)
    assert client.get(_url("review-copy", stored)).status_code == 404


def test_copy_the_checker_cannot_write_is_a_warning_not_a_failed_check(tmp_path):
    source = tmp_path / "paper.pdf"
    source.write_bytes(leaky_paper())
    report = run_isolated(source, copy_to=tmp_path / "no-such-dir" / "copy.pdf")
    assert report["valid"] is True and report["errors"] == []
    assert [w["code"] for w in report["warnings"]] == ["review_copy"]
    assert report["pages"] == 3


def test_copy_the_storage_refuses_is_a_warning_and_the_paper_stays_current(
    conference, author, django_capture_on_commit_callbacks, monkeypatch
):
    save = FileSystemStorage.save

    def refuse_copies(storage, name, *args, **kwargs):
        if "/review-copy/" in name:
            raise OSError(28, "No space left on device")
        return save(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", refuse_copies)
    stored = _paper(conference, author, django_capture_on_commit_callbacks, pdfs.paper(pages=2))
    assert stored.check_status == enums.CheckStatus.WARNINGS
    assert [w["code"] for w in stored.report["warnings"]] == ["review_copy"]
    assert not stored.review_copy
    assert stored.submission.current_paper_id == stored.pk
