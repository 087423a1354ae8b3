"""Shared arrangement for the paper reviewing page and discussion tests.

``reviewed_paper`` (the ``paper`` fixture of ``tests/reviews/conftest.py``): a double-blind
Research paper by ``author``, reviewed by ``ml_reviewer`` (ML) and ``systems_reviewer``
(Systems); ``conflicted_reviewer`` and ``conflicted_chair`` (a second chair) have a confirmed
conflict with it; ``bystander`` (``tests/conftest.py``) is a PC member without a conflict who
is not assigned.
"""

from django.urls import reverse

from mlsys.conferences import enums
from mlsys.conferences.models import PhaseSetting
from reviews.models import Assignment, Review
from reviews.review_forms import form_for
from tests import factories

ML_TEXT = "ML-REVIEW-SUMMARY about attention sparsity"
SYSTEMS_TEXT = "SYSTEMS-REVIEW-SUMMARY about kernel fusion"
CHAIRS_NOTE = "CONFIDENTIAL-FOR-CHAIRS note"
PC_NOTE = "PC-ONLY-NOTE for the committee"


def answers(summary: str, *, merit: int = 4, confidence: int = 3, **extra) -> dict:
    return {
        "summary": summary,
        "strengths": "Clear writing.",
        "weaknesses": "Small evaluation.",
        "ml_contribution": 3,
        "systems_contribution": 3,
        "reproducibility": 3,
        "overall_merit": merit,
        "confidence": confidence,
        **extra,
    }


def assign(paper, reviewer) -> Assignment:
    return factories.AssignmentFactory(submission=paper, reviewer=reviewer, released=True)


def write_review(paper, reviewer, data: dict, *, state: str = "submitted") -> Review:
    assignment = Assignment.objects.filter(submission=paper, reviewer=reviewer).first() or assign(
        paper, reviewer
    )
    return factories.ReviewFactory(
        assignment=assignment, form=form_for(paper), answers=data, state=state
    )


def member(conference, role=enums.Role.PC_MEMBER, side=enums.Side.ML, *, name: str, **kwargs):
    user = factories.UserFactory(name=name, **kwargs)
    factories.MembershipFactory(
        conference=conference,
        user=user,
        role=role,
        side=side if role in enums.REVIEWING_ROLES else "",
    )
    return user


def open_response_phase(conference) -> None:
    PhaseSetting.objects.update_or_create(
        conference=conference,
        phase=enums.Phase.RESPONSE,
        defaults={"mode": enums.PhaseMode.OPEN},
    )
    conference.__dict__.pop("_phase_modes", None)


def paper_url(paper, name: str = "reviews:paper", **kwargs) -> str:
    return reverse(
        name, kwargs={"conference": paper.conference.slug, "number": paper.number, **kwargs}
    )


def reviewed_paper(
    conference, author, ml_reviewer, systems_reviewer, conflicted_reviewer, conflicted_chair
):
    """The ``paper`` fixture of ``tests/reviews/conftest.py``: assigned to both reviewers,
    conflicted with ``conflicted_reviewer`` and ``conflicted_chair``."""
    paper = factories.SubmissionFactory(
        conference=conference, title="Sparse kernels for LLMs", authors=[author]
    )
    assign(paper, ml_reviewer)
    assign(paper, systems_reviewer)
    for user in (conflicted_reviewer, conflicted_chair):
        factories.ConflictFactory(submission=paper, user=user, state="confirmed")
    return paper
