"""Every write of a decision: record (one or many, always pending), clear, release.

A decision is recorded as *pending* (``Decision``); authors see nothing of it. Releasing moves
it to *released* and, through the submission status choke point
(``submissions.services.status.apply_decision``), the paper to accepted or rejected: that status
is what authors see. Both steps are audited; the decision letters are prepared and sent
separately by the chairs (decisions.letters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from decisions import enums, signals
from decisions.models import Decision, Outcome
from mlsys.conferences.viewer import acting, require
from mlsys.core import audit, transitions
from reviews.rules import conflicted_submission_ids
from submissions.enums import Status
from submissions.models import Submission
from submissions.services.status import apply_decision

D = enums.DecisionStatus


@dataclass
class BulkResult:
    """What a bulk action did: the papers it changed, and each skipped one with the reason."""

    done: list[Submission] = field(default_factory=list)
    skipped: list[tuple[Submission, str]] = field(default_factory=list)


def decision_of(submission: Submission) -> Decision | None:
    """The paper's decision or None (no query when selected with ``select_related("decision")``)."""
    try:
        return submission.decision
    except Decision.DoesNotExist:
        return None


def conflicts_under_review(conference, viewer) -> int:
    """How many papers under review (decision not released) ``viewer`` is conflicted with. A
    chair with such papers may not do what would tell them about those papers' scores or
    decisions, or change them blindly: start the PC meeting, change what an outcome does."""
    hidden = conflicted_submission_ids(viewer, conference)
    if not hidden:
        return 0
    return conference.submissions.filter(pk__in=list(hidden), status=Status.SUBMITTED).count()


def refusal(submission: Submission, viewer) -> str | None:
    """Why ``viewer`` cannot set this paper's decision now, or None."""
    if not viewer.has_perm("decisions.decide", submission):
        if viewer.has_perm("decisions.manage_decisions", submission.conference):
            return "You are conflicted with this paper; another chair must decide it."
        return "Only the program chairs decide papers."
    if submission.status != Status.SUBMITTED:
        return f"It is {submission.get_status_display().lower()}, not under review."
    decision = decision_of(submission)
    if decision is not None and decision.is_released:
        return "Its decision is already released."
    return None


def record_decision(
    *,
    submission: Submission,
    outcome: Outcome,
    actor,
    reason: str = "",
    now: datetime | None = None,
) -> Decision:
    """Record (or change) ``submission``'s pending decision as ``outcome``.

    Refused (PermissionDenied) for anyone but an unconflicted chair; ValidationError when the
    paper is not under review, its decision is released, or the outcome is not one of the
    conference's active outcomes. ``reason`` is kept with the decision (the one line a chair
    gives when the decision disagrees with the ranking).
    """
    viewer, user = require(
        actor,
        "decisions.manage_decisions",
        submission.conference,
        "Only the program chairs decide papers.",
    )
    if not viewer.has_perm("decisions.decide", submission):
        raise PermissionDenied("You are conflicted with this paper; another chair must decide it.")
    if outcome.conference_id != submission.conference_id or not outcome.active:
        raise ValidationError({"outcome": "Choose one of this conference's outcomes."})
    reason = " ".join(reason.split())[:300]
    now = now or timezone.now()
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Status.SUBMITTED:
            raise ValidationError(
                f"#{locked.number} is {locked.get_status_display().lower()}, not under review: "
                "it cannot get a decision."
            )
        decision = Decision.objects.filter(submission=locked).first()
        if decision is None:
            decision = Decision.objects.create(
                submission=locked,
                outcome=outcome,
                reason=reason,
                decided_by=user,
                decided_at=now,
            )
            audit.record(
                "decisions.recorded",
                actor=user,
                target=decision,
                conference=submission.conference,
                changes={"outcome": [None, outcome.label]},
                note=reason,
            )
            return decision
        previous = decision.outcome.label
        moved = transitions.transition(
            decision,
            D.PENDING,
            table=enums.DECISION_TRANSITIONS,
            action="decisions.changed",
            actor=user,
            conference=submission.conference,
            outcome=outcome,
            reason=reason,
            decided_by=user,
            decided_at=now,
        )
        if not moved:
            raise ValidationError(f"#{locked.number}: its decision is already released.")
        if previous != outcome.label:
            audit.record(
                "decisions.changed",
                actor=user,
                target=decision,
                conference=submission.conference,
                changes={"outcome": [previous, outcome.label]},
                note=reason,
            )
    return decision


def record_decisions(*, submissions, outcome: Outcome, actor, reason: str = "") -> BulkResult:
    """Record ``outcome`` as the pending decision of each paper it can be set on; the others
    (conflicted, not under review, released) are skipped with the reason."""
    viewer, _ = acting(actor)
    result = BulkResult()
    for submission in submissions:
        why = refusal(submission, viewer)
        if why:
            result.skipped.append((submission, why))
            continue
        try:
            record_decision(submission=submission, outcome=outcome, actor=viewer, reason=reason)
        except (ValidationError, PermissionDenied) as error:
            result.skipped.append((submission, "; ".join(getattr(error, "messages", [str(error)]))))
        else:
            result.done.append(submission)
    return result


def clear_decision(*, submission: Submission, actor) -> bool:
    """Take back a pending decision (the paper is undecided again). A released one stays."""
    viewer, user = require(
        actor, "decisions.decide", submission, "You cannot change this paper's decision."
    )
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update()
            .select_related("outcome")
            .filter(submission=submission, status=D.PENDING)
            .first()
        )
        if decision is None:
            return False
        # On the decision (as setting it is), not the submission: the submission's history is
        # shown to every chair, its conflicted ones included.
        audit.record(
            "decisions.cleared",
            actor=user,
            target=decision,
            conference=submission.conference,
            changes={"outcome": [decision.outcome.label, None]},
        )
        decision.delete()
    return True


def release_decisions(*, conference, actor, track=None, now: datetime | None = None) -> BulkResult:
    """Release every pending decision of ``conference`` (or of one ``track``).

    Each decision moves pending → released and its paper submitted → accepted/rejected, in one
    transaction per paper (a failure leaves the others released). A paper withdrawn since its
    decision was recorded is skipped and its decision stays pending. Releasing the whole
    conference also stamps ``conference.decisions_released_at``.
    """
    viewer, user = require(
        actor,
        "decisions.manage_decisions",
        conference,
        "Only the program chairs release decisions.",
    )
    now = now or timezone.now()
    pending = (
        Decision.objects.filter(submission__conference=conference, status=D.PENDING)
        .select_related("submission", "outcome")
        .order_by("submission__number")
    )
    if track is not None:
        pending = pending.filter(submission__track=track)
    result = BulkResult()
    for decision in pending:
        submission = decision.submission
        with transaction.atomic():
            if submission.status != Status.SUBMITTED or not apply_decision(
                submission=submission, accepted=decision.outcome.accepts, actor=user
            ):
                result.skipped.append(
                    (submission, f"It is {submission.get_status_display().lower()}.")
                )
                continue
            moved = transitions.transition(
                decision,
                D.RELEASED,
                table=enums.DECISION_TRANSITIONS,
                action="decisions.released",
                actor=user,
                conference=conference,
                released_by=user,
                released_at=now,
            )
            if not moved:  # released meanwhile by another chair: undo our status write
                transaction.set_rollback(True)
                result.skipped.append((submission, "It was released meanwhile."))
                continue
        result.done.append(submission)
    if track is None:
        type(conference).objects.filter(pk=conference.pk).update(decisions_released_at=now)
        conference.decisions_released_at = now
    if result.done:
        signals.decisions_released.send(
            sender=Decision, conference=conference, submissions=list(result.done), actor=user
        )
    return result
