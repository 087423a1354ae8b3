"""Chairs' decisions on conflicts: confirm, pin, dismiss. Every change is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mlsys.conferences.viewer import acting
from mlsys.core import audit
from submissions.enums import ConflictState
from submissions.models import Conflict

#: What a chair may turn a conflict into; any state may move to any of these but itself.
CHAIR_TARGETS = frozenset({ConflictState.CONFIRMED, ConflictState.PINNED, ConflictState.DISMISSED})


def set_conflict_state(*, conflict: Conflict, actor, to: str, note: str = "") -> Conflict:
    """Move ``conflict`` to ``to`` (confirmed, pinned or dismissed) as a chair of its conference.

    Raises PermissionDenied for non-chairs, for a chair's own conflict and for a chair
    conflicted with the paper; ValidationError for a target that is not allowed
    or already current. Writes a ``conflict.<state>`` audit event with the state change.
    Detection never overrides the result (see :func:`submissions.conflicts.recompute_conflicts`).
    """
    viewer, actor = acting(actor)
    with transaction.atomic():
        conflict = (
            Conflict.objects.select_for_update(of=("self",))
            .select_related("submission__conference")
            .get(pk=conflict.pk)
        )
        conference = conflict.submission.conference
        if not viewer.has_perm("submissions.manage_submissions", conference):
            raise PermissionDenied("Only the program chairs decide on conflicts.")
        if conflict.user_id == actor.pk:
            raise PermissionDenied("Another chair decides on your own conflicts.")
        if not viewer.has_perm("submissions.act_on_submission", conflict.submission):
            raise PermissionDenied(
                "You are conflicted with this paper, so you cannot decide on its conflicts; "
                "another chair must."
            )
        if to not in CHAIR_TARGETS:
            raise ValidationError({"state": f"“{to}” is not a state chairs can set."})
        if conflict.state == to:
            raise ValidationError(
                {"state": f"The conflict is already {conflict.get_state_display().lower()}."}
            )
        before = audit.snapshot(conflict, ["state"])
        conflict.state = to
        conflict.save(update_fields=["state", "updated_at"])
        audit.record(
            f"conflict.{to}",
            actor=actor,
            target=conflict,
            conference=conference,
            changes=audit.diff(before, conflict),
            note=note,
        )
    return conflict
