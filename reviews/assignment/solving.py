"""Run the solver for one proposal: build → solve → store the pairs and the report.

A whole-conference proposal solves each track as its own problem (the solver takes one ``k``
and one pair of side minimums per problem), smallest track first; every track sees the load
left by existing assignments on other papers and by the pairs chosen for earlier tracks, so
reviewer capacity is shared exactly once. Minimum loads are enforced, as what remains of them,
on the last (largest) track; a single-track proposal ignores minimum loads. Each track's
answer is optimal for its track given the earlier ones; the union is not guaranteed optimal for
the conference as a whole (a joint problem would need one ``k`` for every track).
"""

from __future__ import annotations

import logging
from collections import Counter

import numpy as np
from django.db import transaction

from reviews.assignment.problem_builder import (
    TrackProblem,
    Weights,
    build_track_problem,
    existing_pairs,
    reviewer_pool,
    tracks_in_solve_order,
)
from reviews.enums import PairChange, ProposalStatus
from reviews.models import AssignmentProposal, ProposedPair
from reviews.solver import AssignmentError, InfeasibleAssignment, solve

log = logging.getLogger(__name__)


def _progress(proposal: AssignmentProposal, value: float, message: str) -> None:
    proposal.progress = value
    proposal.message = message
    proposal.save(update_fields=["progress", "message", "updated_at"])


def run_solve(proposal: AssignmentProposal) -> None:
    """Solve ``proposal`` and store its pairs and report; status ends ready, infeasible or
    failed. Progress is saved outside any transaction so the chair's page can poll it.
    Idempotent: earlier pairs of the proposal are replaced."""
    if proposal.status not in (ProposalStatus.QUEUED, ProposalStatus.RUNNING):
        return
    proposal.status = ProposalStatus.RUNNING
    proposal.save(update_fields=["status", "updated_at"])
    _progress(proposal, 0.05, "Building the problem")
    params = proposal.params or {}
    weights = Weights.from_params(params)
    threshold = params.get("expertise_threshold")
    quality_threshold = float(params.get("quality_threshold") or 0.0)
    conference = proposal.conference
    reviewers = reviewer_pool(conference)
    existing = existing_pairs(conference)
    tracks = tracks_in_solve_order(conference, proposal.track)
    whole = proposal.track is None

    reports: list[dict] = []
    rows: list[ProposedPair] = []
    chosen: Counter[int] = Counter()
    for position, track in enumerate(tracks):
        base = 0.1 + 0.7 * position / max(1, len(tracks))
        _progress(proposal, base, f"Solving {track.name}")
        track_paper_ids = set(track.submissions.values_list("pk", flat=True))
        used = Counter(uid for sid, uid in existing if sid not in track_paper_ids)
        used.update(chosen)
        tp = build_track_problem(
            conference,
            track,
            reviewers,
            weights,
            used=used,
            existing=existing,
            residual_min_loads=whole and position == len(tracks) - 1,
            expertise_threshold=None if threshold is None else float(threshold),
        )
        if tp.problem.n_papers == 0:
            reports.append({"track": track.name, "papers": 0})
            continue
        try:
            solution = solve(tp.problem, quality_threshold=quality_threshold)
        except InfeasibleAssignment as exc:
            _finish_infeasible(proposal, track.name, exc, tp, reports)
            return
        except AssignmentError as exc:
            _finish(proposal, ProposalStatus.FAILED, f"{track.name}: {exc}", reports)
            return
        track_rows = _pairs_of(proposal, tp, solution.index_pairs)
        for row in track_rows:
            if row.change == PairChange.NEW:
                chosen[row.user_id] += 1
        rows += track_rows
        reports.append(_track_report(tp, solution.report.as_dict()))

    _progress(proposal, 0.85, "Storing the proposal")
    with transaction.atomic():
        ProposedPair.objects.filter(proposal=proposal).delete()
        ProposedPair.objects.bulk_create(rows)
        proposal.report = {"tracks": reports}
        proposal.status = ProposalStatus.READY
        proposal.progress = 1.0
        new = sum(r.change == PairChange.NEW for r in rows)
        proposal.message = f"{new} new pair(s) proposed."
        proposal.save(update_fields=["report", "status", "progress", "message", "updated_at"])


def _pairs_of(proposal, tp: TrackProblem, index_pairs: np.ndarray) -> list[ProposedPair]:
    papers, reviewers, quality = tp.scores.papers, tp.scores.reviewers, tp.scores.quality
    fixed = set(tp.problem.fixed)
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
        for p, r in tp.dropped
    ]
    return rows


def _track_report(tp: TrackProblem, data: dict) -> dict:
    problem = tp.problem
    data.update(
        track=tp.track.name,
        papers=problem.n_papers,
        k=problem.k,
        m_ml=problem.m_ml,
        m_sys=problem.m_sys,
        gap_percent=100.0 * data["gap"],
        load_histogram=sorted(
            ({"load": int(k), "reviewers": v} for k, v in data["load_histogram"].items()),
            key=lambda row: row["load"],
        ),
        dropped=[
            f"{problem.papers[p]} / {problem.reviewers[r]}: "
            f"{tp.scores.forbidden_reason.get((p, r), 'not allowed')}"
            for p, r in tp.dropped
        ],
    )
    return data


def _finish_infeasible(proposal, track_name: str, exc: InfeasibleAssignment, tp, reports):
    headline = str(exc).split("\n", 1)[0]
    reasons = list(exc.reasons)
    shortfalls = tp.problem.paper_shortfalls() if tp.problem.n_papers else []
    reports.append(
        {
            "track": track_name,
            "papers": tp.problem.n_papers,
            "infeasible": headline,
            "reasons": reasons,
            "uncovered": [r for r in shortfalls if r not in reasons][:100],
        }
    )
    _finish(proposal, ProposalStatus.INFEASIBLE, f"{track_name}: {headline}", reports)


def _finish(proposal, status: str, message: str, reports: list[dict]) -> None:
    proposal.status = status
    proposal.message = message
    proposal.report = {"tracks": reports}
    proposal.progress = 1.0
    proposal.save(update_fields=["status", "message", "report", "progress", "updated_at"])
