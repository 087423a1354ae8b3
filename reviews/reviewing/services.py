"""Every write of a reviewer's own review and of declining an assignment.

Review: ``(no row) → draft → submitted``; edits after submission add a
:class:`~reviews.models.ReviewRevision`. Every write takes the version the writer last saw and
raises :class:`mlsys.core.errors.Conflict` (carrying the current answers) when the review moved
on since, so two tabs never overwrite each other silently.

Reviews may be written while the reviewing phase is open, and also late (after the review
deadline) unless a chair switched the reviewing phase to "closed now" or decisions were
released: then every write is refused.
"""

import contextlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, InvitationStatus, Phase, PhaseMode, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.viewer import Viewer, acting
from mlsys.core import audit
from mlsys.core.errors import Conflict
from mlsys.mail.services import queue_email
from reviews.enums import ResponseState, ReviewState
from reviews.models import Assignment, AuthorResponse, Review, ReviewRevision
from reviews.review_forms import active_fields, form_for, validate_answers
from reviews.rules import is_conflicted
from submissions import enums as sub_enums

STALE_MESSAGE = (
    "This review was changed in another tab or window since you opened it. "
    "The saved version is shown; your browser kept a copy of what you typed."
)


def writing_closed_reason(conference, submission=None) -> str | None:
    """Why reviews of ``conference`` (of ``submission``, when given) can't be written now, or
    None if they can. A paper whose decision is released (its track released alone, say) is
    accepted or rejected: its reviews are what the authors read, and stay as they are."""
    if conference.decisions_released_at:
        return "Decisions have been released; reviews can no longer be changed."
    if submission is not None and submission.status in (
        sub_enums.Status.ACCEPTED,
        sub_enums.Status.REJECTED,
    ):
        return "The decision on this paper has been released; its reviews can no longer be changed."
    if conference.timeline().mode(Phase.REVIEWING) == PhaseMode.CLOSED:
        return "The chairs have closed the reviewing phase; reviews can no longer be changed."
    return None


def is_after_response(submission) -> bool:
    """The author response phase has started, or the authors submitted a response."""
    conference = submission.conference
    timeline = conference.timeline()
    opens = conference.deadline_map().get(DeadlineKind.RESPONSE_OPEN)
    if timeline.is_open(Phase.RESPONSE) or (opens is not None and opens.at <= timeline.now):
        return True
    return AuthorResponse.objects.filter(
        submission=submission, state=ResponseState.SUBMITTED
    ).exists()


def merge_answers(review: Review | None, form, posted: dict[str, Any]) -> dict[str, Any]:
    """The stored answers with the active fields replaced by ``posted`` (answers to
    deactivated fields are carried along untouched)."""
    active = {field.key for field in active_fields(form)}
    merged = {k: v for k, v in (review.answers if review else {}).items() if k not in active}
    merged.update({k: v for k, v in posted.items() if k in active})
    return merged


def missing_required(form, answers: dict[str, Any]) -> list:
    """Active required fields without an answer, in form order."""
    return [
        field
        for field in active_fields(form)
        if field.required and answers.get(field.key) in (None, "")
    ]


def _check_writable(assignment: Assignment) -> None:
    reason = writing_closed_reason(assignment.conference, assignment.submission)
    if reason:
        raise ValidationError(reason, code="closed")
    if assignment.declined_at is not None or not assignment.released:
        raise ValidationError("This assignment is no longer yours to review.", code="gone")


def _lock(
    assignment: Assignment, expected_version: int, viewer: Viewer
) -> tuple[Assignment, Review | None]:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("conference", "submission__conference")
        .get(pk=assignment.pk)
    )
    review = Review.objects.select_for_update(of=("self",)).filter(assignment=assignment).first()
    current = review.version if review else 0
    if current != expected_version:
        raise Conflict(
            STALE_MESSAGE,
            current={"version": current, "answers": dict(review.answers) if review else {}},
        )
    _check_writable(assignment)
    if assignment.reviewer_id != viewer.pk or not viewer.has_perm(
        "reviews.write_review", assignment.submission
    ):
        raise PermissionDenied("Only the paper's reviewer writes this review.")
    return assignment, review


@dataclass(frozen=True)
class Written:
    """What :func:`write_review` did: ``saved`` (a draft), ``submitted``, ``revised`` (a new
    revision) or ``unchanged`` (a submitted review posted again as it was)."""

    review: Review
    outcome: str
    revision: ReviewRevision | None = None


def write_review(
    assignment: Assignment,
    *,
    actor,
    answers: dict[str, Any],
    expected_version: int,
    submit: bool = False,
) -> Written:
    """The one way the page and the API write a reviewer's review: "submit, save or revise".

    A submitted review is revised (:func:`revise_review`); submitting it again is refused.
    Otherwise the answers are saved as a draft, or submitted when ``submit`` is true; a
    submission that is refused (a required question unanswered, a score off its scale) keeps
    what was posted as the draft when it changed anything, so nothing typed is lost, and
    raises the ValidationError. Raises PermissionDenied unless ``actor`` reviews the paper
    (``reviews.write_review``) and owns the assignment; Conflict for a stale
    ``expected_version``.
    """
    stored = Review.objects.filter(assignment=assignment).select_related("form").first()
    if stored is not None and stored.state == ReviewState.SUBMITTED:
        if submit:
            raise ValidationError("This review is already submitted.", code="submitted")
        review, revision = revise_review(
            assignment, actor=actor, answers=answers, expected_version=expected_version
        )
        return Written(review, "revised" if revision else "unchanged", revision)
    write = {"actor": actor, "answers": answers, "expected_version": expected_version}
    if not submit:
        return Written(save_draft(assignment, **write), "saved")
    try:
        review = submit_review(assignment, **write)
    except ValidationError as refused:
        form = stored.form if stored else form_for(assignment.submission)
        if merge_answers(stored, form, answers) != (stored.answers if stored else {}):
            # Keep what was posted as the draft (values that fail even a draft's check are
            # not stored); the caller shows the refusal over the posted values.
            with contextlib.suppress(ValidationError):
                save_draft(assignment, **write)
        raise refused
    return Written(review, "submitted")


def save_draft(
    assignment: Assignment, *, actor, answers: dict[str, Any], expected_version: int
) -> Review:
    """Store a draft (creating the review on first save). Values are checked (a score must be
    on its scale) but required fields may be empty. Refused for a submitted review: its edits
    go through :func:`revise_review`. Raises Conflict, ValidationError, PermissionDenied."""
    viewer, actor = acting(actor)
    with transaction.atomic():
        assignment, review = _lock(assignment, expected_version, viewer)
        if review is not None and review.state == ReviewState.SUBMITTED:
            raise ValidationError(
                "This review is submitted; use “Update review” to change it.", code="submitted"
            )
        form = review.form if review else form_for(assignment.submission)
        cleaned = validate_answers(form, merge_answers(review, form, answers), final=False)
        if review is None:
            review = Review.objects.create(
                assignment=assignment,
                submission=assignment.submission,
                reviewer=assignment.reviewer,
                form=form,
                answers=cleaned,
            )
            # Drafts are saved every few seconds; only the start is worth an audit row.
            audit.record(
                "review.started", actor=actor, target=review, conference=assignment.conference
            )
            return review
        review.answers = cleaned
        review.version += 1
        review.save(update_fields=["answers", "version", "updated_at"])
    return review


def submit_review(
    assignment: Assignment, *, actor, answers: dict[str, Any], expected_version: int
) -> Review:
    """Submit the review: every required field answered, else ValidationError keyed by field
    (nothing is saved then; :func:`write_review` keeps the draft). Adds revision 1."""
    viewer, actor = acting(actor)
    with transaction.atomic():
        assignment, review = _lock(assignment, expected_version, viewer)
        if review is not None and review.state == ReviewState.SUBMITTED:
            raise ValidationError("This review is already submitted.", code="submitted")
        form = review.form if review else form_for(assignment.submission)
        cleaned = validate_answers(form, merge_answers(review, form, answers), final=True)
        now = timezone.now()
        if review is None:
            review = Review(
                assignment=assignment,
                submission=assignment.submission,
                reviewer=assignment.reviewer,
                form=form,
                version=0,
            )
        review.answers = cleaned
        review.state = ReviewState.SUBMITTED
        review.submitted_at = now
        review.version += 1
        review.save()
        ReviewRevision.objects.create(
            review=review,
            number=1,
            answers=cleaned,
            changed_fields=[],
            after_response=is_after_response(assignment.submission),
        )
        audit.record(
            "review.submitted",
            actor=actor,
            target=review,
            conference=assignment.conference,
            note="late" if _is_late(assignment.conference, now) else "",
        )
    return review


def revise_review(
    assignment: Assignment, *, actor, answers: dict[str, Any], expected_version: int
) -> tuple[Review, ReviewRevision | None]:
    """Change a submitted review. Adds a revision listing the changed field keys (marked
    ``after_response`` once the response phase started); an edit that changes nothing adds
    no revision. Validates like a submission."""
    viewer, actor = acting(actor)
    with transaction.atomic():
        assignment, review = _lock(assignment, expected_version, viewer)
        if review is None or review.state != ReviewState.SUBMITTED:
            raise ValidationError("Submit the review first.", code="not_submitted")
        cleaned = validate_answers(
            review.form, merge_answers(review, review.form, answers), final=True
        )
        changed = sorted(
            key
            for key in set(cleaned) | set(review.answers)
            if cleaned.get(key) != review.answers.get(key)
        )
        if not changed:
            return review, None
        last = review.revisions.order_by("-number").values_list("number", flat=True).first()
        revision = ReviewRevision.objects.create(
            review=review,
            number=(last or 0) + 1,
            answers=cleaned,
            changed_fields=changed,
            after_response=is_after_response(assignment.submission),
        )
        before = dict(review.answers)
        review.answers = cleaned
        review.version += 1
        review.save(update_fields=["answers", "version", "updated_at"])
        audit.record(
            "review.revised",
            actor=actor,
            target=review,
            conference=assignment.conference,
            changes={key: [before.get(key), cleaned.get(key)] for key in changed},
            note="after response" if revision.after_response else "",
        )
    return review, revision


def _is_late(conference, now) -> bool:
    due = conference.deadline_map().get(DeadlineKind.REVIEW)
    return due is not None and now > due.at


# --- Declining an assignment -----------------------------------------------------------------


def paper_chair_emails(submission) -> list[str]:
    """Addresses of the conference's chairs who are not conflicted with ``submission`` (a
    conflicted chair must not learn who reviews it)."""
    chairs = [
        m.user
        for m in CommitteeMembership.objects.filter(
            conference_id=submission.conference_id,
            role=Role.PROGRAM_CHAIR,
            status=InvitationStatus.ACCEPTED,
        ).select_related("user")
    ]
    return [chair.email for chair in chairs if not is_conflicted(chair, submission)]


def decline_assignment(assignment: Assignment, *, actor, reason: str) -> Assignment:
    """The reviewer declines a released assignment they have not started (no review row yet).

    Sets ``declined_at``/``decline_reason``; the paper leaves the reviewer's list and every
    permission that came from the assignment. Emails the non-conflicted chairs on commit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Tell the chairs why you decline."]})
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("conference", "submission__conference", "reviewer")
            .get(pk=assignment.pk)
        )
        if assignment.declined_at is not None:
            raise ValidationError("You already declined this paper.", code="declined")
        if Review.objects.filter(assignment=assignment).exists():
            raise ValidationError(
                "You have started this review, so it can't be declined here; write to the "
                "chairs instead.",
                code="started",
            )
        assignment.declined_at = timezone.now()
        assignment.decline_reason = reason[:2000]
        assignment.save(update_fields=["declined_at", "decline_reason", "updated_at"])
        audit.record(
            "assignment.declined",
            actor=actor,
            target=assignment,
            changes={"declined_at": [None, assignment.declined_at.isoformat()]},
            note=assignment.decline_reason,
        )
        submission = assignment.submission
        conference = assignment.conference
        path = reverse("reviews:assignment", kwargs={"conference": conference.slug})
        recipients = paper_chair_emails(submission)
        if not recipients:
            return assignment
        queue_email(
            to=recipients,
            key="reviews.assignment_declined",
            conference=conference,
            context={
                "reviewer": assignment.reviewer.name or assignment.reviewer.email,
                "number": submission.number,
                "title": submission.title,
                "reason": assignment.decline_reason,
                "url": settings.SITE_URL + path,
            },
        )
    return assignment
