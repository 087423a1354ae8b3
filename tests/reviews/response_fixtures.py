"""Shared set-up of the author response, meta-review, reminder and progress tests.

A paper by ``author`` (Research track, double-blind) reviewed by ``ml_reviewer`` and
``systems_reviewer`` (released, submitted reviews whose PC-only and chairs-only answers carry
marker strings), plus ``conflicted_reviewer`` assigned but conflicted with it.
"""

from mlsys.conferences.enums import PhaseMode
from mlsys.conferences.models import PhaseSetting
from reviews.models import Assignment, Review
from reviews.review_forms import form_for
from submissions.models import Submission
from tests import factories

PC_SECRET = "PCONLY-observation-zeta"
CHAIRS_SECRET = "CHAIRSONLY-remark-omega"


def answers(summary: str) -> dict:
    return {
        "summary": summary,
        "strengths": "Clear **speed-ups** on $n^2$ attention.",
        "weaknesses": "Only one GPU type.",
        "ml_contribution": 2,
        "systems_contribution": 4,
        "reproducibility": 3,
        "overall_merit": 4,
        "confidence": 3,
        "questions_for_authors": "Does it scale to 64 GPUs?",
        "comments_for_pc": PC_SECRET,
        "comments_for_chairs": CHAIRS_SECRET,
    }


def assign(paper, reviewer, *, released=True, **kwargs) -> Assignment:
    return factories.AssignmentFactory(
        submission=paper, reviewer=reviewer, released=released, **kwargs
    )


def review(paper, reviewer, summary="A compiler for sparse attention.", *, state="submitted"):
    assignment = assign(paper, reviewer)
    return factories.ReviewFactory(
        assignment=assignment, form=form_for(paper), answers=answers(summary), state=state
    )


def set_phase(conference, phase: str, mode: str = PhaseMode.OPEN) -> None:
    PhaseSetting.objects.update_or_create(
        conference=conference, phase=phase, defaults={"mode": mode}
    )
    for cache in ("_phase_modes", "_deadline_map"):
        conference.__dict__.pop(cache, None)


def fresh(paper) -> Submission:
    """The paper re-read (with a fresh conference: no cached phases or deadlines)."""
    return Submission.objects.select_related("conference", "track").get(pk=paper.pk)


def make_paper(conference, author, **kwargs) -> Submission:
    kwargs.setdefault("title", "Sparse attention compiler")
    return factories.SubmissionFactory(conference=conference, authors=[author], **kwargs)


def make_reviews(paper, ml_reviewer, systems_reviewer, conflicted_reviewer) -> list[Review]:
    """Two submitted reviews (ML, Systems) and a conflicted reviewer's released assignment."""
    reviews = [
        review(paper, ml_reviewer, "ML view: the kernels are clever."),
        review(paper, systems_reviewer, "Systems view: the runtime is solid."),
    ]
    factories.ConflictFactory(submission=paper, user=conflicted_reviewer, state="confirmed")
    assign(paper, conflicted_reviewer)
    return reviews
