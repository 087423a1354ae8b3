"""Every write of reviewer assignment: proposals (create, solve, edit, commit, undo, discard),
release, and manual assignments.

Invariants:
- a conflicted pair (effective Conflict, authorship, "conflict" bid) never becomes an
  Assignment, whichever path adds it;
- reviewers hear about assignments only once they are released: ``release_assignments`` sends
  each reviewer their list; after that, every change to a reviewer's released assignments
  (commit, undo, manual add/remove) sends them the updated list, in the same transaction;
- ``undo_commit`` reverts what its commit did (the rows it created are deleted, the rows it
  deleted are restored with their ids, the ones it retired are restored), only for the
  conference's latest commit, and never deletes work: see below;
- no assignment change deletes a reviewer's work. Every path that takes a reviewer off a paper
  (``remove_assignment``, a commit's removed pairs, ``undo_commit``) goes through
  ``take_off``: an assignment without work is deleted, one with work (``work_on``: a review,
  the reviewer's comments or ratings on the paper) is *retired* (``removed_at`` set): the
  review stays, chairs see it marked "removed reviewer", may restore the assignment or keep
  the review in the scores (``set_keep_review``), and the reviewer is told their review is
  kept. ``Review.assignment`` is RESTRICT, so a stray delete fails instead of cascading;
- a proposal's status changes only through reviews.assignment.status.transition.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mlsys.accounts.models import User
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.models import Conference, Track
from mlsys.conferences.viewer import require
from mlsys.core import audit
from mlsys.mail.services import queue_email
from reviews.assignment.removal import (
    ConfirmationNeeded,
    mail_context,
    notify_changed,
    notify_removed_work_kept,
    paper_lines,
    restore,
    restored_note,
    snapshot_of,
    take_off,
    work_on,
)
from reviews.assignment.solving import run_solve
from reviews.assignment.status import transition
from reviews.assignment.suggestions import candidate_for, hard_conflicts
from reviews.assignment.undo import (
    CHAIRS_ONLY,
    FATES,
    NOT_THIS_PAPER,
    RETIRE,
    STAY,
    assignments_released,
    last_commit,
    undo_commit,
    undo_preview,
)
from reviews.enums import AssignmentKind, BidValue, PairChange, ProposalStatus
from reviews.models import (
    Assignment,
    AssignmentProposal,
    Bid,
    ProposedPair,
)
from reviews.rules import conflicted_submission_ids
from submissions.models import Submission

__all__ = [
    "FATES",
    "RETIRE",
    "STAY",
    "ConfirmationNeeded",
    "add_assignment",
    "add_pair",
    "assignments_released",
    "commit_proposal",
    "create_proposal",
    "discard_proposal",
    "last_commit",
    "release_assignments",
    "remove_assignment",
    "remove_pair",
    "restore_assignment",
    "run_solve",
    "set_keep_review",
    "swap_pair",
    "undo_commit",
    "undo_preview",
    "work_on",
]


# --- Proposals ---------------------------------------------------------------------------


def create_proposal(
    conference: Conference, *, actor: User, track: Track | None, params: dict
) -> AssignmentProposal:
    """Store a queued proposal and enqueue ``reviews.solve_assignment`` after commit."""
    _viewer, actor = require(actor, "reviews.manage_assignments", conference, CHAIRS_ONLY)
    with transaction.atomic():
        proposal = AssignmentProposal.objects.create(
            conference=conference, track=track, created_by=actor, params=params
        )
        audit.record(
            "assignment.proposal_created",
            actor=actor,
            target=proposal,
            conference=conference,
            changes={"params": params, "track": track.name if track else "all tracks"},
        )
        enqueue_on_commit("reviews.solve_assignment", proposal_id=proposal.pk)
    return proposal


def _locked_ready(proposal: AssignmentProposal) -> AssignmentProposal:
    locked = AssignmentProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if locked.status != ProposalStatus.READY:
        raise ValidationError(
            f"This proposal is {locked.get_status_display().lower()}; it can't be changed."
        )
    return locked


def add_pair(
    proposal: AssignmentProposal, *, submission: Submission, user_id: int, actor: User
) -> ProposedPair:
    """Add a reviewer to a paper in a ready proposal. Refused for a conflicted or "not
    willing" pair, a reviewer already on the paper, or one at max load."""
    _viewer, actor = require(actor, "submissions.act_on_submission", submission, NOT_THIS_PAPER)
    with transaction.atomic():
        proposal = _locked_ready(proposal)
        candidate = candidate_for(proposal.conference, submission, user_id, proposal)
        if candidate.forbidden:
            raise ValidationError(
                f"{candidate.reviewer.label} can't review #{submission.number}: "
                f"{candidate.forbidden}."
            )
        if candidate.on_paper:
            raise ValidationError(f"{candidate.reviewer.label} is already on #{submission.number}.")
        if candidate.at_max_load:
            raise ValidationError(
                f"{candidate.reviewer.label} is at their max load ({candidate.reviewer.max_load})."
            )
        pair, created = ProposedPair.objects.get_or_create(
            proposal=proposal,
            submission=submission,
            user_id=user_id,
            defaults={"change": PairChange.NEW, "quality": candidate.quality},
        )
        if not created:
            # Only a removed kept pair can exist here (on_paper excluded the others).
            pair.change = PairChange.KEPT
            pair.quality = candidate.quality
            pair.save(update_fields=["change", "quality"])
        _audit_edit(proposal, actor, "add", submission, user_id)
    return pair


def remove_pair(proposal: AssignmentProposal, *, pair: ProposedPair, actor: User) -> None:
    """Take a pair out of a ready proposal: a new pair disappears, a kept one becomes removed
    (its Assignment is deleted on commit)."""
    _viewer, actor = require(
        actor, "submissions.act_on_submission", pair.submission, NOT_THIS_PAPER
    )
    with transaction.atomic():
        proposal = _locked_ready(proposal)
        pair = ProposedPair.objects.select_for_update(of=("self",)).get(
            pk=pair.pk, proposal=proposal
        )
        if pair.change == PairChange.REMOVED:
            raise ValidationError("This pair is already removed.")
        if pair.change == PairChange.NEW:
            pair.delete()
        else:
            pair.change = PairChange.REMOVED
            pair.save(update_fields=["change"])
        _audit_edit(proposal, actor, "remove", pair.submission, pair.user_id)


def swap_pair(
    proposal: AssignmentProposal, *, pair: ProposedPair, user_id: int, actor: User
) -> ProposedPair:
    """Replace ``pair``'s reviewer by ``user_id`` on the same paper, as one step (a refused
    addition leaves the proposal as it was)."""
    paper = pair.submission
    _viewer, actor = require(actor, "submissions.act_on_submission", paper, NOT_THIS_PAPER)
    with transaction.atomic():
        remove_pair(proposal, pair=pair, actor=actor)
        return add_pair(proposal, submission=pair.submission, user_id=user_id, actor=actor)


def discard_proposal(proposal: AssignmentProposal, *, actor: User) -> None:
    """Discard a proposal (queued, solving, ready, infeasible or failed). A solve still
    running finds it discarded when it finishes and stores nothing."""
    _viewer, actor = require(actor, "reviews.manage_assignments", proposal, CHAIRS_ONLY)
    with transaction.atomic():
        if not transition(proposal, ProposalStatus.DISCARDED, actor=actor):
            proposal.refresh_from_db(fields=["status"])
            if proposal.status in (ProposalStatus.COMMITTED, ProposalStatus.UNDONE):
                raise ValidationError("A committed proposal can't be discarded; undo it instead.")
            raise ValidationError("This proposal is already discarded.")
        audit.record("assignment.proposal_discarded", actor=actor, target=proposal)


def commit_proposal(proposal: AssignmentProposal, *, actor: User) -> dict[str, int]:
    """Turn a ready proposal into Assignments in one transaction: create its new pairs, take
    off its removed ones (``take_off``: deleted without work, retired with work, the review
    kept). Records exactly what changed (for undo). Returns the counts."""
    _viewer, actor = require(actor, "reviews.manage_assignments", proposal, CHAIRS_ONLY)
    with transaction.atomic():
        proposal = _locked_ready(proposal)
        conference = proposal.conference
        released = assignments_released(conference)
        rows = list(
            Assignment.objects.not_declined()
            .select_for_update(of=("self",))
            .filter(conference=conference)
        )
        live = {(a.submission_id, a.reviewer_id): a for a in rows if a.removed_at is None}
        retired_before = {(a.submission_id, a.reviewer_id) for a in rows if a.removed_at}
        forbidden = hard_conflicts(conference, proposal.pairs.filter(change=PairChange.NEW))
        doomed = [
            live[(p.submission_id, p.user_id)]
            for p in proposal.pairs.filter(change=PairChange.REMOVED)
            if (p.submission_id, p.user_id) in live
        ]
        work = work_on(doomed)
        added, removed, retired, affected, told = [], [], [], set(), []
        for pair in proposal.pairs.order_by("submission_id", "user_id"):
            key = (pair.submission_id, pair.user_id)
            if pair.change == PairChange.NEW and key not in live:
                if key in forbidden:
                    raise ValidationError(
                        "A proposed reviewer became conflicted with their paper since the solve; "
                        "solve again."
                    )
                if key in retired_before:
                    raise ValidationError(
                        "A proposed reviewer was removed from their paper by a chair since the "
                        "solve (their review is kept); restore them on the paper's page or "
                        "solve again."
                    )
                assignment = Assignment.objects.create(
                    conference=conference,
                    submission_id=pair.submission_id,
                    reviewer_id=pair.user_id,
                    kind=AssignmentKind.AUTOMATIC,
                    proposal=proposal,
                    released=released,
                )
                added.append(assignment.pk)
                affected.add(pair.user_id)
            elif pair.change == PairChange.REMOVED and key in live:
                assignment = live[key]
                snapshot = snapshot_of(assignment)
                if take_off(assignment, actor=actor, work=work.get(assignment.pk)):
                    retired.append(assignment.pk)
                    if assignment.released:
                        told.append(assignment)
                else:
                    removed.append(snapshot)
                    if assignment.released:
                        affected.add(pair.user_id)
        record = {"added": added, "removed": removed, "retired": retired}
        transition(
            proposal,
            ProposalStatus.COMMITTED,
            actor=actor,
            committed_at=timezone.now(),
            report={**proposal.report, "commit": record},
        )
        audit.record(
            "assignment.committed",
            actor=actor,
            target=proposal,
            changes={"added": len(added), "removed": len(removed), "retired": len(retired)},
        )
        if released:
            notify_changed(conference, affected - {a.reviewer_id for a in told})
        for assignment in told:
            notify_removed_work_kept(assignment)
    return {"added": len(added), "removed": len(removed) + len(retired), "kept": len(retired)}


def release_assignments(conference: Conference, *, actor: User) -> int:
    """Make every unreleased live assignment visible to its reviewer and email each such
    reviewer their full list (one email per reviewer). Returns the number of reviewers."""
    _viewer, actor = require(actor, "reviews.manage_assignments", conference, CHAIRS_ONLY)
    with transaction.atomic():
        rows = (
            Assignment.objects.select_for_update(of=("self",))
            .current()
            .filter(conference=conference, released=False)
        )
        reviewer_ids = set(rows.values_list("reviewer_id", flat=True))
        count = rows.update(released=True, updated_at=timezone.now())
        audit.record(
            "assignment.released",
            actor=actor,
            target=conference,
            conference=conference,
            changes={"assignments": count, "reviewers": len(reviewer_ids)},
        )
        for user in User.objects.filter(pk__in=reviewer_ids).order_by("pk"):
            papers = paper_lines(conference, user.pk)
            queue_email(
                to=[user.email],
                key="reviews.assignments_released",
                conference=conference,
                context=mail_context(conference, user, papers),
            )
    return len(reviewer_ids)


def add_assignment(
    conference: Conference, *, submission: Submission, reviewer_id: int, actor: User
) -> tuple[Assignment, list[str]]:
    """Assign a reviewer by hand. Refused for a conflicted pair, a person outside the reviewer
    pool, or one already on (or who declined) the paper; a "not willing" bid or an exceeded
    max load only warns. Returns the assignment and the warnings."""
    _viewer, actor = require(actor, "submissions.act_on_submission", submission, NOT_THIS_PAPER)
    with transaction.atomic():
        candidate = candidate_for(conference, submission, reviewer_id, None)
        reviewer = User.objects.get(pk=reviewer_id)
        if submission.pk in conflicted_submission_ids(reviewer, conference):
            raise ValidationError(
                f"{candidate.reviewer.label} is conflicted with #{submission.number}."
            )
        if candidate.on_paper:
            raise ValidationError(f"{candidate.reviewer.label} is already on #{submission.number}.")
        if (
            Assignment.objects.removed()
            .filter(submission=submission, reviewer_id=reviewer_id)
            .exists()
        ):
            raise ValidationError(
                f"{candidate.reviewer.label} was removed from #{submission.number} and their "
                "review kept; restore them instead."
            )
        if Assignment.objects.filter(submission=submission, reviewer_id=reviewer_id).exists():
            raise ValidationError(f"{candidate.reviewer.label} declined #{submission.number}.")
        warnings = []
        if Bid.objects.filter(
            submission=submission, user_id=reviewer_id, value=BidValue.NOT_WILLING
        ).exists():
            warnings.append(f"{candidate.reviewer.label} bid “not willing” on this paper.")
        if candidate.at_max_load:
            warnings.append(
                f"{candidate.reviewer.label} now has {candidate.load + 1} papers, above their "
                f"max load of {candidate.reviewer.max_load}."
            )
        released = assignments_released(conference)
        assignment = Assignment.objects.create(
            conference=conference,
            submission=submission,
            reviewer_id=reviewer_id,
            kind=AssignmentKind.MANUAL,
            released=released,
        )
        audit.record(
            "assignment.added",
            actor=actor,
            target=assignment,
            conference=conference,
            note=" ".join(warnings),
        )
        if released:
            notify_changed(conference, {reviewer_id})
    return assignment, warnings


def remove_assignment(assignment: Assignment, *, actor: User, confirm: bool = False) -> str:
    """Take one reviewer off a paper. Without work the assignment is deleted ("deleted");
    with work (``work_on``) the chair must ``confirm`` (else ``ConfirmationNeeded`` names the
    work) and the assignment is retired, its review kept ("removed"). A released reviewer is
    told (for a retired one: that their review is kept)."""
    _viewer, actor = require(
        actor, "submissions.act_on_submission", assignment.submission, NOT_THIS_PAPER
    )
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        if assignment.removed_at is not None:
            raise ValidationError("This reviewer was already removed from the paper.")
        work = work_on([assignment]).get(assignment.pk)
        if work and not confirm:
            raise ConfirmationNeeded(
                f"{assignment.reviewer} has work on #{assignment.submission.number}: "
                + "; ".join(work)
                + ". Confirm to remove them; the review is kept.",
                {assignment.pk: work},
            )
        retired = take_off(assignment, actor=actor, work=work)
        if assignment.released:
            if retired:
                notify_removed_work_kept(assignment)
            else:
                notify_changed(assignment.conference, {assignment.reviewer_id})
    return "removed" if retired else "deleted"


def restore_assignment(assignment: Assignment, *, actor: User) -> Assignment:
    """Put a removed reviewer (whose work was kept) back on the paper. Refused if they are
    conflicted with it now. A released reviewer gets their updated list."""
    _viewer, actor = require(
        actor, "submissions.act_on_submission", assignment.submission, NOT_THIS_PAPER
    )
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        if assignment.removed_at is None:
            raise ValidationError("This reviewer is on the paper; there is nothing to restore.")
        if assignment.submission_id in conflicted_submission_ids(
            assignment.reviewer, assignment.conference
        ):
            raise ValidationError(
                f"{assignment.reviewer} is conflicted with #{assignment.submission.number} now; "
                "they can't be restored."
            )
        restore(assignment, actor=actor)
        if assignment.released:
            notify_changed(
                assignment.conference,
                {assignment.reviewer_id},
                {assignment.reviewer_id: [restored_note(assignment)]},
            )
    return assignment


def set_keep_review(assignment: Assignment, *, keep: bool, actor: User) -> None:
    """Whether a removed reviewer's review still counts in the paper's scores."""
    _viewer, actor = require(
        actor, "submissions.act_on_submission", assignment.submission, NOT_THIS_PAPER
    )
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        if assignment.removed_at is None:
            raise ValidationError("Only a removed reviewer's review can be kept or set aside.")
        if assignment.keep_review == keep:
            return
        assignment.keep_review = keep
        assignment.save(update_fields=["keep_review", "updated_at"])
        audit.record(
            "assignment.review_kept" if keep else "assignment.review_set_aside",
            actor=actor,
            target=assignment,
            changes={"keep_review": [not keep, keep]},
        )


# --- Helpers -----------------------------------------------------------------------------


def _audit_edit(proposal, actor, action: str, submission, user_id: int) -> None:
    audit.record(
        "assignment.proposal_edited",
        actor=actor,
        target=proposal,
        changes={"action": action, "paper": submission.number, "reviewer": user_id},
    )
