"""The one place that changes an assignment proposal's status.

``transition`` is mlsys.core.transitions.transition over reviews.enums.PROPOSAL_TRANSITIONS: a
conditional UPDATE (``… WHERE status IN (allowed from)``), so two writers racing (a chair
discarding, the solver storing its result) cannot both win: the later one updates no row and
is told so.
"""

from __future__ import annotations

from mlsys.core import transitions
from reviews.enums import PROPOSAL_TRANSITIONS
from reviews.models import AssignmentProposal


def allowed_from(status: str) -> frozenset[str]:
    """The statuses a proposal may be in to move to ``status``."""
    return transitions.allowed_from(PROPOSAL_TRANSITIONS, status)


def transition(proposal: AssignmentProposal, status: str, *, actor=None, **fields) -> bool:
    """Move ``proposal`` to ``status`` (saving ``fields`` with it) if its current status in
    the database allows it; audit the change. Returns whether it moved; on success the
    in-memory ``proposal`` is updated too."""
    return transitions.transition(
        proposal,
        status,
        table=PROPOSAL_TRANSITIONS,
        action="assignment.proposal_status",
        actor=actor,
        **fields,
    )
