"""A reviewed paper with a decision: two submitted reviews (an author-visible text answer and a
PC-only one), a submitted meta-review, and two authors (one with an account)."""

import pytest

from decisions import services
from decisions.outcomes import outcomes_of
from reviews.enums import FieldKind, FieldVisibility
from tests import factories


@pytest.fixture
def outcomes(conference):
    oral, poster, reject = outcomes_of(conference)
    return {"oral": oral, "poster": poster, "reject": reject}


def review_form(conference):
    """The conference's default form with a score, an author-visible and a PC-only question."""
    from reviews.models import ReviewForm

    form = ReviewForm.objects.filter(conference=conference, track__isnull=True).first()
    if form is not None:
        return form
    form = factories.ReviewFormFactory(conference=conference)
    factories.ReviewFieldFactory(form=form, key="overall_merit", label="Overall merit")
    factories.ReviewFieldFactory(
        form=form,
        key="comments",
        label="Comments for the authors",
        kind=FieldKind.TEXT,
        visibility=FieldVisibility.AUTHORS,
    )
    factories.ReviewFieldFactory(
        form=form,
        key="private",
        label="Confidential comments",
        kind=FieldKind.TEXT,
        visibility=FieldVisibility.PC,
    )
    return form


def reviewed_paper(conference, author, *, number, title="Fast kernels"):
    paper = factories.SubmissionFactory(
        conference=conference, number=number, title=title, authors=[author]
    )
    factories.AuthorFactory(
        submission=paper, name="Bo Coauthor", email=f"bo{number}@uni.example.org", order=5
    )
    form = review_form(conference)
    for name in ("Rita Reviewer", "Ralf Reviewer"):
        reviewer = factories.UserFactory(name=name)
        assignment = factories.AssignmentFactory(submission=paper, reviewer=reviewer)
        factories.ReviewFactory(
            assignment=assignment,
            form=form,
            state="submitted",
            answers={
                "overall_merit": 4,
                "comments": "Solid work on **kernels**.",
                "private": "SECRET-PC-ONLY",
            },
        )
    factories.MetaReviewFactory(
        submission=paper, state="submitted", summary="The committee liked the kernels."
    )
    return paper


@pytest.fixture
def paper(conference, author):
    return reviewed_paper(conference, author, number=1)


def decide(paper, outcome, chair):
    return services.record_decision(submission=paper, outcome=outcome, actor=chair)
