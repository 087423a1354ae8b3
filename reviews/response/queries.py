"""Reads for the author response: the reviews as authors see them, and who hears about it.

Authors get the answers to "authors"-visibility fields only, under stable labels
("Reviewer A", "Reviewer B", ...). The rows handed to templates carry no reviewer object, so a
template cannot print a name, an email or a side by mistake.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q

from reviews.discussion.queries import reviewer_letters
from reviews.enums import FieldKind, ReviewState
from reviews.meta.queries import active_reviewer_assignments, conflicted_pairs
from reviews.models import AuthorResponse, Review, ReviewField
from reviews.review_forms import AUTHOR_LEVELS, display_value, visible_answers


@dataclass(frozen=True)
class Answer:
    question: str
    is_text: bool
    value: Any  # text answers: Markdown source; others: the display form ("4: Weak accept")


@dataclass(frozen=True)
class AuthorReview:
    """One submitted review as its paper's authors may read it."""

    review_id: int
    label: str
    answers: list[Answer] = field(default_factory=list)


def review_labels(submission) -> dict[int, str]:
    """{review id: "Reviewer A", ...}: the same stable letters the committee's paper page and
    comment aliases use (reviews.discussion.queries.reviewer_letters, in assignment order), so
    authors and reviewers talk about the same "Reviewer B"."""
    letters = reviewer_letters(submission)
    rows = Review.objects.filter(submission=submission).values_list("pk", "reviewer_id")
    return {pk: f"Reviewer {letters.get(reviewer_id, '?')}" for pk, reviewer_id in rows}


def author_reviews(submission, levels=AUTHOR_LEVELS) -> list[AuthorReview]:
    """Submitted reviews from active (released, not declined, not removed) assignments, and
    those of removed reviewers a chair kept in the scores, with only the answers readable at
    ``levels`` (never more than the authors' level). Three queries."""
    levels = frozenset(levels) & AUTHOR_LEVELS
    labels = review_labels(submission)
    reviews = (
        Review.objects.filter(
            Q(assignment__in=active_reviewer_assignments())
            | Q(assignment__removed_at__isnull=False, assignment__keep_review=True),
            submission=submission,
            state=ReviewState.SUBMITTED,
        )
        .select_related("form")
        .prefetch_related(Prefetch("form__fields", queryset=ReviewField.objects.order_by("order")))
        .order_by("pk")
    )
    rows = [
        AuthorReview(
            review.pk,
            labels[review.pk],
            [
                Answer(
                    f.label,
                    f.kind == FieldKind.TEXT,
                    value if f.kind == FieldKind.TEXT else display_value(f, value),
                )
                for f, value in visible_answers(review, levels)
            ],
        )
        for review in reviews
    ]
    # In the order of their labels (Reviewer A, B, …; "Reviewer AA" after "Reviewer Z").
    return sorted(rows, key=lambda row: (len(row.label), row.label))


def response_of(submission) -> AuthorResponse | None:
    return AuthorResponse.objects.filter(submission=submission).first()


def reviewers_to_notify(submission) -> list:
    """Users reviewing the paper (released, not declined) who are not conflicted with it."""
    conflicted = {uid for _sid, uid in conflicted_pairs([submission.pk])}
    rows = active_reviewer_assignments().filter(submission=submission).select_related("reviewer")
    seen: dict[int, object] = {}
    for row in rows.order_by("pk"):
        if row.reviewer_id not in conflicted:
            seen.setdefault(row.reviewer_id, row.reviewer)
    return list(seen.values())
