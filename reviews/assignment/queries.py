"""Querysets and per-paper summaries of the chairs' assignment pages (constant query counts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from mlsys.conferences.enums import Side
from reviews.assignment.problem_builder import Reviewer, active_submissions, reviewer_pool
from reviews.enums import PairChange, ProposalStatus
from reviews.models import Assignment, AssignmentProposal, ProposedPair
from submissions.models import Submission


def papers_with_assignments(conference) -> QuerySet[Submission]:
    """Active submissions with their live assignments (``live_assignments``) and reviewers."""
    return active_submissions(conference).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.current()
            .select_related("reviewer")
            .order_by("reviewer__name"),
            to_attr="live_assignments",
        )
    )


def coverage_problems(sides: list[str], track) -> list[str]:
    """Why a paper with reviewers of ``sides`` misses its track's rule (empty when it meets
    it). A reviewer of both sides counts for one side only."""
    ml = sides.count(Side.ML)
    sys = sides.count(Side.SYSTEMS)
    both = sides.count(Side.BOTH)
    out = []
    if len(sides) != track.reviewers_per_paper:
        out.append(f"{len(sides)} of {track.reviewers_per_paper} reviewers")
    if ml + both < track.min_ml_reviewers:
        out.append(f"needs {track.min_ml_reviewers} ML")
    if sys + both < track.min_systems_reviewers:
        out.append(f"needs {track.min_systems_reviewers} Systems")
    sides_met = ml + both >= track.min_ml_reviewers and sys + both >= track.min_systems_reviewers
    if sides_met and ml + sys + both < track.min_ml_reviewers + track.min_systems_reviewers:
        out.append("a reviewer of both sides counts for one side only")
    return out


@dataclass
class PaperRow:
    submission: Submission
    reviewers: list = field(default_factory=list)  # (assignment or pair, Reviewer | None)
    problems: list[str] = field(default_factory=list)
    #: The viewing chair is conflicted with the paper: reviewers are not shown to them.
    conflicted: bool = False


def hide_conflicted(rows: list[PaperRow], conflicted_ids) -> list[PaperRow]:
    """Blank the reviewers and problems of the rows of papers the viewer is conflicted with
    (a conflicted chair sees the paper listed as conflicted, nothing of its reviewers)."""
    for row in rows:
        if row.submission.pk in conflicted_ids:
            row.reviewers, row.problems, row.conflicted = [], [], True
    return rows


def assignment_overview(
    conference, hidden_ids: frozenset[int] = frozenset()
) -> tuple[list[PaperRow], list[dict]]:
    """Per paper its live assignments with sides and coverage problems; per pool reviewer
    their load. Papers in ``hidden_ids`` (those the viewing chair is conflicted with) do not
    count in the loads: a per-reviewer total that included them would tell, by subtraction,
    who reviews them. A fixed number of queries."""
    pool = {r.user_id: r for r in reviewer_pool(conference)}
    rows, loads = [], dict.fromkeys(pool, 0)
    for submission in papers_with_assignments(conference):
        row = PaperRow(submission)
        # Set by papers_with_assignments' Prefetch(to_attr=...), which the stubs can't see.
        live: list[Assignment] = submission.live_assignments  # type: ignore[attr-defined]
        for a in live:
            row.reviewers.append((a, pool.get(a.reviewer_id)))
            if a.reviewer_id in loads and submission.pk not in hidden_ids:
                loads[a.reviewer_id] += 1
        row.problems = coverage_problems(
            [r.side if r else "" for _a, r in row.reviewers], submission.track
        )
        rows.append(row)
    reviewer_rows = [
        {
            "reviewer": r,
            "load": loads[uid],
            "over": r.max_load is not None and loads[uid] > r.max_load,
        }
        for uid, r in pool.items()
    ]
    return rows, reviewer_rows


def proposal_papers(proposal: AssignmentProposal) -> list[PaperRow]:
    """The proposal's diff grouped by paper (new, kept, removed), with coverage problems of
    the proposed reviewers (new + kept)."""
    pool: dict[int, Reviewer] = {r.user_id: r for r in reviewer_pool(proposal.conference)}
    order: dict[str, int] = {PairChange.KEPT: 0, PairChange.NEW: 1, PairChange.REMOVED: 2}
    pairs = ProposedPair.objects.filter(proposal=proposal).select_related(
        "submission__track", "user"
    )
    by_paper: dict[int, PaperRow] = {}
    for pair in sorted(pairs, key=lambda p: (p.submission.number, order[p.change], -p.quality)):
        row = by_paper.setdefault(pair.submission_id, PaperRow(pair.submission))
        row.reviewers.append((pair, pool.get(pair.user_id)))
    for row in by_paper.values():
        sides = [
            r.side if r else "" for pair, r in row.reviewers if pair.change != PairChange.REMOVED
        ]
        row.problems = coverage_problems(sides, row.submission.track)
    return list(by_paper.values())


def recent_proposals(conference, limit: int = 10) -> QuerySet[AssignmentProposal]:
    return (
        AssignmentProposal.objects.filter(conference=conference)
        .select_related("track", "created_by")
        .order_by("-created_at")[:limit]
    )


def released_assignments_for(user, conference) -> QuerySet[Assignment]:
    """The reviewer's released, live assignments with what My papers shows."""
    return (
        Assignment.objects.live()
        .filter(conference=conference, reviewer=user)
        .select_related("submission__track")
        .prefetch_related("submission__topics", "submission__authors")
        .order_by("submission__number")
    )


IN_PROGRESS = (ProposalStatus.QUEUED, ProposalStatus.RUNNING)


_PAPER_LABEL = re.compile(r"#(\d+)")


def report_without_conflicted(tracks: list[dict], conflicted_ids) -> list[dict]:
    """The report without the lines naming reviewers of papers the chair is conflicted with
    (the "existing assignments now forbidden" list)."""
    if not conflicted_ids:
        return tracks
    numbers = {
        str(n)
        for n in Submission.objects.filter(pk__in=conflicted_ids).values_list("number", flat=True)
    }
    out = []
    for t in tracks:
        dropped = t.get("dropped")
        if dropped:
            t = {**t, "dropped": [d for d in dropped if _paper_number(d) not in numbers]}
        out.append(t)
    return out


def _paper_number(line: str) -> str:
    found = _PAPER_LABEL.match(line)
    return found.group(1) if found else ""
