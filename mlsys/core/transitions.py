"""One way to change a status: a conditional UPDATE that follows a transition table, audited.

A state machine is a table ``{status: statuses it may move to}`` kept next to its enum. Its
status field changes only through :func:`transition`, which writes ``UPDATE … SET status = new
WHERE id = … AND status IN (the statuses allowed to move to new)``: two writers racing (a chair
discarding, a worker storing its result) cannot both win; the later one updates no row and is
told so. Used by the assignment proposal (reviews.assignment.status) and the affinity run
(reviews.affinity.status); decisions and artifacts follow the same pattern.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models, transaction
from django.utils import timezone

from mlsys.core import audit

Table = Mapping[str, frozenset[str]]


def allowed_from(table: Table, status: str) -> frozenset[str]:
    """The statuses an object may be in to move to ``status``."""
    return frozenset(src for src, targets in table.items() if status in targets)


def transition(
    obj: models.Model,
    status: str,
    *,
    table: Table,
    action: str,
    actor=None,
    conference=None,
    note: str = "",
    **fields,
) -> bool:
    """Move ``obj`` to ``status`` (saving ``fields`` with it) if its current status in the
    database allows it, and audit the change as ``action``. Returns whether it moved; on
    success the in-memory ``obj`` is updated too."""
    manager = type(obj)._default_manager
    sources = allowed_from(table, status)
    with transaction.atomic():
        now = timezone.now()
        current = (
            manager.select_for_update()
            .filter(pk=obj.pk, status__in=sources)
            .values_list("status", flat=True)
            .first()
        )
        moved = manager.filter(pk=obj.pk, status__in=sources).update(
            status=status, updated_at=now, **fields
        )
        if not moved:
            return False
        if current != status:
            audit.record(
                action,
                actor=actor,
                target=obj,
                conference=conference,
                changes={"status": [current, status]},
                note=note,
            )
    obj.status = status
    obj.updated_at = now
    for name, value in fields.items():
        setattr(obj, name, value)
    return True
