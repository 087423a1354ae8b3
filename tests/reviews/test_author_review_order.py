"""Authors (and their letters) read the reviews in label order, whatever order they came in."""

from reviews.response.queries import author_reviews
from tests import factories


def test_reviewer_a_comes_before_reviewer_b_even_when_b_submitted_first(conference):
    paper = factories.SubmissionFactory(conference=conference)
    first = factories.AssignmentFactory(submission=paper)  # Reviewer A
    second = factories.AssignmentFactory(submission=paper)  # Reviewer B
    late = factories.ReviewFactory(assignment=second, state="submitted")  # written first
    early = factories.ReviewFactory(assignment=first, state="submitted")
    rows = author_reviews(paper)
    assert [(row.label, row.review_id) for row in rows] == [
        ("Reviewer A", early.pk),
        ("Reviewer B", late.pk),
    ]
