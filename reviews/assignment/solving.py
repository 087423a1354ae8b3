"""Run the solver for one proposal: build → solve → store the pairs and the report.

A proposal is ONE exact solve: a single track's active papers, or every active paper of the
conference at once. In a whole-conference solve each paper carries its own track's rule
(reviewers per paper and side minimums), reviewer capacity is shared by all tracks inside the
one problem, and minimum loads are enforced once over the whole problem, so the answer is
optimal for the conference as a whole (the report's LP bound certifies it). A single-track
solve subtracts the reviewers' assignments elsewhere from their max loads and ignores minimum
loads.
"""

from __future__ import annotations

import logging

import numpy as np
from django.db import transaction
from django.template.defaultfilters import pluralize

from reviews.assignment.problem_builder import (
    SolveProblem,
    Weights,
    build_problem,
    existing_pairs,
    reviewer_pool,
)
from reviews.assignment.status import transition
from reviews.enums import PairChange, ProposalStatus
from reviews.models import AssignmentProposal, ProposedPair
from solver import AssignmentError, InfeasibleAssignment, solve
from solver.report import sides_covered

log = logging.getLogger(__name__)


def _progress(proposal: AssignmentProposal, value: float, message: str) -> None:
    """Save progress while running (a conditional update: a discarded proposal keeps its
    status and message)."""
    proposal.progress = value
    proposal.message = message
    AssignmentProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.RUNNING).update(
        progress=value, message=message
    )


def run_solve(proposal: AssignmentProposal) -> None:
    """Solve ``proposal`` and store its pairs and report; status ends ready, infeasible or
    failed. Progress is saved outside any transaction so the chair's page can poll it.
    Idempotent: earlier pairs of the proposal are replaced. A proposal discarded meanwhile
    stays discarded: the result is dropped (reviews.assignment.status.transition)."""
    if not transition(proposal, ProposalStatus.RUNNING):
        return
    _progress(proposal, 0.05, "Building the problem")
    params = proposal.params or {}
    threshold = params.get("expertise_threshold")
    quality_threshold = float(params.get("quality_threshold") or 0.0)
    conference = proposal.conference
    sp = build_problem(
        conference,
        proposal.track,
        reviewer_pool(conference),
        Weights.from_params(params),
        existing=existing_pairs(conference),
        expertise_threshold=None if threshold is None else float(threshold),
    )
    label = _scope_label(sp)
    rows: list[ProposedPair] = []
    if sp.problem.n_papers == 0:
        report = {"track": label, "papers": 0}
    else:
        _progress(proposal, 0.3, f"Solving {sp.problem.n_papers} papers in one problem")
        try:
            solution = solve(sp.problem, quality_threshold=quality_threshold)
        except InfeasibleAssignment as exc:
            _finish_infeasible(proposal, label, exc, sp)
            return
        except AssignmentError as exc:
            _finish(proposal, ProposalStatus.FAILED, f"{_short(sp)}: {exc}", [])
            return
        rows = _pairs_of(proposal, sp, solution.index_pairs)
        report = _report(sp, solution.index_pairs, solution.report.as_dict(), label)

    _progress(proposal, 0.85, "Storing the proposal")
    with transaction.atomic():
        new = sum(r.change == PairChange.NEW for r in rows)
        if not transition(
            proposal,
            ProposalStatus.READY,
            report={"tracks": [report]},
            progress=1.0,
            message=f"{new} new pair{pluralize(new)} proposed.",
        ):
            return  # discarded while solving: keep it discarded, store nothing
        ProposedPair.objects.filter(proposal=proposal).delete()
        ProposedPair.objects.bulk_create(rows)


def _short(sp: SolveProblem) -> str:
    return sp.track.name if sp.track is not None else "All tracks"


def _rule(track) -> str:
    return (
        f"{track.reviewers_per_paper} reviewers each, ≥{track.min_ml_reviewers} ML, "
        f"≥{track.min_systems_reviewers} Systems"
    )


def _scope_label(sp: SolveProblem) -> str:
    """The report heading: the track, or all tracks with each one's rule when they differ (the
    page shows a single shared rule next to the heading)."""
    if sp.track is not None:
        return sp.track.name
    label = "All tracks (one joint solve)"
    if sp.problem.n_papers and sp.problem.uniform_rule() is None:
        counts = {t.pk: 0 for t in sp.tracks}
        for t in sp.paper_tracks:
            counts[t.pk] += 1
        label += ": " + "; ".join(
            f"{t.name} — {counts[t.pk]} paper{'s' if counts[t.pk] != 1 else ''}, {_rule(t)}"
            for t in sp.tracks
        )
    return label


def _pairs_of(proposal, sp: SolveProblem, index_pairs: np.ndarray) -> list[ProposedPair]:
    papers, reviewers, quality = sp.scores.papers, sp.scores.reviewers, sp.scores.quality
    fixed = set(sp.problem.fixed)
    rows = [
        ProposedPair(
            proposal=proposal,
            submission_id=papers[p].pk,
            user_id=reviewers[r].user_id,
            change=PairChange.KEPT if (int(p), int(r)) in fixed else PairChange.NEW,
            quality=float(quality[p, r]),
        )
        for p, r in index_pairs
    ]
    rows += [
        ProposedPair(
            proposal=proposal,
            submission_id=papers[p].pk,
            user_id=reviewers[r].user_id,
            change=PairChange.REMOVED,
            quality=0.0,
        )
        for p, r in sp.dropped
    ]
    return rows


def _by_track(sp: SolveProblem, index_pairs: np.ndarray) -> list[dict]:
    """Per track: its rule, its papers' total and lowest quality, and how many of its papers
    meet their side minimums (parts of the one joint solution, not separate solves)."""
    problem = sp.problem
    quality = problem.pair_quality(index_pairs[:, 0], index_pairs[:, 1])
    per_paper = np.bincount(index_pairs[:, 0], weights=quality, minlength=problem.n_papers)
    covered = sides_covered(problem, index_pairs)
    track_of = np.array([t.pk for t in sp.paper_tracks])
    out = []
    for track in sp.tracks:
        mine = np.flatnonzero(track_of == track.pk)
        lowest = int(mine[np.argmin(per_paper[mine])])
        out.append(
            {
                "track": track.name,
                "papers": len(mine),
                "k": track.reviewers_per_paper,
                "m_ml": track.min_ml_reviewers,
                "m_sys": track.min_systems_reviewers,
                "objective": float(per_paper[mine].sum()),
                "lowest_paper": problem.papers[lowest],
                "lowest_paper_quality": float(per_paper[lowest]),
                "papers_both_sides_covered": int(covered[mine].sum()),
            }
        )
    return out


def _report(sp: SolveProblem, index_pairs: np.ndarray, data: dict, label: str) -> dict:
    problem = sp.problem
    uniform = problem.uniform_rule()
    k, m_ml, m_sys = uniform if uniform is not None else (None, None, None)
    data.update(
        track=label,
        papers=problem.n_papers,
        k=k,
        m_ml=m_ml,
        m_sys=m_sys,
        gap_percent=100.0 * data["gap"],
        load_histogram=sorted(
            ({"load": int(n), "reviewers": v} for n, v in data["load_histogram"].items()),
            key=lambda row: row["load"],
        ),
        dropped=[
            f"{problem.papers[p]} / {problem.reviewers[r]}: "
            f"{sp.scores.forbidden_reason.get((p, r), 'not allowed')}"
            for p, r in sp.dropped
        ],
        by_track=_by_track(sp, index_pairs),
    )
    return data


def _finish_infeasible(
    proposal: AssignmentProposal, label: str, exc: InfeasibleAssignment, sp: SolveProblem
) -> None:
    headline = str(exc).split("\n", 1)[0]
    reasons = list(exc.reasons)
    shortfalls = sp.problem.paper_shortfalls()
    report = {
        "track": label,
        "papers": sp.problem.n_papers,
        "infeasible": headline,
        "reasons": reasons,
        "uncovered": [r for r in shortfalls if r not in reasons][:100],
    }
    _finish(proposal, ProposalStatus.INFEASIBLE, f"{_short(sp)}: {headline}", [report])


def _finish(proposal, status: str, message: str, reports: list[dict]) -> None:
    transition(proposal, status, message=message, report={"tracks": reports}, progress=1.0)
