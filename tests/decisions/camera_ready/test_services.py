"""The camera-ready services: upload rules, final author list, licence versions, shepherd state
machine, permissions (authors, chairs, conflicted chairs, shepherds), all audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from decisions.camera_ready import queries, services
from decisions.models import CameraReady, LicenceText
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Deadline
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from submissions.models import SubmissionFile
from tests import factories
from tests.decisions.camera_ready.conftest import accepted_paper

PDF = b"%PDF-1.7\n%%EOF\n"


def pdf(name="final.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def passed_version(paper, **kwargs):
    kwargs.setdefault("check_status", "passed")
    return factories.SubmissionFileFactory(submission=paper, kind="camera_ready", **kwargs)


# --- Upload ---------------------------------------------------------------------------------


def test_author_uploads_a_camera_ready_and_it_is_audited(paper, author):
    stored = services.upload_camera_ready(submission=paper, actor=author, upload=pdf())
    assert stored.kind == "camera_ready"
    assert stored.check_status == "pending"
    assert AuditEvent.objects.filter(action="decisions.camera_ready_uploaded").count() == 1


@pytest.mark.parametrize("who", ["outsider", "ml_reviewer", "conflicted_chair"])
def test_others_cannot_upload(request, conference, paper, author, who):
    user = request.getfixturevalue(who)
    if who == "conflicted_chair":
        factories.ConflictFactory(submission=paper, user=user, state="confirmed")
    with pytest.raises(PermissionDenied):
        services.upload_camera_ready(submission=paper, actor=user, upload=pdf())
    assert not paper.files.exists()


def test_a_paper_not_accepted_has_no_camera_ready(conference, author):
    rejected = factories.SubmissionFactory(
        conference=conference, status="rejected", authors=[author]
    )
    with pytest.raises(PermissionDenied):
        services.upload_camera_ready(submission=rejected, actor=author, upload=pdf())


def test_after_the_deadline_authors_are_refused_but_chairs_may_act(
    conference, paper, author, chair
):
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.CAMERA_READY).update(
        at=timezone.now() - timedelta(minutes=1)
    )
    conference.refresh_from_db()
    paper = type(paper).objects.get(pk=paper.pk)
    with pytest.raises(PermissionDenied):
        services.upload_camera_ready(submission=paper, actor=author, upload=pdf())
    stored = services.upload_camera_ready(submission=paper, actor=chair, upload=pdf())
    assert stored.uploaded_by == chair


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"<html>no</html>", "not a PDF")],
)
def test_bad_files_are_refused_and_nothing_is_stored(paper, author, data, message):
    with pytest.raises(ValidationError) as refused:
        services.upload_camera_ready(submission=paper, actor=author, upload=pdf(data=data))
    assert message in " ".join(refused.value.messages)
    assert not paper.files.exists()


def test_an_upload_while_the_previous_is_checked_queues_behind_it(paper, author):
    """A co-author's corrected version while the first is being checked (or while the checkers
    are down) is kept, not refused "try again in a few seconds"; the newest that passes is final."""
    waiting = factories.SubmissionFileFactory(
        submission=paper, kind="camera_ready", check_status="pending"
    )
    stored = services.upload_camera_ready(submission=paper, actor=author, upload=pdf())
    assert stored.pk != waiting.pk and stored.check_status == "pending"
    assert paper.files.filter(kind="camera_ready").count() == 2


def test_a_fourth_waiting_version_is_refused_with_the_queues_pace(paper, author):
    for _ in range(3):
        factories.SubmissionFileFactory(
            submission=paper, kind="camera_ready", check_status="pending"
        )
    with pytest.raises(ValidationError) as refused:
        services.upload_camera_ready(submission=paper, actor=author, upload=pdf())
    text = " ".join(refused.value.messages)
    assert "3 earlier versions of this camera-ready are still waiting" in text
    assert "at most 3 may wait" in text and "Your current version is unchanged" in text
    assert paper.files.filter(kind="camera_ready").count() == 3


# --- The final PDF ------------------------------------------------------------------------------


def test_final_pdf_is_the_newest_that_passed(paper):
    first = passed_version(paper)
    second = passed_version(paper, check_status="warnings")
    passed_version(paper, check_status="failed")
    passed_version(paper, check_status="invalid")
    factories.SubmissionFileFactory(submission=paper, kind="paper", check_status="passed")
    assert queries.final_pdf(paper) == second
    assert first != second


def test_final_pdfs_of_a_conference_in_one_query(conference, author, django_assert_num_queries):
    papers = [accepted_paper(conference, author) for _ in range(3)]
    finals = {p.pk: passed_version(p) for p in papers[:2]}
    passed_version(papers[0], check_status="failed")
    other = factories.SubmissionFactory(conference=conference, status="submitted")
    passed_version(other)
    with django_assert_num_queries(1):
        found = queries.final_pdfs(conference)
    assert found == finals


# --- Authors -------------------------------------------------------------------------------


def test_authors_confirm_the_list_as_submitted(paper, author):
    row = services.set_final_authors(
        submission=paper, actor=author, authors=queries.submitted_authors(paper), confirm=True
    )
    assert row.authors_confirmed_by == author
    assert row.final_authors == []  # unchanged: the submitted list is the final one
    assert queries.paper_checklist(paper).authors


def test_dropping_a_coauthor_needs_their_agreement(paper, author):
    without_bob = [a for a in queries.submitted_authors(paper) if a["name"] != "Bob Coauthor"]
    with pytest.raises(ValidationError, match="Bob Coauthor"):
        services.set_final_authors(
            submission=paper, actor=author, authors=without_bob, confirm=True
        )
    assert not CameraReady.objects.filter(submission=paper, authors_confirmed_at__isnull=False)
    row = services.set_final_authors(
        submission=paper, actor=author, authors=without_bob, confirm=True, removals_agreed=True
    )
    assert [a["name"] for a in row.final_authors] == ["Ada Author"]
    event = AuditEvent.objects.get(action="decisions.camera_ready_authors")
    assert "Removed: Bob Coauthor" in event.note


def test_changing_the_list_takes_back_the_confirmation(paper, author):
    authors = queries.submitted_authors(paper)
    services.set_final_authors(submission=paper, actor=author, authors=authors, confirm=True)
    renamed = [dict(a) for a in authors]
    renamed[1]["affiliation"] = "New Lab"
    row = services.set_final_authors(submission=paper, actor=author, authors=renamed, confirm=False)
    assert row.authors_confirmed_at is None
    assert queries.author_changes(authors, renamed) == [
        "Affiliation of Bob Coauthor: “Lab” → “New Lab”"
    ]


def test_reordering_is_shown_as_a_change(paper):
    authors = queries.submitted_authors(paper)
    assert queries.author_changes(authors, authors[::-1]) == ["Order: Bob Coauthor, Ada Author"]


def test_a_repeated_email_is_refused(paper, author):
    authors = queries.submitted_authors(paper)
    with pytest.raises(ValidationError, match="listed twice"):
        services.set_final_authors(
            submission=paper, actor=author, authors=[*authors, authors[0]], confirm=True
        )


# --- Licence --------------------------------------------------------------------------------


def test_accepting_the_licence_keeps_the_version_read(conference, paper, author, chair, licence):
    services.accept_licence(submission=paper, actor=author, version=1)
    services.save_settings(conference=conference, actor=chair, licence_text="New terms.", rules={})
    row = CameraReady.objects.get(submission=paper)
    assert row.licence.version == 1
    assert row.licence.text.startswith("The authors grant")
    assert LicenceText.objects.filter(conference=conference).count() == 2


def test_a_stale_licence_version_is_refused(conference, paper, author, chair, licence):
    services.save_settings(conference=conference, actor=chair, licence_text="New terms.", rules={})
    with pytest.raises(ValidationError, match="changed"):
        services.accept_licence(submission=paper, actor=author, version=1)


def test_unchanged_licence_text_writes_no_new_version(conference, chair, licence):
    services.save_settings(conference=conference, actor=chair, licence_text=licence.text, rules={})
    assert LicenceText.objects.filter(conference=conference).count() == 1


def test_only_authors_accept_the_licence(paper, chair, licence):
    with pytest.raises(PermissionDenied):
        services.accept_licence(submission=paper, actor=chair, version=1)


def test_pc_members_cannot_change_settings(conference, ml_reviewer):
    with pytest.raises(PermissionDenied):
        services.save_settings(conference=conference, actor=ml_reviewer, licence_text="x", rules={})


# --- Shepherds ------------------------------------------------------------------------------


def test_shepherd_flow_approve_then_new_upload_resets(paper, author, chair, shepherd, licence):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    row = CameraReady.objects.get(submission=paper)
    assert (row.shepherd, row.status) == (shepherd, "pending")
    assert OutboundEmail.objects.filter(template_key="decisions.shepherd_assigned").count() == 1
    final = passed_version(paper)
    services.review_as_shepherd(submission=paper, actor=shepherd, approve=True)
    row.refresh_from_db()
    assert (row.status, row.reviewed_file) == ("approved", final)
    verdict = OutboundEmail.objects.get(template_key="decisions.shepherd_verdict")
    assert verdict.to == sorted([author.email, "bob@lab.example.org"])
    services.upload_camera_ready(submission=paper, actor=author, upload=pdf())
    row.refresh_from_db()
    assert row.status == "pending"
    told = OutboundEmail.objects.get(template_key="decisions.shepherd_new_version")
    assert told.to == [shepherd.email] and f"#{paper.number}" in told.subject
    statuses = (
        AuditEvent.objects.filter(action="decisions.shepherd_status")
        .order_by("pk")
        .values_list("changes", flat=True)
    )
    assert [c["status"] for c in statuses] == [
        ["none", "pending"],
        ["pending", "approved"],
        ["approved", "pending"],
    ]


def test_without_a_shepherd_an_upload_emails_nobody(paper, author):
    services.upload_camera_ready(submission=paper, actor=author, upload=pdf())
    assert not OutboundEmail.objects.filter(template_key="decisions.shepherd_new_version").exists()


def test_requesting_changes_needs_a_comment_and_emails_it(paper, chair, shepherd):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    passed_version(paper)
    with pytest.raises(ValidationError):
        services.review_as_shepherd(submission=paper, actor=shepherd, approve=False)
    services.review_as_shepherd(
        submission=paper, actor=shepherd, approve=False, comment="Add the new baseline."
    )
    email = OutboundEmail.objects.get(template_key="decisions.shepherd_verdict")
    assert "Add the new baseline." in email.body
    assert not queries.paper_checklist(paper).complete


def test_approving_needs_a_final_version(paper, chair, shepherd):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    with pytest.raises(ValidationError, match="no camera-ready"):
        services.review_as_shepherd(submission=paper, actor=shepherd, approve=True)


def test_approving_waits_for_a_newer_version_still_checked(paper, author, chair, shepherd):
    """Versions uploaded one after another queue for their check: approving the older final
    while a newer one waits would let the newer one, once it passes, become the final PDF with
    an approval its shepherd never gave."""
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    older = passed_version(paper)
    services.upload_camera_ready(submission=paper, actor=author, upload=pdf("second.pdf"))
    services.upload_camera_ready(submission=paper, actor=author, upload=pdf("third.pdf"))
    assert queries.final_pdf(paper) == older

    with pytest.raises(ValidationError, match="still being checked"):
        services.review_as_shepherd(submission=paper, actor=shepherd, approve=True)
    assert CameraReady.objects.get(submission=paper).status == "pending"

    # Both newer versions fail their check: the older one stays final and may be approved.
    SubmissionFile.objects.filter(submission=paper, check_status="pending").update(
        check_status="failed"
    )
    services.review_as_shepherd(submission=paper, actor=shepherd, approve=True)
    row = CameraReady.objects.get(submission=paper)
    assert (row.status, row.reviewed_file) == ("approved", older)


def test_an_older_version_still_checked_does_not_hold_the_approval(paper, chair, shepherd):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    passed_version(paper, check_status="pending", created_at=timezone.now() - timedelta(hours=1))
    final = passed_version(paper)
    services.review_as_shepherd(submission=paper, actor=shepherd, approve=True)
    assert CameraReady.objects.get(submission=paper).reviewed_file == final


def test_a_conflicted_pc_member_cannot_be_shepherd(paper, chair, shepherd):
    factories.ConflictFactory(submission=paper, user=shepherd, state="suggested")
    with pytest.raises(ValidationError, match="not conflicted"):
        services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)


def test_a_conflicted_chair_cannot_assign_a_shepherd(paper, conflicted_chair, shepherd):
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    with pytest.raises(PermissionDenied):
        services.assign_shepherd(submission=paper, actor=conflicted_chair, shepherd=shepherd)


def test_only_the_shepherd_reviews(paper, chair, shepherd, systems_reviewer, author):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    passed_version(paper)
    for other in (systems_reviewer, author, chair):
        with pytest.raises(PermissionDenied):
            services.review_as_shepherd(submission=paper, actor=other, approve=True)


def test_a_shepherd_who_becomes_conflicted_loses_the_paper(paper, chair, shepherd):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    passed_version(paper)
    factories.ConflictFactory(submission=paper, user=shepherd, state="confirmed")
    with pytest.raises(PermissionDenied):
        services.review_as_shepherd(submission=paper, actor=shepherd, approve=True)


def test_removing_the_shepherd_ends_the_review(paper, chair, shepherd):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    services.assign_shepherd(submission=paper, actor=chair, shepherd=None)
    row = CameraReady.objects.get(submission=paper)
    assert (row.shepherd, row.status) == (None, "none")


# --- Checklist ----------------------------------------------------------------------------


def test_complete_when_every_item_is_done(paper, author, chair, shepherd, licence):
    passed_version(paper)
    services.set_final_authors(
        submission=paper, actor=author, authors=queries.submitted_authors(paper), confirm=True
    )
    services.accept_licence(submission=paper, actor=author, version=1)
    assert queries.paper_checklist(paper).complete
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    check = queries.paper_checklist(paper)
    assert not check.complete and check.missing == ["the shepherd's approval"]
    services.review_as_shepherd(submission=paper, actor=shepherd, approve=True)
    assert queries.paper_checklist(paper).complete
