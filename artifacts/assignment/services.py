"""Bids, evaluator assignments (by hand; the solver's run is solving.py), their removal, and
starting kick-the-tires. Every function takes ``actor`` and checks its permission; audited.

- An evaluator bids eager / willing / reluctant / conflict on an artifact until the
  ``AE_BIDDING`` deadline (open when none is set). A "conflict" bid makes them conflicted
  with the paper for artifact evaluation (artifacts.rules.load_artifact_conflicts).
- An assignment's alias ("A", "B", …) is the first letter unused on the artifact, fixed for
  the assignment's life; a retired assignment keeps its letter. The letter of an assignment
  deleted without work (no trace the authors could have seen) may be given again.
- Taking an evaluator off: an assignment without work is deleted; one with work (a
  kick-the-tires checklist, an evaluation, messages by that evaluator on the artifact) is
  retired (``removed_at``), after the chair confirmed knowing what work it carries.
"""

from __future__ import annotations

import string
from collections import Counter

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from artifacts import enums, status
from artifacts.assignment import hardware
from artifacts.assignment import pool as pools
from artifacts.models import (
    Artifact,
    ArtifactBid,
    ArtifactMessage,
    Evaluation,
    EvaluatorAssignment,
    HardwareProfile,
    KickTheTiresCheck,
)
from artifacts.rules import load_artifact_conflicts
from mlsys.accounts.models import User
from mlsys.conferences.enums import DeadlineKind, InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.viewer import acting, require
from mlsys.core import audit
from mlsys.mail.services import queue_email


class ConfirmationNeeded(ValidationError):
    """Removing would retire an assignment that carries work: the chair must confirm it."""

    def __init__(self, message: str, work: list[str]):
        super().__init__(message)
        self.work = work


# --- Bidding -----------------------------------------------------------------------------------


def bidding_deadline(conference):
    return conference.deadline_map().get(DeadlineKind.AE_BIDDING)


def bidding_open(conference, now=None) -> bool:
    """Open until the AE bidding deadline; open when none is set."""
    deadline = bidding_deadline(conference)
    return deadline is None or (now or timezone.now()) < deadline.at


@transaction.atomic
def place_bid(artifact: Artifact, *, actor, preference: str) -> ArtifactBid:
    """Record the actor's bid on ``artifact`` (replacing their earlier one), audited.

    Raises PermissionDenied unless they may bid on it now (an AE evaluator, not conflicted,
    the artifact still taking evaluators: submitted to evaluating; bidding open); ValueError
    for an unknown preference. A "conflict" bid makes them conflicted with the paper."""
    if preference not in enums.BidPreference.values:
        raise ValueError(f"Unknown bid {preference!r}")
    viewer, user = require(
        actor, "artifacts.bid_on_artifact", artifact, "You cannot bid on this artifact."
    )
    if artifact.status not in enums.NEEDS_EVALUATORS:
        raise PermissionDenied(
            "This artifact is not open for bidding: it takes no more evaluators."
        )
    if not bidding_open(artifact.conference):
        raise PermissionDenied("Bidding is closed; your bids can no longer be changed.")
    bid = ArtifactBid.objects.select_for_update().filter(artifact=artifact, user=user).first()
    old = bid.preference if bid else None
    if bid is None:
        bid = ArtifactBid.objects.create(artifact=artifact, user=user, preference=preference)
    elif bid.preference != preference:
        bid.preference = preference
        bid.save(update_fields=["preference", "updated_at"])
    if old != preference:
        audit.record(
            "artifacts.bid_placed",
            actor=user,
            target=bid,
            conference=artifact.conference,
            changes={"preference": [old, preference]},
        )
    if preference == enums.BidPreference.CONFLICT:
        # The caller's viewer would still count the artifact as not conflicted.
        viewer.forget(load_artifact_conflicts)
    return bid


# --- Assignments -------------------------------------------------------------------------------


def aliases():
    """A, B, … Z, AA, AB, …"""
    letters = string.ascii_uppercase
    yield from letters
    for first in letters:
        for second in letters:
            yield first + second


def next_alias(artifact: Artifact) -> str:
    used = set(
        EvaluatorAssignment.objects.filter(artifact=artifact).values_list("alias", flat=True)
    )
    return next(a for a in aliases() if a not in used)


def create_assignment(artifact: Artifact, evaluator: User, *, actor, note: str = ""):
    """Put ``evaluator`` on ``artifact`` with the next alias; audited. Checks only that the
    actor acts on the artifact: the callers (:func:`add_evaluator`, solving.commit) check
    the evaluator. A retired assignment of the same
    evaluator is restored instead (keeping its alias)."""
    _viewer, user = require(
        actor, "artifacts.act_on_artifact", artifact, "You cannot assign evaluators here."
    )
    existing = EvaluatorAssignment.objects.filter(artifact=artifact, evaluator=evaluator).first()
    if existing is not None:
        if existing.removed_at is None:
            raise ValidationError(f"{evaluator.name or evaluator.email} is already on it.")
        removed_at = existing.removed_at
        existing.removed_at = None
        existing.removed_by = None
        existing.save(update_fields=["removed_at", "removed_by", "updated_at"])
        audit.record(
            "artifacts.evaluator_restored",
            actor=user,
            target=existing,
            conference=artifact.conference,
            changes={"removed_at": [removed_at.isoformat(), None]},
            note=note,
        )
        return existing
    assignment = EvaluatorAssignment.objects.create(
        artifact=artifact,
        evaluator=evaluator,
        alias=next_alias(artifact),
        assigned_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(
        "artifacts.evaluator_assigned",
        actor=user,
        target=assignment,
        conference=artifact.conference,
        changes={"evaluator": [None, evaluator.pk], "alias": [None, assignment.alias]},
        note=note,
    )
    return assignment


def is_evaluator(conference, user) -> bool:
    return CommitteeMembership.objects.filter(
        conference=conference,
        user=user,
        role=Role.AE_EVALUATOR,
        status=InvitationStatus.ACCEPTED,
    ).exists()


@transaction.atomic
def add_evaluator(artifact: Artifact, evaluator: User, *, actor, override: str = ""):
    """The chair puts ``evaluator`` on ``artifact`` by hand.

    Refused (ValidationError) for someone who is not an accepted AE evaluator or is
    conflicted with the paper (never overridable). A hardware misfit needs ``override``: the
    chair's reason, kept in the audit event. Loads are not enforced by hand (the page shows
    them)."""
    require(actor, "artifacts.act_on_artifact", artifact, "You cannot assign evaluators here.")
    Artifact.objects.select_for_update().filter(pk=artifact.pk).first()
    if artifact.status not in enums.ACTIVE:
        raise ValidationError(
            f"This artifact is {artifact.get_status_display().lower()}; it takes no evaluators."
        )
    if not is_evaluator(artifact.conference, evaluator):
        raise ValidationError("Only accepted AE evaluators can evaluate artifacts.")
    if pools.conflicts_of([artifact.submission_id], [evaluator.pk], artifact.conference):
        raise ValidationError(
            f"{evaluator.name or evaluator.email} is conflicted with this paper; they cannot "
            "evaluate its artifact."
        )
    profile = HardwareProfile.objects.filter(user=evaluator).first()
    ok, reasons = hardware.fit(profile, artifact)
    override = (override or "").strip()[:500]
    if not ok and not override:
        raise ValidationError(
            "Their hardware does not fit: "
            + " ".join(reasons)
            + " Give a reason to assign them anyway."
        )
    note = "Added by hand." + ("" if ok else f" Hardware misfit overridden: {override}")
    assignment = create_assignment(artifact, evaluator, actor=actor, note=note)
    notify_assigned(artifact.conference, {evaluator.pk})
    return assignment


def work_on(assignment: EvaluatorAssignment) -> list[str]:
    """What work the assignment carries, in words (empty: none). Three queries."""
    work = []
    check = KickTheTiresCheck.objects.filter(assignment=assignment).first()
    if check is not None:
        work.append(
            "a submitted kick-the-tires checklist"
            if check.submitted_at
            else "a kick-the-tires checklist in progress"
        )
    evaluation = Evaluation.objects.filter(assignment=assignment).first()
    if evaluation is not None:
        verdicts = evaluation.verdicts.count()
        state = "a submitted evaluation" if evaluation.submitted_at else "a draft evaluation"
        work.append(f"{state} ({verdicts} badge verdict{pluralize(verdicts)})")
    messages = Counter(
        ArtifactMessage.objects.filter(
            artifact_id=assignment.artifact_id, sender_id=assignment.evaluator_id
        ).values_list("thread", flat=True)
    )
    for thread, n in sorted(messages.items()):
        where = enums.Thread(thread).label.lower()
        work.append(f"{n} message{pluralize(n)} in the “{where}” thread")
    return work


@transaction.atomic
def remove_evaluator(assignment: EvaluatorAssignment, *, actor, confirm: bool = False) -> str:
    """Take an evaluator off an artifact: ``"deleted"`` (no work) or ``"retired"`` (work
    kept, ``removed_at`` set). Raises :class:`ConfirmationNeeded` naming the work unless
    ``confirm``."""
    artifact = assignment.artifact
    _viewer, user = require(
        actor,
        "artifacts.act_on_artifact",
        artifact,
        "You cannot change this artifact's evaluators.",
    )
    assignment = EvaluatorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.removed_at is not None:
        raise ValidationError("This evaluator is already off the artifact.")
    work = work_on(assignment)
    if work and not confirm:
        raise ConfirmationNeeded(
            "This evaluator has already worked on the artifact: " + "; ".join(work) + ".", work
        )
    if work:
        assignment.removed_at = timezone.now()
        assignment.removed_by = user if getattr(user, "is_authenticated", False) else None
        assignment.save(update_fields=["removed_at", "removed_by", "updated_at"])
        audit.record(
            "artifacts.evaluator_retired",
            actor=user,
            target=assignment,
            conference=artifact.conference,
            changes={"removed_at": [None, assignment.removed_at.isoformat()]},
            note="Work kept: " + "; ".join(work),
        )
        return "retired"
    audit.record(
        "artifacts.evaluator_removed",
        actor=user,
        target=assignment,
        conference=artifact.conference,
        changes={
            "evaluator": [assignment.evaluator_id, None],
            "alias": [assignment.alias, None],
        },
    )
    assignment.delete()
    return "deleted"


# --- Kick-the-tires ----------------------------------------------------------------------------


def start_kick_the_tires(artifacts, *, actor) -> tuple[list[Artifact], list[tuple[Artifact, str]]]:
    """Move each submitted artifact with enough live evaluators to kick-the-tires (the
    evaluators are emailed by artifacts.status). Returns (started, [(skipped, why)])."""
    _viewer, user = acting(actor)
    started: list[Artifact] = []
    skipped: list[tuple[Artifact, str]] = []
    artifacts = list(artifacts)
    if not artifacts:
        return started, skipped
    settings = pools.settings_of(artifacts[0].conference)
    counts = Counter(
        EvaluatorAssignment.objects.live()
        .filter(artifact__in=artifacts)
        .values_list("artifact_id", flat=True)
    )
    for artifact in artifacts:
        try:
            require(actor, "artifacts.act_on_artifact", artifact, "You are conflicted with it.")
        except PermissionDenied as exc:
            skipped.append((artifact, str(exc)))
            continue
        have, need = counts[artifact.pk], settings.evaluators_per_artifact
        if artifact.status != enums.ArtifactStatus.SUBMITTED:
            skipped.append((artifact, f"It is {artifact.get_status_display().lower()}."))
        elif have < need:
            skipped.append((artifact, f"It has {have} of its {need} evaluators."))
        else:
            try:
                status.move(
                    artifact,
                    enums.ArtifactStatus.KICK_THE_TIRES,
                    mover=enums.Mover.CHAIR,
                    actor=user,
                    note="Kick-the-tires started by the AE chair.",
                )
            except status.MoveRefused as exc:
                skipped.append((artifact, str(exc)))
            else:
                started.append(artifact)
    return started, skipped


# --- Emails ------------------------------------------------------------------------------------


def notify_assigned(conference, user_ids) -> None:
    """Email each evaluator in ``user_ids`` their current list of artifacts (one email each)."""
    url = django_settings.SITE_URL.rstrip("/") + reverse(
        "artifacts:mine", kwargs={"conference": conference.slug}
    )
    rows = (
        EvaluatorAssignment.objects.live()
        .filter(artifact__conference=conference, evaluator_id__in=list(user_ids))
        .exclude(artifact__status=enums.ArtifactStatus.WITHDRAWN)
        .select_related("artifact__submission", "evaluator")
        .order_by("artifact__submission__number")
    )
    lists: dict[int, list[str]] = {}
    people: dict[int, User] = {}
    for row in rows:
        paper = row.artifact.submission
        lists.setdefault(row.evaluator_id, []).append(
            f"  #{paper.number} {paper.title} (you are Evaluator {row.alias})"
        )
        people[row.evaluator_id] = row.evaluator
    for uid, user in people.items():
        queue_email(
            to=[user.email],
            key="artifacts.evaluator_assigned",
            conference=conference,
            context={
                "name": user.name or user.email,
                "artifacts": "\n".join(lists[uid]),
                "url": url,
            },
        )
