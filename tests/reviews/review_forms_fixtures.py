"""Helpers shared by the review form tests (kept here, not in the global conftest)."""

from reviews.models import Assignment, Review
from reviews.review_forms import form_for


def assign(submission, reviewer, *, released: bool = True) -> Assignment:
    return Assignment.objects.create(
        conference=submission.conference,
        submission=submission,
        reviewer=reviewer,
        released=released,
    )


def review(submission, reviewer, answers: dict, *, state: str = "submitted") -> Review:
    assignment = assign(submission, reviewer)
    return Review.objects.create(
        assignment=assignment,
        submission=submission,
        reviewer=reviewer,
        form=form_for(submission),
        answers=answers,
        state=state,
    )


FULL_ANSWERS = {
    "summary": "A compiler for sparse attention.",
    "strengths": "Fast.",
    "weaknesses": "Narrow.",
    "ml_contribution": 2,
    "systems_contribution": 4,
    "reproducibility": 3,
    "overall_merit": 5,
    "confidence": 3,
}
