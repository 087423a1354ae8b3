"""A conference with scored reviews from both sides, for the dashboard's tests."""

import pytest

from mlsys.conferences import enums
from tests import factories


@pytest.fixture
def review_form(conference):
    form = factories.ReviewFormFactory(conference=conference)
    factories.ReviewFieldFactory(
        form=form,
        key="overall_merit",
        label="Overall merit",
        scale=[{"value": v, "label": str(v)} for v in range(1, 7)],
    )
    factories.ReviewFieldFactory(
        form=form,
        key="confidence",
        label="Confidence",
        scale=[{"value": v, "label": str(v)} for v in range(1, 5)],
    )
    factories.ReviewFieldFactory(form=form, key="summary", label="Summary", kind="text")
    return form


def pc_member(conference, side, name):
    user = factories.UserFactory(name=name)
    factories.MembershipFactory(
        conference=conference, user=user, role=enums.Role.PC_MEMBER, side=side
    )
    return user


def scored(paper, reviewer, form, merit, confidence=3, state="submitted"):
    assignment = factories.AssignmentFactory(submission=paper, reviewer=reviewer)
    return factories.ReviewFactory(
        assignment=assignment,
        form=form,
        state=state,
        answers={"overall_merit": merit, "confidence": confidence, "summary": "Fine."},
    )


@pytest.fixture
def make_scored_paper(conference, review_form):
    """``make(ml=[scores], systems=[scores])``: a submitted paper reviewed by new PC members."""
    counter = {"n": 0}

    def make(ml=(), systems=(), **kwargs):
        paper = factories.SubmissionFactory(conference=conference, **kwargs)
        for side, scores in ((enums.Side.ML, ml), (enums.Side.SYSTEMS, systems)):
            for score in scores:
                counter["n"] += 1
                reviewer = pc_member(conference, side, f"Reviewer {counter['n']}")
                scored(paper, reviewer, review_form, score)
        return paper

    return make
