"""The one place that changes an affinity run's status.

``transition`` is mlsys.core.transitions.transition over reviews.enums.AFFINITY_RUN_TRANSITIONS:
a conditional UPDATE (``… WHERE status IN (allowed from)``), so a run abandoned as stale while
its worker still computes stays failed: the worker's late "ready" updates no row.
"""

from __future__ import annotations

from mlsys.core import transitions
from reviews.enums import AFFINITY_RUN_TRANSITIONS
from reviews.models import AffinityRun


def transition(
    run: AffinityRun,
    status: str,
    *,
    action: str = "affinity.run_status",
    actor=None,
    note: str = "",
    **fields,
) -> bool:
    """Move ``run`` to ``status`` (saving ``fields`` with it) if its current status in the
    database allows it; audit the change as ``action``. Returns whether it moved."""
    return transitions.transition(
        run,
        status,
        table=AFFINITY_RUN_TRANSITIONS,
        action=action,
        actor=actor,
        conference=run.conference,
        note=note,
        **fields,
    )
