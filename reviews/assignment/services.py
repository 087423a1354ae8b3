"""Every write of reviewer assignment: proposals (create, solve, edit, commit, undo, discard),
release, and manual assignments.

Invariants:
- a conflicted pair (effective Conflict, authorship, "conflict" bid) never becomes an
  Assignment, whichever path adds it;
- reviewers hear about assignments only once they are released: ``release_assignments`` sends
  each reviewer their list; after that, every change to a reviewer's released assignments
  (commit, undo, manual add/remove) sends them the updated list, in the same transaction;
- ``undo_commit`` reverts exactly what its commit did (the rows it created are deleted, the rows
  it deleted are restored with their ids), and only for the conference's latest commit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mlsys.accounts.models import User
from mlsys.conferences.models import Conference, Track
from mlsys.core import audit
from mlsys.mail.services import queue_email
from reviews.assignment.solving import run_solve
from reviews.assignment.suggestions import candidates
from reviews.enums import AssignmentKind, BidValue, PairChange, ProposalStatus
from reviews.models import Assignment, AssignmentProposal, Bid, ProposedPair
from reviews.rules import conflicted_submission_ids
from submissions.models import Submission

__all__ = [
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
    "run_solve",
    "swap_pair",
    "undo_commit",
]

SNAPSHOT_FIELDS = ("id", "submission_id", "reviewer_id", "kind", "round", "proposal_id", "released")


# --- Proposals ---------------------------------------------------------------------------


def create_proposal(
    conference: Conference, *, actor: User, track: Track | None, params: dict
) -> AssignmentProposal:
    """Store a queued proposal and enqueue ``reviews.solve_assignment`` after commit."""
    from reviews.assignment_tasks import solve_assignment

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
        transaction.on_commit(lambda: solve_assignment.delay(proposal_id=proposal.pk))
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
    with transaction.atomic():
        proposal = _locked_ready(proposal)
        candidate = _candidate(proposal.conference, submission, user_id, proposal)
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
    with transaction.atomic():
        remove_pair(proposal, pair=pair, actor=actor)
        return add_pair(proposal, submission=pair.submission, user_id=user_id, actor=actor)


def discard_proposal(proposal: AssignmentProposal, *, actor: User) -> None:
    with transaction.atomic():
        proposal = AssignmentProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        if proposal.status in (ProposalStatus.COMMITTED, ProposalStatus.UNDONE):
            raise ValidationError("A committed proposal can't be discarded; undo it instead.")
        proposal.status = ProposalStatus.DISCARDED
        proposal.save(update_fields=["status", "updated_at"])
        audit.record("assignment.proposal_discarded", actor=actor, target=proposal)


def commit_proposal(proposal: AssignmentProposal, *, actor: User) -> dict[str, int]:
    """Turn a ready proposal into Assignments in one transaction: create its new pairs, delete
    its removed ones. Records exactly what changed (for undo). Returns the counts."""
    with transaction.atomic():
        proposal = _locked_ready(proposal)
        conference = proposal.conference
        released = assignments_released(conference)
        live = {
            (a.submission_id, a.reviewer_id): a
            for a in Assignment.objects.select_for_update(of=("self",)).filter(
                conference=conference, declined_at__isnull=True
            )
        }
        forbidden = _hard_conflicts(conference, proposal.pairs.filter(change=PairChange.NEW))
        added, removed, affected = [], [], set()
        for pair in proposal.pairs.order_by("submission_id", "user_id"):
            key = (pair.submission_id, pair.user_id)
            if pair.change == PairChange.NEW and key not in live:
                if key in forbidden:
                    raise ValidationError(
                        "A proposed reviewer became conflicted with their paper since the solve; "
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
                removed.append(_snapshot(assignment))
                if assignment.released:
                    affected.add(pair.user_id)
                assignment.delete()
        proposal.status = ProposalStatus.COMMITTED
        proposal.committed_at = timezone.now()
        proposal.report = {**proposal.report, "commit": {"added": added, "removed": removed}}
        proposal.save(update_fields=["status", "committed_at", "report", "updated_at"])
        audit.record(
            "assignment.committed",
            actor=actor,
            target=proposal,
            changes={"added": len(added), "removed": len(removed)},
        )
        if released:
            _notify_changed(conference, affected)
    return {"added": len(added), "removed": len(removed)}


def last_commit(conference: Conference) -> AssignmentProposal | None:
    """The conference's most recent committed (and not undone) proposal."""
    return (
        AssignmentProposal.objects.filter(conference=conference, status=ProposalStatus.COMMITTED)
        .order_by("-committed_at", "-pk")
        .first()
    )


def undo_commit(proposal: AssignmentProposal, *, actor: User) -> dict[str, int]:
    """Revert the conference's latest commit as one step: delete the Assignments it created,
    restore (same ids) the ones it deleted. Assignments changed by hand since are left alone."""
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
        affected: set[int] = set()
        doomed = Assignment.objects.select_for_update(of=("self",)).filter(
            pk__in=record.get("added", []), proposal=proposal
        )
        affected |= {a.reviewer_id for a in doomed if a.released}
        deleted, _ = doomed.delete()
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
        proposal.status = ProposalStatus.UNDONE
        proposal.save(update_fields=["status", "updated_at"])
        audit.record(
            "assignment.undone",
            actor=actor,
            target=proposal,
            changes={"deleted": deleted, "restored": restored},
        )
        _notify_changed(conference, affected)
    return {"deleted": deleted, "restored": restored}


# --- Release and manual assignments ------------------------------------------------------


def assignments_released(conference: Conference) -> bool:
    """Whether the chairs have released assignments (new ones are then released at once)."""
    return Assignment.objects.filter(conference=conference, released=True).exists()


def release_assignments(conference: Conference, *, actor: User) -> int:
    """Make every unreleased live assignment visible to its reviewer and email each such
    reviewer their full list (one email per reviewer). Returns the number of reviewers."""
    with transaction.atomic():
        rows = Assignment.objects.select_for_update(of=("self",)).filter(
            conference=conference, released=False, declined_at__isnull=True
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
            papers = _paper_lines(conference, user.pk)
            queue_email(
                to=[user.email],
                key="reviews.assignments_released",
                conference=conference,
                context=_mail_context(conference, user, papers),
            )
    return len(reviewer_ids)


def add_assignment(
    conference: Conference, *, submission: Submission, reviewer_id: int, actor: User
) -> tuple[Assignment, list[str]]:
    """Assign a reviewer by hand. Refused for a conflicted pair, a person outside the reviewer
    pool, or one already on (or who declined) the paper; a "not willing" bid or an exceeded
    max load only warns. Returns the assignment and the warnings."""
    with transaction.atomic():
        candidate = _candidate(conference, submission, reviewer_id, None)
        reviewer = User.objects.get(pk=reviewer_id)
        if submission.pk in conflicted_submission_ids(reviewer, conference):
            raise ValidationError(
                f"{candidate.reviewer.label} is conflicted with #{submission.number}."
            )
        if candidate.on_paper:
            raise ValidationError(f"{candidate.reviewer.label} is already on #{submission.number}.")
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
            _notify_changed(conference, {reviewer_id})
    return assignment, warnings


def remove_assignment(assignment: Assignment, *, actor: User) -> None:
    """Delete one assignment; its reviewer is told if it had been released."""
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        conference, reviewer_id, was_released = (
            assignment.conference,
            assignment.reviewer_id,
            assignment.released,
        )
        audit.record(
            "assignment.removed",
            actor=actor,
            target=assignment,
            conference=conference,
            changes=_snapshot(assignment),
        )
        assignment.delete()
        if was_released:
            _notify_changed(conference, {reviewer_id})


# --- Helpers -----------------------------------------------------------------------------


def _candidate(conference, submission, user_id: int, proposal):
    for candidate in candidates(conference, submission, proposal=proposal):
        if candidate.reviewer.user_id == user_id:
            return candidate
    raise ValidationError("That person is not an accepted PC member with a side.")


def _hard_conflicts(conference, pairs: QuerySet[ProposedPair]) -> set[tuple[int, int]]:
    out = set()
    users = {p.user_id: p.user for p in pairs.select_related("user")}
    for pair in pairs:
        if pair.submission_id in conflicted_submission_ids(users[pair.user_id], conference):
            out.add((pair.submission_id, pair.user_id))
    return out


def _snapshot(assignment: Assignment) -> dict:
    row = {f: getattr(assignment, f) for f in SNAPSHOT_FIELDS}
    row["created_at"] = assignment.created_at.isoformat() if assignment.created_at else None
    return row


def _audit_edit(proposal, actor, action: str, submission, user_id: int) -> None:
    audit.record(
        "assignment.proposal_edited",
        actor=actor,
        target=proposal,
        changes={"action": action, "paper": submission.number, "reviewer": user_id},
    )


def _paper_lines(conference: Conference, user_id: int) -> list[str]:
    rows = (
        Assignment.objects.filter(
            conference=conference, reviewer_id=user_id, released=True, declined_at__isnull=True
        )
        .select_related("submission__track")
        .order_by("submission__number")
    )
    return [f"  #{a.submission.number} {a.submission.title} ({a.submission.track})" for a in rows]


def _mail_context(conference: Conference, user: User, papers: list[str], **extra) -> dict:
    path = reverse("reviews:my_papers", kwargs={"conference": conference.slug})
    return {
        "name": user.name or user.email,
        "count": len(papers),
        "papers": "\n".join(papers) or "  (none)",
        "url": f"{settings.SITE_URL}{path}",
        **extra,
    }


def _notify_changed(conference: Conference, user_ids: set[int]) -> None:
    """Email each reviewer in ``user_ids`` their current released list (one email each)."""
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        papers = _paper_lines(conference, user.pk)
        queue_email(
            to=[user.email],
            key="reviews.assignments_changed",
            conference=conference,
            context=_mail_context(
                conference,
                user,
                papers,
                changes="Papers were added to or removed from your list.",
            ),
        )
