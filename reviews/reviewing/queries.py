"""What the reviewer's pages read, in a fixed number of queries."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.db.models.functions import Lower

from reviews.assignment.queries import released_assignments_for
from reviews.enums import BidValue, ReviewState
from reviews.models import Assignment, Bid, Review, ReviewField, ReviewForm, ReviewRevision
from reviews.review_forms import active_fields, ensure_default_form
from reviews.rules import conflicted_submission_ids
from submissions.enums import EFFECTIVE
from submissions.models import Author, Conflict

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
    status and the required fields still unanswered."""
    conflicted = conflicted_submission_ids(user, conference)
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


def pending_conflicts(requests: list) -> dict[int, str]:
    """``{request id: why the expert can't review}`` for external requests, in a fixed number
    of queries (the chairs' list). The approve service re-checks one by one."""
    if not requests:
        return {}
    papers = {r.submission_id for r in requests}
    emails = {r.email.lower() for r in requests}
    author_emails = {
        (sid, email.lower())
        for sid, email in Author.objects.filter(submission_id__in=papers).values_list(
            "submission_id", "email"
        )
    }
    users = dict(
        get_user_model()
        .objects.annotate(e=Lower("email"))
        .filter(e__in=emails)
        .values_list("e", "pk")
    )
    for email, uid in (
        EmailAddress.objects.annotate(e=Lower("email"))
        .filter(e__in=emails)
        .values_list("e", "user_id")
    ):
        users.setdefault(email, uid)
    ids = set(users.values())
    conflicted = set(
        Conflict.objects.filter(
            user_id__in=ids, submission_id__in=papers, state__in=EFFECTIVE
        ).values_list("submission_id", "user_id")
    )
    conflicted |= set(
        Author.objects.filter(user_id__in=ids, submission_id__in=papers).values_list(
            "submission_id", "user_id"
        )
    )
    conflicted |= set(
        Bid.objects.filter(
            user_id__in=ids, submission_id__in=papers, value=BidValue.CONFLICT
        ).values_list("submission_id", "user_id")
    )
    assigned = set(
        Assignment.objects.current()
        .filter(reviewer_id__in=ids, submission_id__in=papers)
        .values_list("submission_id", "reviewer_id")
    )
    out = {}
    for r in requests:
        uid = users.get(r.email.lower())
        if (r.submission_id, r.email.lower()) in author_emails:
            out[r.pk] = "This address belongs to an author of the paper."
        elif uid and (r.submission_id, uid) in conflicted:
            out[r.pk] = "This person has a conflict of interest with the paper."
        elif uid and (r.submission_id, uid) in assigned:
            out[r.pk] = "This person is already assigned to the paper."
    return out
