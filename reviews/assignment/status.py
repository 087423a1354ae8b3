"""The one place that changes an assignment proposal's status.

``transition`` is a conditional UPDATE (``… WHERE status IN (allowed from)``) following
reviews.enums.PROPOSAL_TRANSITIONS, so two writers racing (a chair discarding, the solver
storing its result) cannot both win: the later one updates no row and is told so.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mlsys.core import audit
from reviews.enums import PROPOSAL_TRANSITIONS
from reviews.models import AssignmentProposal


def allowed_from(status: str) -> frozenset[str]:
    """The statuses a proposal may be in to move to ``status``."""
    return frozenset(src for src, targets in PROPOSAL_TRANSITIONS.items() if status in targets)


def transition(proposal: AssignmentProposal, status: str, *, actor=None, **fields) -> bool:
    """Move ``proposal`` to ``status`` (saving ``fields`` with it) if its current status in
    the database allows it; audit the change. Returns whether it moved; on success the
    in-memory ``proposal`` is updated too."""
    with transaction.atomic():
        now = timezone.now()
        row = (
            AssignmentProposal.objects.select_for_update()
            .filter(pk=proposal.pk, status__in=allowed_from(status))
            .values_list("status", flat=True)
            .first()
        )
        moved = AssignmentProposal.objects.filter(
            pk=proposal.pk, status__in=allowed_from(status)
        ).update(status=status, updated_at=now, **fields)
        if not moved:
            return False
        if row != status:
            audit.record(
                "assignment.proposal_status",
                actor=actor,
                target=proposal,
                changes={"status": [row, status]},
            )
    proposal.status = status
    proposal.updated_at = now
    for name, value in fields.items():
        setattr(proposal, name, value)
    return True
