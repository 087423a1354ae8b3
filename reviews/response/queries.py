"""Reads for the author response: the reviews as authors see them, and who hears about it.

Authors get the answers to "authors"-visibility fields only, under stable labels
("Reviewer A", "Reviewer B", ...). The rows handed to templates carry no reviewer object, so a
template cannot print a name, an email or a side by mistake.
"""

from dataclasses import dataclass, field
from string import ascii_uppercase
from typing import Any

from django.db.models import Prefetch

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


def _label(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = ascii_uppercase[rest] + letters
    return f"Reviewer {letters}"


def review_labels(submission) -> dict[int, str]:
    """{review id: "Reviewer A", ...} for every review of the paper (drafts included, in
    creation order), so a label never changes when a late review is submitted. The same
    labels are meant for the committee's view of the response."""
    ids = Review.objects.filter(submission=submission).order_by("pk").values_list("pk", flat=True)
    return {pk: _label(i) for i, pk in enumerate(ids)}


def author_reviews(submission, levels=AUTHOR_LEVELS) -> list[AuthorReview]:
    """Submitted reviews from active (released, not declined) assignments, with only the
    answers readable at ``levels`` (never more than the authors' level). Three queries."""
    levels = frozenset(levels) & AUTHOR_LEVELS
    labels = review_labels(submission)
    reviews = (
        Review.objects.filter(
            submission=submission,
            state=ReviewState.SUBMITTED,
            assignment__in=active_reviewer_assignments(),
        )
        .select_related("form")
        .prefetch_related(Prefetch("form__fields", queryset=ReviewField.objects.order_by("order")))
        .order_by("pk")
    )
    return [
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
