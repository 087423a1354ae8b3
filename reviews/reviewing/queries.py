"""What the reviewer's pages read, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from mlsys.conferences.viewer import acting
from reviews.assignment.queries import released_assignments_for
from reviews.enums import ReviewState
from reviews.models import Assignment, Review, ReviewField, ReviewForm, ReviewRevision
from reviews.review_forms import active_fields, ensure_default_form
from reviews.rules import conflicted_submission_ids

NOT_STARTED, DRAFT, SUBMITTED = "not_started", "draft", "submitted"
STATUS_LABELS = {NOT_STARTED: "Not started", DRAFT: "Draft", SUBMITTED: "Submitted"}


@dataclass
class ReviewRow:
    assignment: Assignment
    review: Review | None
    status: str
    missing: list[ReviewField] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def submission(self):
        return self.assignment.submission


def forms_by_track(conference) -> tuple[dict, ReviewForm]:
    """The conference's forms with their fields: ``({track_id: form}, default form)``."""
    default = ensure_default_form(conference)
    forms = list(
        ReviewForm.objects.filter(conference=conference).prefetch_related(
            Prefetch("fields", queryset=ReviewField.objects.order_by("order", "pk"))
        )
    )
    by_id = {f.pk: f for f in forms}
    return {f.track_id: f for f in forms if f.track_id}, by_id.get(default.pk, default)


def my_review_rows(user, conference) -> list[ReviewRow]:
    """The reviewer's live released assignments (never a conflicted paper) with their review
    status and the required fields still unanswered. ``user``: a viewer or a user."""
    viewer, user = acting(user)
    conflicted = conflicted_submission_ids(viewer, conference)
    assignments = released_assignments_for(user, conference).select_related("review")
    by_track, default = forms_by_track(conference)
    forms = {f.pk: f for f in [*by_track.values(), default]}
    rows = []
    for a in assignments:
        if a.submission_id in conflicted:
            continue
        review = getattr(a, "review", None)
        form = (forms.get(review.form_id) if review else None) or by_track.get(
            a.submission.track_id, default
        )
        answers = review.answers if review else {}
        missing = [
            f for f in active_fields(form) if f.required and answers.get(f.key) in (None, "")
        ]
        if review is None:
            status = NOT_STARTED
        elif review.state == ReviewState.SUBMITTED:
            status = SUBMITTED
        else:
            status = DRAFT
        rows.append(ReviewRow(a, review, status, missing))
    return rows


def live_assignment(user, submission) -> Assignment | None:
    """The user's released, not declined assignment to ``submission`` (latest round)."""
    return (
        Assignment.objects.live()
        .filter(submission=submission, reviewer=user)
        .select_related("review__form")
        .order_by("-round")
        .first()
    )


def revision_history(review: Review) -> list[ReviewRevision]:
    return list(review.revisions.order_by("-number"))
