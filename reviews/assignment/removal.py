"""What an assignment change does to the work around it, and who hears about it.

``work_on`` finds a reviewer's work on a paper (a review with its revisions and ratings, their
comments and ratings on the paper); ``take_off`` is the one way an assignment leaves a paper
(deleted without work, *retired* with it: ``removed_at`` set, the review kept); ``restore``
puts a retired one back. The notify functions queue the reviewers' emails. Used by the
assignment services (manual changes, commit, undo); nothing here checks permissions.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from mlsys.accounts.models import User
from mlsys.conferences.models import Conference
from mlsys.core import audit
from mlsys.mail.services import queue_email
from reviews.enums import ReviewState
from reviews.models import Assignment, Comment, Review, ReviewRating

SNAPSHOT_FIELDS = ("id", "submission_id", "reviewer_id", "kind", "round", "proposal_id", "released")


class ConfirmationNeeded(ValidationError):
    """The change would touch a reviewer's work: the chair must confirm it, knowing what."""

    def __init__(self, message: str, work: dict[int, list[str]]):
        super().__init__(message)
        self.work = work


def work_on(assignments) -> dict[int, list[str]]:
    """{assignment id: what work it carries} for the ``assignments`` that carry any: its
    review (draft or submitted, with revisions and ratings received), the reviewer's comments
    on the paper and the ratings they gave there. Four queries."""
    assignments = list(assignments)
    if not assignments:
        return {}
    by_pair = {(a.submission_id, a.reviewer_id): a.pk for a in assignments}
    papers = {a.submission_id for a in assignments}
    people = {a.reviewer_id for a in assignments}
    out: dict[int, list[str]] = {}
    for review in Review.objects.filter(assignment_id__in=by_pair.values()).annotate(
        n_revisions=Count("revisions", distinct=True), n_ratings=Count("ratings", distinct=True)
    ):
        submitted = review.state == ReviewState.SUBMITTED
        text = "a submitted review" if submitted else "a draft review"
        text += (
            f" ({review.n_revisions} revision{pluralize(review.n_revisions)}, "
            f"{review.n_ratings} rating{pluralize(review.n_ratings)})"
        )
        out.setdefault(review.assignment_id, []).append(text)
    comments = Counter(
        Comment.objects.filter(submission_id__in=papers, author_id__in=people).values_list(
            "submission_id", "author_id"
        )
    )
    ratings = Counter(
        ReviewRating.objects.filter(
            review__submission_id__in=papers, rater_id__in=people
        ).values_list("review__submission_id", "rater_id")
    )
    for key, pk in by_pair.items():
        if comments[key]:
            out.setdefault(pk, []).append(
                f"{comments[key]} comment{pluralize(comments[key])} in the discussion"
            )
        if ratings[key]:
            out.setdefault(pk, []).append(
                f"{ratings[key]} rating{pluralize(ratings[key])} of other reviews"
            )
    return out


def take_off(assignment: Assignment, *, actor: User, work: list[str] | None) -> bool:
    """The one way an assignment leaves a paper: deleted when it carries no ``work``,
    retired (``removed_at``, the review and everything around it kept) when it does. Audited;
    the caller tells the reviewer. Returns whether it was retired."""
    if work:
        assignment.removed_at = timezone.now()
        assignment.removed_by = actor if getattr(actor, "is_authenticated", False) else None
        assignment.keep_review = False
        assignment.save(update_fields=["removed_at", "removed_by", "keep_review", "updated_at"])
        audit.record(
            "assignment.retired",
            actor=actor,
            target=assignment,
            conference=assignment.conference,
            changes={"removed_at": [None, assignment.removed_at.isoformat()]},
            note="Work kept: " + "; ".join(work),
        )
        return True
    audit.record(
        "assignment.removed",
        actor=actor,
        target=assignment,
        conference=assignment.conference,
        changes=snapshot_of(assignment),
    )
    assignment.delete()
    return False


def restored_note(assignment: Assignment) -> str:
    """What a restored reviewer is told about the paper they are back on."""
    paper = assignment.submission
    if Review.objects.filter(assignment=assignment).exists():
        kept = "your review is as you left it"
    else:
        kept = "what you wrote on it is as you left it"
    return f"You are back on #{paper.number} {paper.title} as a reviewer; {kept}."


def restore(assignment: Assignment, *, actor: User) -> None:
    removed_at = assignment.removed_at
    assignment.removed_at = None
    assignment.removed_by = None
    assignment.keep_review = False
    assignment.save(update_fields=["removed_at", "removed_by", "keep_review", "updated_at"])
    audit.record(
        "assignment.restored",
        actor=actor,
        target=assignment,
        conference=assignment.conference,
        changes={"removed_at": [removed_at.isoformat() if removed_at else None, None]},
    )


def snapshot_of(assignment: Assignment) -> dict:
    row = {f: getattr(assignment, f) for f in SNAPSHOT_FIELDS}
    row["created_at"] = assignment.created_at.isoformat() if assignment.created_at else None
    return row


def paper_lines(conference: Conference, user_id: int) -> list[str]:
    rows = (
        Assignment.objects.live()
        .filter(conference=conference, reviewer_id=user_id)
        .select_related("submission__track")
        .order_by("submission__number")
    )
    return [f"  #{a.submission.number} {a.submission.title} ({a.submission.track})" for a in rows]


def mail_context(conference: Conference, user: User, papers: list[str], **extra) -> dict:
    path = reverse("reviews:my_papers", kwargs={"conference": conference.slug})
    return {
        "name": user.name or user.email,
        "count": len(papers),
        "paper_count": f"{len(papers)} paper{pluralize(len(papers))}",
        "papers": "\n".join(papers) or "  (none)",
        "url": f"{settings.SITE_URL}{path}",
        **extra,
    }


def notify_removed_work_kept(assignment: Assignment) -> None:
    """Tell a released reviewer they are off a paper and that their review is kept."""
    conference, user = assignment.conference, assignment.reviewer
    queue_email(
        to=[user.email],
        key="reviews.assignment_removed_work_kept",
        conference=conference,
        context=mail_context(
            conference,
            user,
            paper_lines(conference, user.pk),
            paper=f"#{assignment.submission.number} {assignment.submission.title}",
            # The row's paper number (mail.services): the outbox hides it from chairs
            # conflicted with the paper, as its subject names the paper and its reviewer.
            number=assignment.submission.number,
        ),
    )


def notify_changed(
    conference: Conference, user_ids: set[int], notes: dict[int, list[str]] | None = None
) -> None:
    """Email each reviewer in ``user_ids`` their current released list (one email each).
    ``notes`` ({user id: sentences}) says what changed for that reviewer; without it the
    email says only that papers were added or removed."""
    notes = notes or {}
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        papers = paper_lines(conference, user.pk)
        queue_email(
            to=[user.email],
            key="reviews.assignments_changed",
            conference=conference,
            context=mail_context(
                conference,
                user,
                papers,
                changes="\n".join(notes.get(user.pk, []))
                or "Papers were added to or removed from your list.",
            ),
        )
