"""Reviewers never get a paper version that failed the anonymity check: they keep the last
version that passed, unless a chair (not conflicted with the paper) releases the failing one,
which is audited. Authors see their latest upload and may download the reviewers' copy."""

import io

import pypdf
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from mlsys.conferences import services as conference_services
from mlsys.conferences.enums import Anonymity
from mlsys.core.models import AuditEvent
from submissions import enums
from submissions.models import SubmissionFile
from submissions.services import release_to_reviewers
from submissions.tasks import process_file
from tests import factories
from tests.reviews.reviewing_helpers import assign, login
from tests.submissions import pdfs
from tests.submissions.pipeline_helpers import make_submission, upload

pytestmark = pytest.mark.django_db

ADA = ("Ada Lovelace", "Analytical Engines Ltd", "ada.lovelace@engines.example")


def leaky() -> bytes:
    """Names its author on page 1: fails the anonymity check."""
    return pdfs.paper(pages=2, authors=(ADA,))


def anonymous() -> bytes:
    return pdfs.paper(pages=2)


def _copy_url(stored, download=False) -> str:
    url = reverse("protected_file", kwargs={"kind": "review-copy", "pk": stored.pk})
    return f"{url}?download=1" if download else url


def _fetch(client, stored) -> int:
    response = client.get(_copy_url(stored))
    if response.streaming:
        # Consuming the file closes it through the test client, which keeps the database
        # connection open; calling response.close() here would end the test's transaction on
        # PostgreSQL (request_finished closes connections outside the client).
        b"".join(response.streaming_content)
    return response.status_code


def _chair_detail(conference, submission) -> str:
    return reverse(
        "submissions:chair_detail",
        kwargs={"conference": conference.slug, "number": submission.number},
    )


def _release_url(conference, stored) -> str:
    return reverse(
        "submissions:chair_release",
        kwargs={
            "conference": conference.slug,
            "number": stored.submission.number,
            "pk": stored.pk,
        },
    )


def test_a_failing_upload_counts_for_the_author_but_reviewers_keep_the_version_that_passed(
    client, submission, ml_reviewer, django_capture_on_commit_callbacks
):
    good = upload(submission, anonymous(), django_capture_on_commit_callbacks)
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks)
    submission.refresh_from_db()

    assert (good.check_status, good.anonymity_failed) == (enums.CheckStatus.PASSED, False)
    assert (bad.check_status, bad.anonymity_failed) == (enums.CheckStatus.FAILED, True)
    assert bad.review_copy  # made, but withheld
    assert submission.current_paper_id == bad.pk
    assert submission.reviewer_paper_id == good.pk
    event = AuditEvent.objects.filter(
        action="submissions.file_checked", object_id=str(bad.pk)
    ).get()
    assert event.changes["current_paper"] == [good.pk, bad.pk]
    assert "reviewer_paper" not in event.changes

    assign(submission, ml_reviewer)
    login(client, ml_reviewer)
    assert _fetch(client, bad) == 404
    assert _fetch(client, good) == 200
    page = client.get(
        reverse(
            "reviews:review",
            kwargs={"conference": submission.conference.slug, "number": submission.number},
        )
    )
    assert _copy_url(good) in page.text and _copy_url(bad) not in page.text


def test_without_an_earlier_passing_version_reviewers_get_no_pdf(
    client, submission, ml_reviewer, django_capture_on_commit_callbacks
):
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.current_paper_id == bad.pk
    assert submission.reviewer_paper_id is None

    assign(submission, ml_reviewer)
    login(client, ml_reviewer)
    assert _fetch(client, bad) == 404
    page = client.get(
        reverse(
            "reviews:review",
            kwargs={"conference": submission.conference.slug, "number": submission.number},
        )
    )
    assert "withheld from reviewers: it failed the anonymity check" in page.text
    assert "is not ready yet" not in page.text
    assert "review-copy" not in page.text


def test_a_newer_passing_upload_is_what_reviewers_get(
    submission, django_capture_on_commit_callbacks
):
    upload(submission, leaky(), django_capture_on_commit_callbacks)
    good = upload(submission, anonymous(), django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.current_paper_id == submission.reviewer_paper_id == good.pk


def test_a_chair_releases_a_failing_version_and_it_is_audited(
    client, submission, chair, ml_reviewer, django_capture_on_commit_callbacks
):
    good = upload(submission, anonymous(), django_capture_on_commit_callbacks)
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks)
    assign(submission, ml_reviewer)

    released = release_to_reviewers(file=bad, actor=chair)

    assert released.released_by == chair and released.released_at is not None
    submission.refresh_from_db()
    assert submission.reviewer_paper_id == bad.pk
    event = AuditEvent.objects.get(action="submissions.released_for_reviewers")
    assert event.actor == chair and event.object_id == str(bad.pk)
    assert event.changes["reviewer_paper"] == [good.pk, bad.pk]
    assert "“Ada Lovelace” appears in the text (page 1)" in event.note
    login(client, ml_reviewer)
    assert _fetch(client, bad) == 200
    assert _fetch(client, good) == 404
    page = client.get(
        reverse(
            "reviews:review",
            kwargs={"conference": submission.conference.slug, "number": submission.number},
        )
    )
    assert "The chairs released this PDF to reviewers" in page.text

    with pytest.raises(ValidationError, match="already released"):
        release_to_reviewers(file=bad, actor=chair)
    with pytest.raises(ValidationError, match="passed the anonymity check"):
        release_to_reviewers(file=good, actor=chair)
    assert AuditEvent.objects.filter(action="submissions.released_for_reviewers").count() == 1


def test_conflicted_chairs_and_other_people_cannot_release(
    client, conference, submission, chair, ml_reviewer, author, django_capture_on_commit_callbacks
):
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks)
    factories.ConflictFactory(
        submission=submission,
        user=chair,
        source=enums.ConflictSource.CHAIR,
        state=enums.ConflictState.CONFIRMED,
    )
    for person in (chair, ml_reviewer, author):
        with pytest.raises(PermissionDenied):
            release_to_reviewers(file=bad, actor=person)

    login(client, chair)
    page = client.get(_chair_detail(conference, submission))
    assert "you cannot release this version" in page.text
    assert "Release to reviewers anyway" not in page.text
    assert client.post(_release_url(conference, bad), {"confirm": "on"}).status_code == 403
    bad.refresh_from_db()
    assert bad.released_at is None
    assert not AuditEvent.objects.filter(action="submissions.released_for_reviewers").exists()


def test_chair_pages_flag_the_paper_and_release_it_after_confirmation(
    client, conference, submission, chair, django_capture_on_commit_callbacks
):
    good = upload(submission, anonymous(), django_capture_on_commit_callbacks)
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks)
    login(client, chair)

    listing = client.get(reverse("submissions:chair_list", kwargs={"conference": conference.slug}))
    assert "Names its authors" in listing.text
    assert "reviewers keep an older version" in listing.text

    page = client.get(_chair_detail(conference, submission))
    assert "withheld: the anonymity check failed" in page.text
    assert "<h4>Anonymity findings (reviewers would see them)</h4>" in page.text
    assert "<h4>Format errors</h4>" not in page.text
    assert "they get the newest version that passed" in page.text
    assert "Release to reviewers anyway" in page.text

    refused = client.post(_release_url(conference, bad), {})
    assert refused.status_code == 400
    assert "Tick the box to confirm the release." in refused.text
    bad.refresh_from_db()
    assert bad.released_at is None

    done = client.post(_release_url(conference, bad), {"confirm": "on"})
    assert done.status_code == 302
    bad.refresh_from_db()
    submission.refresh_from_db()
    assert bad.released_by == chair
    assert submission.reviewer_paper_id == bad.pk != good.pk
    listing = client.get(reverse("submissions:chair_list", kwargs={"conference": conference.slug}))
    assert "released despite anonymity" in listing.text
    assert "reviewers keep an older version" not in listing.text
    # Only paper versions of this submission can be released.
    assert client.post(_release_url(conference, good) + "x", {}).status_code == 404
    assert not mail.outbox


def test_authors_download_the_reviewers_copy_of_their_own_paper(
    client, submission, author, outsider, django_capture_on_commit_callbacks
):
    stored = upload(
        submission,
        pdfs.with_metadata(anonymous(), Author="Ada Lovelace"),
        django_capture_on_commit_callbacks,
    )
    assert stored.review_copy
    client.force_login(author)
    response = client.get(_copy_url(stored, download=True))
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert pypdf.PdfReader(io.BytesIO(served)).metadata is None
    assert b"Ada Lovelace" not in served
    page = client.get(submission.get_absolute_url())
    assert _copy_url(stored, download=True) in page.text
    assert "Download the reviewers' copy" in page.text
    client.force_login(outsider)
    assert _fetch(client, stored) == 404


def test_copy_leaves_out_every_hidden_identity_and_the_report_says_so(
    client, submission, author, ml_reviewer, django_capture_on_commit_callbacks
):
    stored = upload(submission, pdfs.hidden_identities(), django_capture_on_commit_callbacks)

    assert stored.check_status == enums.CheckStatus.WARNINGS
    assert not stored.anonymity_failed
    assert {item["what"] for item in stored.report["review_copy_removed"]} == {
        "document info (title, author, creator, producer…)",
        "XMP metadata streams",
        "document info of included figures (PTEX.InfoDict)",
        "file names of included figures (PTEX.FileName)",
        "annotation authors",
        "embedded files",
    }
    with stored.review_copy.open("rb") as handle:
        copy = handle.read()
    for secret in (b"Lovelace", b"lovelace", b"results.csv", b"xpacket", b"PTEX"):
        assert secret not in copy
    reader = pypdf.PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == 3 and not reader.attachments
    note = reader.pages[1]["/Annots"][0].get_object()
    assert note["/Contents"] == "Shorten this section." and "/T" not in note

    submission.refresh_from_db()
    assert submission.reviewer_paper_id == stored.pk
    assign(submission, ml_reviewer)
    login(client, ml_reviewer)
    assert _fetch(client, stored) == 200


def test_turning_a_track_anonymous_rechecks_its_papers(
    client, conference, author, chair, ml_reviewer, django_capture_on_commit_callbacks
):
    industry = conference.tracks.get(slug="industry")
    industry.anonymity = Anonymity.OPEN
    industry.save(update_fields=["anonymity"])
    submission = make_submission(conference, author, track="industry")
    stored = upload(submission, leaky(), django_capture_on_commit_callbacks)
    assert stored.check_status == enums.CheckStatus.PASSED and not stored.review_copy

    with django_capture_on_commit_callbacks(execute=True):
        conference_services.update_track(
            track=industry, data={"anonymity": Anonymity.DOUBLE_BLIND}, actor=chair
        )

    stored.refresh_from_db()
    submission.refresh_from_db()
    assert stored.check_status == enums.CheckStatus.FAILED
    assert stored.anonymity_failed and stored.review_copy
    assert [e["code"] for e in stored.report["errors"]] == [
        "anonymity_name",
        "anonymity_email",
        "anonymity_affiliation",
    ]
    assert submission.current_paper_id == stored.pk and submission.reviewer_paper_id is None
    assign(submission, ml_reviewer)
    login(client, ml_reviewer)
    assert _fetch(client, stored) == 404


def test_changing_other_track_rules_rechecks_nothing(
    conference, author, chair, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(process_file, "delay", lambda **kwargs: queued.append(kwargs))
    research = conference.tracks.get(slug="research")
    with django_capture_on_commit_callbacks(execute=True):
        conference_services.update_track(track=research, data={"page_limit": 12}, actor=chair)
    assert queued == []
    assert SubmissionFile.objects.count() == 0


def test_the_api_tells_which_version_reviewers_get(
    conference, submission, chair, django_capture_on_commit_callbacks
):
    good = upload(submission, anonymous(), django_capture_on_commit_callbacks)
    bad = upload(submission, leaky(), django_capture_on_commit_callbacks)
    api = APIClient()
    api.force_authenticate(chair)
    base = f"/api/v1/conferences/{conference.slug}/submissions/{submission.number}/"
    data = api.get(base).json()
    assert data["reviewer_paper"] == good.pk
    assert data["current_paper"]["id"] == bad.pk
    assert data["current_paper"]["anonymity_failed"] is True
    assert data["current_paper"]["released_at"] is None
    files = {f["id"]: f for f in api.get(base + "files/").json()}
    assert (files[good.pk]["anonymity_failed"], files[bad.pk]["anonymity_failed"]) == (False, True)
