"""Undoing the last commit of an assignment proposal: what it would do (``undo_preview``) and
doing it (``undo_commit``), with the chair's fate for each committed assignment that carries a
reviewer's work. Re-exported by :mod:`reviews.assignment.services`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils.dateparse import parse_datetime

from mlsys.accounts.models import User
from mlsys.conferences.models import Conference
from mlsys.conferences.viewer import require
from mlsys.core import audit
from reviews.assignment.removal import (
    SNAPSHOT_FIELDS,
    ConfirmationNeeded,
    notify_changed,
    notify_removed_work_kept,
    restore,
    restored_note,
    take_off,
    work_on,
)
from reviews.assignment.status import transition
from reviews.enums import ProposalStatus
from reviews.models import (
    Assignment,
    AssignmentProposal,
)

CHAIRS_ONLY = "Only the conference's chairs manage assignments."
NOT_THIS_PAPER = "Only a chair without a conflict with this paper changes its reviewers."


#: What an undo does to a committed assignment that carries work (the chair's choice).
STAY, RETIRE = "stay", "retire"
FATES = {STAY: "Keep the reviewer on the paper", RETIRE: "Remove the reviewer, keep the review"}


def last_commit(conference: Conference) -> AssignmentProposal | None:
    """The conference's most recent committed (and not undone) proposal."""
    return (
        AssignmentProposal.objects.filter(conference=conference, status=ProposalStatus.COMMITTED)
        .order_by("-committed_at", "-pk")
        .first()
    )


def undo_preview(proposal: AssignmentProposal) -> dict:
    """What undoing ``proposal`` would do, for the confirmation page: the assignments it
    created without work (``delete``) and with work (``keep``: (assignment, work list)), and
    whether the chair must choose each kept one's fate (assignments are released)."""
    record = proposal.report.get("commit", {})
    added = list(
        Assignment.objects.filter(pk__in=record.get("added", []), proposal=proposal)
        .select_related("submission", "reviewer")
        .order_by("submission__number", "reviewer__name")
    )
    work = work_on(added)
    return {
        "delete": [a for a in added if a.pk not in work],
        "keep": [(a, work[a.pk]) for a in added if a.pk in work],
        "restore": len(record.get("removed", [])) + len(record.get("retired", [])),
        "released": any(a.released for a in added if a.pk in work),
    }


def undo_commit(
    proposal: AssignmentProposal,
    *,
    actor: User,
    fates: dict[int, str] | None = None,
    default_fate: str | None = None,
) -> dict[str, int]:
    """Revert the conference's latest commit as one step: delete the Assignments it created
    that carry no work, restore (same ids) the ones it deleted and the ones it retired.
    Assignments changed by hand since are left alone.

    An assignment it created that carries work (a review, comments, ratings) is never
    deleted. Its fate comes from ``fates`` ({assignment id: STAY or RETIRE}); without one it
    stays, except that once it is released the undo is refused until the chair chose the
    fate of each (``ConfirmationNeeded``). ``default_fate`` (STAY or RETIRE), when given, is
    the fate of every released one without a choice of its own in ``fates``."""
    _viewer, actor = require(actor, "reviews.manage_assignments", proposal, CHAIRS_ONLY)
    fates = {pk: fate for pk, fate in (fates or {}).items() if fate in FATES}
    if default_fate not in FATES:
        default_fate = None
    with transaction.atomic():
        proposal = AssignmentProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        conference = proposal.conference
        latest = last_commit(conference)
        if (
            proposal.status != ProposalStatus.COMMITTED
            or latest is None
            or latest.pk != proposal.pk
        ):
            raise ValidationError("Only the latest committed proposal can be undone.")
        record = proposal.report.get("commit", {})
        added = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(pk__in=record.get("added", []), proposal=proposal)
            .select_related("submission", "reviewer")
        )
        work = work_on(added)
        if default_fate is not None:
            for a in added:
                if a.pk in work and a.released:
                    fates.setdefault(a.pk, default_fate)
        undecided = {
            a.pk: work[a.pk]
            for a in added
            if a.pk in work and a.released and fates.get(a.pk) not in FATES
        }
        if undecided:
            raise ConfirmationNeeded(
                f"{len(undecided)} assignment{pluralize(len(undecided))} of this commit "
                f"{pluralize(len(undecided), 'carries,carry')} reviewers' work; choose for each "
                "whether the reviewer stays or is removed with the review kept, or make one "
                "choice for every kept pair.",
                undecided,
            )
        affected: set[int] = set()
        told: list[Assignment] = []
        deleted = kept = retired = 0
        for a in added:
            if a.pk not in work:
                if a.released:
                    affected.add(a.reviewer_id)
                take_off(a, actor=actor, work=None)
                deleted += 1
            elif fates.get(a.pk) == RETIRE:
                take_off(a, actor=actor, work=work[a.pk])
                retired += 1
                if a.released:
                    told.append(a)
            else:
                kept += 1
        restored = 0
        for row in record.get("removed", []):
            exists = Assignment.objects.filter(
                submission_id=row["submission_id"],
                reviewer_id=row["reviewer_id"],
                round=row["round"],
            ).exists()
            if exists:
                continue
            Assignment.objects.create(conference=conference, **{f: row[f] for f in SNAPSHOT_FIELDS})
            created_at = parse_datetime(row.get("created_at") or "")
            if created_at is not None:
                Assignment.objects.filter(pk=row["id"]).update(created_at=created_at)
            restored += 1
            if row["released"]:
                affected.add(row["reviewer_id"])
        notes: dict[int, list[str]] = {}
        other_changes = set(affected)  # reviewers with papers deleted or restored besides
        retired_rows = (
            Assignment.objects.removed()
            .filter(pk__in=record.get("retired", []))
            .select_related("submission")
        )
        for a in retired_rows:
            restore(a, actor=actor)
            restored += 1
            if a.released:
                affected.add(a.reviewer_id)
                notes.setdefault(a.reviewer_id, []).append(restored_note(a))
        for user_id in notes.keys() & other_changes:
            notes[user_id].append("Other papers were added to or removed from your list.")
        transition(proposal, ProposalStatus.UNDONE, actor=actor)
        audit.record(
            "assignment.undone",
            actor=actor,
            target=proposal,
            changes={
                "deleted": deleted,
                "restored": restored,
                "kept": kept,
                "retired": retired,
                "default_fate": default_fate or "",
            },
        )
        notify_changed(conference, affected - {a.reviewer_id for a in told}, notes)
        for a in told:
            notify_removed_work_kept(a)
    return {"deleted": deleted, "restored": restored, "kept": kept, "retired": retired}


# --- Release and manual assignments ------------------------------------------------------


def assignments_released(conference: Conference) -> bool:
    """Whether the chairs have released assignments (new ones are then released at once)."""
    return Assignment.objects.filter(conference=conference, released=True).exists()
