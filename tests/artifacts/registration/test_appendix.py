"""The artifact appendix through the real PDF pipeline (WeasyPrint PDFs): within the page
limit it becomes the artifact's appendix; over it the upload fails and the earlier good one
stays; downloads only for those who see the artifact."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from artifacts.models import Artifact
from artifacts.registration import appendix
from mlsys.core import files
from tests import factories
from tests.submissions import pdfs

pytestmark = pytest.mark.django_db


def upload(artifact, user, data, capture, name="appendix.pdf"):
    with capture(execute=True):
        stored = appendix.upload_appendix(
            artifact=artifact,
            actor=user,
            upload=SimpleUploadedFile(name, data, content_type="application/pdf"),
        )
    stored.refresh_from_db()
    return stored


def test_within_the_limit_then_over_it(world, django_capture_on_commit_callbacks):
    good = upload(
        world.artifact,
        world.author,
        pdfs.paper(pages=3, references=False),
        django_capture_on_commit_callbacks,
    )
    assert good.check_status == "passed", good.report
    assert Artifact.objects.get(pk=world.artifact.pk).appendix == good
    bad = upload(
        world.artifact,
        world.author,
        pdfs.paper(pages=6, references=False),
        django_capture_on_commit_callbacks,
    )
    assert bad.check_status == "failed"
    assert [e["code"] for e in bad.report["errors"]] == ["page_limit"]
    assert Artifact.objects.get(pk=world.artifact.pk).appendix == good
    assert world.artifact.submission.files.filter(kind="artifact_appendix").count() == 2


def test_the_limit_is_the_conferences(world, django_capture_on_commit_callbacks):
    world.conference.ae_settings.appendix_page_limit = 8
    world.conference.ae_settings.save()
    stored = upload(
        world.artifact,
        world.author,
        pdfs.paper(pages=6, references=False),
        django_capture_on_commit_callbacks,
    )
    assert stored.check_status == "passed", stored.report


def test_names_in_the_appendix_are_fine(world, django_capture_on_commit_callbacks):
    world.artifact.submission.track.anonymity = "double_blind"
    world.artifact.submission.track.save()
    stored = upload(
        world.artifact,
        world.author,
        pdfs.paper(pages=2, references=False, authors=(("Ada Author", "Uni", "ada@x.example"),)),
        django_capture_on_commit_callbacks,
    )
    assert stored.check_status == "passed", stored.report
    assert not stored.anonymity_failed


def test_a_broken_pdf_is_invalid_and_never_used(world, django_capture_on_commit_callbacks):
    stored = upload(
        world.artifact, world.author, pdfs.truncated(), django_capture_on_commit_callbacks
    )
    assert stored.check_status == "invalid"
    assert Artifact.objects.get(pk=world.artifact.pk).appendix is None


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"PK\x03\x04zip", "not a PDF")],
)
def test_refused_uploads_store_nothing(world, data, message):
    with pytest.raises(ValidationError, match=message):
        appendix.upload_appendix(
            artifact=world.artifact,
            actor=world.author,
            upload=SimpleUploadedFile("a.pdf", data),
        )
    assert not world.artifact.submission.files.exists()


@pytest.mark.parametrize("who", ["evaluator_a", "ae_chair", "outsider", "conflicted_ae_chair"])
def test_only_authors_upload(world, who):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        appendix.upload_appendix(
            artifact=world.artifact,
            actor=getattr(world, who),
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n"),
        )


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("author", 200),
        ("evaluator_a", 200),
        ("ae_chair", 200),
        ("other_evaluator", 404),
        ("conflicted_ae_chair", 404),
        ("outsider", 404),
    ],
)
def test_download_follows_the_artifact(world, client, who, code):
    from tests import factories as f

    stored = f.SubmissionFileFactory(submission=world.artifact.submission, kind="artifact_appendix")
    client.force_login(getattr(world, who))
    response = client.get(files.url_for("artifact-appendix", stored))
    assert response.status_code == code
    response.close()  # a served file stays open until the response is closed


def test_a_paper_pdf_is_not_served_as_an_appendix(world, client):
    from tests import factories as f

    paper_file = f.SubmissionFileFactory(submission=world.artifact.submission, kind="paper")
    client.force_login(world.author)
    assert client.get(files.url_for("artifact-appendix", paper_file)).status_code == 404


def test_report_fragment_and_page(world, client, django_capture_on_commit_callbacks):
    upload(
        world.artifact,
        world.author,
        pdfs.paper(pages=6, references=False),
        django_capture_on_commit_callbacks,
    )
    client.force_login(world.author)
    number = world.artifact.submission.number
    fragment = client.get(f"/c/{world.conference.slug}/artifacts/{number}/appendix/")
    assert fragment.status_code == 200
    assert "not used: there is no appendix that passed yet" in fragment.content.decode()
    client.force_login(world.outsider)
    assert client.get(f"/c/{world.conference.slug}/artifacts/{number}/appendix/").status_code == 404


def test_an_upload_while_the_previous_is_checked_queues_behind_it(world):
    factories.SubmissionFileFactory(
        submission=world.artifact.submission, kind="artifact_appendix", check_status="pending"
    )
    upload_file = SimpleUploadedFile("appendix.pdf", pdfs.paper(pages=1, references=False))
    stored = appendix.upload_appendix(
        artifact=world.artifact, actor=world.author, upload=upload_file
    )
    assert stored.check_status == "pending"
    for _ in range(2):
        factories.SubmissionFileFactory(
            submission=world.artifact.submission, kind="artifact_appendix", check_status="pending"
        )
    with pytest.raises(ValidationError) as refused:
        appendix.upload_appendix(
            artifact=world.artifact,
            actor=world.author,
            upload=SimpleUploadedFile("appendix.pdf", pdfs.paper(pages=1, references=False)),
        )
    assert "at most 3 may wait" in " ".join(refused.value.message_dict["appendix"])
