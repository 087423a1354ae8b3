"""Helpers shared by the review form tests (kept here, not in the global conftest)."""

from reviews.models import Assignment, Review
from reviews.review_forms import form_for
from tests import factories


def assign(submission, reviewer, *, released: bool = True) -> Assignment:
    return factories.AssignmentFactory(submission=submission, reviewer=reviewer, released=released)


def review(submission, reviewer, answers: dict, *, state: str = "submitted") -> Review:
    assignment = assign(submission, reviewer)
    return factories.ReviewFactory(
        assignment=assignment, form=form_for(submission), answers=answers, state=state
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
