"""From evaluations to published badges: the discussion lead and their proposal, the AE chair's
decision per requested badge and the public report, reopening, publication, the chair's hand
moves (one artifact or many) and the moves the clock makes (``advance_evaluations``, run hourly
by the beat task "artifacts.advance_evaluations").

Every function checks its permission with ``require`` and changes the status only through
``artifacts.status.move``. Bulk actions skip, with a reason, what they may not touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from artifacts import enums, signals, status
from artifacts.enums import ArtifactStatus as S
from artifacts.enums import Mover
from artifacts.evaluation.services import CHAIRS_ALIAS, all_submitted, clean_text
from artifacts.models import Artifact, ArtifactMessage, Evaluation, EvaluatorAssignment
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.viewer import require
from mlsys.core import audit

CHAIR_ONLY = "Only an AE chair who is not conflicted with this paper can do this."


def _chair(actor, artifact: Artifact):
    return require(actor, "artifacts.act_on_artifact", artifact, CHAIR_ONLY)


def _refuse_status(artifact: Artifact, what: str, *statuses: str) -> None:
    if artifact.status not in statuses:
        raise PermissionDenied(f"This artifact is {artifact.get_status_display().lower()}; {what}.")


# --- The lead -------------------------------------------------------------------------------


def set_lead(*, actor, artifact: Artifact, evaluator) -> None:
    """Make ``evaluator`` (a live evaluator of the artifact, or None to clear) its lead."""
    _viewer, user = _chair(actor, artifact)
    if evaluator is not None and not (
        artifact.assignments.live().filter(evaluator=evaluator).exists()
    ):
        raise ValidationError("The lead must be one of the artifact's evaluators.")
    with transaction.atomic():
        before = artifact.lead_id
        artifact.lead = evaluator
        artifact.save(update_fields=["lead", "updated_at"])
        audit.record(
            "artifacts.lead_set",
            actor=user,
            target=artifact,
            conference=artifact.conference,
            changes={"lead": [before, artifact.lead_id]},
        )


@dataclass
class BulkResult:
    done: list[Artifact] = field(default_factory=list)
    skipped: list[tuple[Artifact, str]] = field(default_factory=list)


def pick_leads(*, actor, conference, artifacts) -> BulkResult:
    """Give each artifact without a live lead its evaluator of the first alias; skip, with a
    reason, the conflicted ones and those without evaluators."""
    viewer, _user = require(
        actor, "artifacts.manage_ae", conference, "Only the AE chairs pick leads."
    )
    result = BulkResult()
    for artifact in artifacts:
        if not viewer.has_perm("artifacts.act_on_artifact", artifact):
            result.skipped.append((artifact, "you are conflicted with this paper"))
            continue
        live = list(artifact.assignments.live().order_by("alias"))
        if artifact.lead_id and any(a.evaluator_id == artifact.lead_id for a in live):
            result.skipped.append((artifact, "it has a lead"))
            continue
        if not live:
            result.skipped.append((artifact, "it has no evaluators"))
            continue
        set_lead(actor=viewer, artifact=artifact, evaluator=live[0].evaluator)
        result.done.append(artifact)
    return result


def propose(*, actor, artifact: Artifact, proposals: dict[int, str], note: str) -> None:
    """The lead's proposal per requested badge (``Badge`` id → award / do_not_award, or "" to
    leave it open) and their note for the AE chair, during the discussion."""
    viewer, user = require(
        actor,
        "artifacts.view_artifact",
        artifact,
        "Only the artifact's discussion lead proposes its badges.",
    )
    if not viewer.has_perm("artifacts.propose_badges", artifact):
        raise PermissionDenied("Only the artifact's discussion lead proposes its badges.")
    _refuse_status(artifact, "badges are proposed during the discussion", S.DISCUSSION)
    note = clean_text(note, what="note", required=False)
    rows = {rb.badge_id: rb for rb in artifact.requested_badges.all()}
    if set(proposals) - set(rows):
        raise ValidationError("A proposal names a badge this artifact did not request.")
    if any(v and v not in enums.Verdict.values for v in proposals.values()):
        raise ValidationError("Propose award or do not award for each badge.")
    with transaction.atomic():
        for badge_id, value in proposals.items():
            rows[badge_id].proposal = value
            rows[badge_id].save(update_fields=["proposal", "updated_at"])
        artifact.lead_note = note
        artifact.save(update_fields=["lead_note", "updated_at"])
        audit.record(
            "artifacts.badges_proposed",
            actor=user,
            target=artifact,
            conference=artifact.conference,
            changes={"proposal": {str(k): v for k, v in proposals.items()}},
        )


# --- The chair's decision -------------------------------------------------------------------


def report_draft(artifact: Artifact) -> str:
    """The public report pre-filled from the submitted evaluations' comments to the authors,
    each under its evaluator's alias."""
    parts = [
        f"**{e.assignment.display_alias}**\n\n{e.to_authors.strip()}"
        for e in Evaluation.objects.filter(
            assignment__artifact=artifact,
            assignment__removed_at__isnull=True,
            submitted_at__isnull=False,
        )
        .exclude(to_authors="")
        .select_related("assignment")
        .order_by("assignment__alias")
    ]
    return "\n\n".join(parts)


def decide(*, actor, artifact: Artifact, outcomes: dict[int, str], public_report: str) -> None:
    """The AE chair's outcome for every requested badge (``Badge`` id → awarded /
    not_awarded) and the public report; the artifact moves to decided."""
    _viewer, user = _chair(actor, artifact)
    _refuse_status(artifact, "badges are decided after the discussion", S.DISCUSSION)
    report = clean_text(public_report, what="public report", required=False)
    rows = {rb.badge_id: rb for rb in artifact.requested_badges.select_related("badge")}
    final = {enums.BadgeOutcome.AWARDED, enums.BadgeOutcome.NOT_AWARDED}
    missing = [rb.badge.label for pk, rb in rows.items() if outcomes.get(pk) not in final]
    if set(outcomes) - set(rows):
        raise ValidationError("An outcome names a badge this artifact did not request.")
    if missing:
        raise ValidationError(
            f"Decide every requested badge (award or not) first: {', '.join(missing)}."
        )
    now = timezone.now()
    with transaction.atomic():
        for badge_id, rb in rows.items():
            rb.outcome, rb.decided_by, rb.decided_at = outcomes[badge_id], user, now
            rb.save(update_fields=["outcome", "decided_by", "decided_at", "updated_at"])
        audit.record(
            "artifacts.badges_decided",
            actor=user,
            target=artifact,
            conference=artifact.conference,
            changes={"outcome": {str(k): v for k, v in outcomes.items()}},
        )
        status.move(
            artifact,
            S.DECIDED,
            mover=Mover.CHAIR,
            actor=user,
            public_report=report,
            decided_by=user,
        )


def reopen(*, actor, artifact: Artifact) -> None:
    """Back from decided to discussion; the outcomes stay as they were until decided again."""
    _viewer, user = _chair(actor, artifact)
    _refuse_status(artifact, "only decided badges can be reopened", S.DECIDED)
    status.move(artifact, S.DISCUSSION, mover=Mover.CHAIR, actor=user, note="reopened")


def publish(*, actor, artifact: Artifact) -> None:
    """Publish decided badges: the move (the authors' email carries the badges and the public
    report), the report posted in the authors' thread, and ``badges_published`` sent inside
    the transaction."""
    _viewer, user = _chair(actor, artifact)
    _refuse_status(artifact, "only decided badges can be published", S.DECIDED)
    with transaction.atomic():
        status.move(artifact, S.PUBLISHED, mover=Mover.CHAIR, actor=user)
        if artifact.public_report:
            ArtifactMessage.objects.create(
                artifact=artifact,
                thread=enums.Thread.AUTHORS,
                kind=enums.MessageKind.REPORT,
                sender=user,
                sender_role=Mover.CHAIR,
                alias=CHAIRS_ALIAS,
                body=artifact.public_report,
            )
        signals.badges_published.send(sender=Artifact, artifact=artifact, actor=user)


def publish_many(*, actor, conference, artifacts) -> BulkResult:
    viewer, _user = require(
        actor, "artifacts.manage_ae", conference, "Only the AE chairs publish badges."
    )
    result = BulkResult()
    for artifact in artifacts:
        reason = _bulk_refusal(viewer, artifact)
        if reason is None and artifact.status != S.DECIDED:
            reason = f"it is {artifact.get_status_display().lower()}, not decided"
        if reason:
            result.skipped.append((artifact, reason))
            continue
        publish(actor=viewer, artifact=artifact)
        result.done.append(artifact)
    return result


# --- Moving on: by hand and by the clock ------------------------------------------------------

#: The chair's "move on" button: from each status to the next stage of the evaluation.
NEXT: dict[str, str] = {
    S.SUBMITTED: S.KICK_THE_TIRES,
    S.KICK_THE_TIRES: S.EVALUATING,
    S.AWAITING_AUTHOR: S.EVALUATING,
    S.EVALUATING: S.DISCUSSION,
}


def _without_evaluators(artifact: Artifact) -> bool:
    return not artifact.assignments.live().exists()


def advance(*, actor, artifact: Artifact, to: str | None = None) -> str:
    """The AE chair moves the artifact on by hand (to ``to``, by default the next stage:
    ``NEXT``; also discussion → evaluating). Kick-the-tires needs at least one evaluator.
    Returns the new status."""
    _viewer, user = _chair(actor, artifact)
    target = to or NEXT.get(artifact.status)
    if target is None:
        raise PermissionDenied(
            f"This artifact is {artifact.get_status_display().lower()}; there is no next "
            "stage to move it to by hand."
        )
    if (
        target == S.KICK_THE_TIRES
        and artifact.status == S.SUBMITTED
        and _without_evaluators(artifact)
    ):
        raise PermissionDenied("Assign at least one evaluator before kick-the-tires starts.")
    status.move(artifact, target, mover=Mover.CHAIR, actor=user)
    return target


def _bulk_refusal(viewer, artifact: Artifact) -> str | None:
    if not viewer.has_perm("artifacts.act_on_artifact", artifact):
        return "you are conflicted with this paper"
    return None


def advance_many(*, actor, conference, artifacts) -> BulkResult:
    """:func:`advance` for each artifact, skipping with a reason what may not move."""
    viewer, _user = require(
        actor, "artifacts.manage_ae", conference, "Only the AE chairs move artifacts on."
    )
    result = BulkResult()
    for artifact in artifacts:
        reason = _bulk_refusal(viewer, artifact)
        if reason is None and artifact.status not in NEXT:
            reason = f"it is {artifact.get_status_display().lower()}"
        if reason is None and artifact.status == S.SUBMITTED and _without_evaluators(artifact):
            reason = "it has no evaluators"
        if reason:
            result.skipped.append((artifact, reason))
            continue
        try:
            advance(actor=viewer, artifact=artifact)
        except PermissionDenied as error:
            result.skipped.append((artifact, str(error)))
        else:
            result.done.append(artifact)
    return result


def _passed(conference, kind: str, now: datetime) -> bool:
    deadline = conference.deadline_map().get(kind)
    return deadline is not None and deadline.at <= now


def advance_evaluations(conference, *, now: datetime | None = None) -> int:
    """The clock's moves at one conference (as the system), idempotent: submitted artifacts
    with an evaluator start kick-the-tires once it opens; kick-the-tires (and waiting for
    authors) becomes evaluating once it closes; evaluating becomes discussion once the
    evaluations are due, or as soon as every live evaluator has submitted. Returns the number
    of artifacts moved."""
    now = now or timezone.now()
    plan = (
        (frozenset({S.SUBMITTED}), S.KICK_THE_TIRES, DeadlineKind.AE_KICK_START),
        (frozenset({S.KICK_THE_TIRES, S.AWAITING_AUTHOR}), S.EVALUATING, DeadlineKind.AE_KICK_END),
        (frozenset({S.EVALUATING}), S.DISCUSSION, DeadlineKind.AE_EVALUATION),
    )
    moved = 0
    for sources, target, kind in plan:
        due = _passed(conference, kind, now)
        candidates = Artifact.objects.filter(conference=conference, status__in=sources)
        if target == S.KICK_THE_TIRES:
            candidates = candidates.filter(
                pk__in=EvaluatorAssignment.objects.live().values("artifact_id")
            )
        if not due and target != S.DISCUSSION:
            continue
        for artifact in candidates.select_related("submission"):
            artifact.conference = conference
            if not due and not all_submitted(artifact):
                continue
            try:
                status.move(
                    artifact,
                    target,
                    mover=Mover.SYSTEM,
                    note=f"{DeadlineKind(kind).label}: the date passed"
                    if due
                    else "every evaluator submitted",
                )
            except status.MoveRefused:  # moved meanwhile by someone else
                continue
            moved += 1
    return moved
