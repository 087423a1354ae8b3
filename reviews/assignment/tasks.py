"""Celery task of automatic assignment (found by autodiscovery, see mlsys/celery.py)."""

import logging

from celery import shared_task

from reviews.assignment.solving import run_solve
from reviews.assignment.status import transition
from reviews.enums import ProposalStatus
from reviews.models import AssignmentProposal

log = logging.getLogger(__name__)


@shared_task(name="reviews.solve_assignment", acks_late=True)
def solve_assignment(*, proposal_id: int) -> str | None:
    """Solve one proposal, saving progress on it (0 → building → solving → storing → 1).

    An infeasible problem ends as status ``infeasible`` with the explanation. Any other error
    ends as ``failed`` with a one-line message for the chair (the traceback goes to the log),
    so the page that polls the proposal never waits forever.
    """
    proposal = (
        AssignmentProposal.objects.select_related("conference", "track")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        return None
    try:
        run_solve(proposal)
    except Exception as exc:  # a task boundary: record the failure where the chair looks
        log.exception("Assignment proposal %s failed", proposal_id)
        transition(
            proposal,
            ProposalStatus.FAILED,
            progress=1.0,
            message=f"The solver stopped with an error: {type(exc).__name__}: {exc}"[:2000],
        )
    return AssignmentProposal.objects.get(pk=proposal_id).status
