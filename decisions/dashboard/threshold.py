"""The threshold helper and the consistency check, both read off the dashboard's rows.

A *cut-off* is a calibrated score: papers at or above it are "above the line". The preview says
what a cut-off would accept, per track and topic, before anything is set. Setting decisions from
a cut-off is a second, explicit step (:func:`plan` then :func:`apply_plan`): it touches only
papers under review with no decision yet, never a pending decision a chair already recorded, a
released one, or a paper the chair is conflicted with. The consistency check lists the decisions
that disagree with the line (accepted below it, rejected above it) with their reasons.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from decisions.dashboard.stats import Dashboard, PaperRow, dashboard
from decisions.models import Outcome
from decisions.services import BulkResult, record_decisions
from mlsys.conferences.viewer import require
from mlsys.core import audit
from submissions.enums import Status

#: Up to this many papers, "set the decisions from this cut-off" runs in the request; more go to
#: the worker (task ``decisions.apply_cutoff``): recording a decision is a few milliseconds.
SYNC_LIMIT = 300


@dataclass
class Group:
    label: str
    papers: int = 0
    scored: int = 0
    accepted: int = 0

    @property
    def rate(self) -> float:
        """Share of the group's papers the cut-off accepts (unscored papers count as not)."""
        return 100 * self.accepted / self.papers if self.papers else 0.0


@dataclass
class Preview:
    cutoff: float
    total: Group
    tracks: list[Group]
    topics: list[Group]
    conflicted: int


def default_cutoff(board: Dashboard) -> float:
    """The median calibrated score of the papers the chair may see (3.5 when none is scored)."""
    values = [row.calibrated for row in board.visible if row.calibrated is not None]
    return round(float(statistics.median(values)), 2) if values else 3.5


def above(row: PaperRow, cutoff: float) -> bool:
    return row.calibrated is not None and row.calibrated >= cutoff


def preview(
    board: Dashboard, cutoff: float, tracks: dict[int, str], topics: dict[int, str]
) -> Preview:
    """How many papers ``cutoff`` accepts overall, per track and per topic (a paper with several
    topics counts in each of them)."""
    total = Group("All papers")
    by_track = {pk: Group(name) for pk, name in tracks.items()}
    by_topic = {pk: Group(name) for pk, name in topics.items()}
    for row in board.visible:
        groups = [total, by_track.setdefault(row.track_id, Group(f"Track {row.track_id}"))]
        groups += [by_topic[t] for t in row.topic_ids if t in by_topic]
        for group in groups:
            group.papers += 1
            group.scored += row.calibrated is not None
            group.accepted += above(row, cutoff)
    return Preview(
        cutoff=cutoff,
        total=total,
        tracks=[g for g in by_track.values() if g.papers],
        topics=list(by_topic.values()),
        conflicted=board.conflicted,
    )


def disagreements(board: Dashboard, cutoff: float) -> list[PaperRow]:
    """Decided papers (pending or released) on the wrong side of the line, highest score first:
    accepted below the cut-off, or rejected at or above it."""
    accepting = {o.pk for o in board.outcomes if o.accepts}
    found = [
        row
        for row in board.visible
        if row.outcome_id is not None
        and row.calibrated is not None
        and (row.outcome_id in accepting) != above(row, cutoff)
    ]
    return sorted(found, key=lambda row: (-(row.calibrated or 0), row.number))


@dataclass
class Plan:
    """What "set the decisions from this cut-off" would do, computed, not yet done."""

    cutoff: float
    accept: list[PaperRow] = field(default_factory=list)
    reject: list[PaperRow] = field(default_factory=list)
    #: Reason → papers left as they are.
    skipped: dict[str, list[PaperRow]] = field(default_factory=lambda: defaultdict(list))

    @property
    def digest(self) -> str:
        """Names exactly the papers it touches and how: the confirmation must match it."""
        parts = [self.cutoff, [r.id for r in self.accept], [r.id for r in self.reject]]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


KEPT = "Already has a pending decision (kept)"
RELEASED = "Decision released"
NOT_UNDER_REVIEW = "Not under review"
NO_SCORE = "No scores yet"
CONFLICTED = "You are conflicted"


def plan(board: Dashboard, cutoff: float) -> Plan:
    result = Plan(cutoff)
    for row in board.rows:
        if row.conflicted:
            result.skipped[CONFLICTED].append(row)
        elif row.decision_status == "released":
            result.skipped[RELEASED].append(row)
        elif row.outcome_id is not None:
            result.skipped[KEPT].append(row)
        elif row.status != Status.SUBMITTED:
            result.skipped[NOT_UNDER_REVIEW].append(row)
        elif row.calibrated is None:
            result.skipped[NO_SCORE].append(row)
        elif above(row, cutoff):
            result.accept.append(row)
        else:
            result.reject.append(row)
    return result


def apply_cutoff(
    *, conference, actor, cutoff: float, digest: str, accept: Outcome, reject: Outcome
) -> tuple[BulkResult, BulkResult] | None:
    """Recompute the plan for ``cutoff`` as ``actor`` sees the conference and apply it, if it is
    still the plan the chair confirmed (``digest``); None (nothing set) when it changed. Audited
    as ``decisions.cutoff_applied`` with the counts."""
    viewer, user = require(
        actor, "decisions.manage_decisions", conference, "Only the program chairs decide papers."
    )
    current = plan(dashboard(conference, viewer), cutoff)
    if current.digest != digest:
        return None
    accepted, rejected = apply_plan(
        conference=conference, plan=current, accept=accept, reject=reject, actor=viewer
    )
    skipped = accepted.skipped + rejected.skipped
    audit.record(
        "decisions.cutoff_applied",
        actor=user,
        target=conference,
        conference=conference,
        changes={
            "cutoff": [None, cutoff],
            "accepted": [None, len(accepted.done)],
            "rejected": [None, len(rejected.done)],
            "skipped": [None, len(skipped)],
        },
        note="; ".join(f"#{paper.number}: {why}" for paper, why in skipped)[:2000],
    )
    return accepted, rejected


def apply_plan(
    *, conference, plan: Plan, accept: Outcome, reject: Outcome, actor
) -> tuple[BulkResult, BulkResult]:
    """Record ``accept`` on the plan's papers above the line and ``reject`` below, as pending
    decisions, through decisions.services.record_decisions (which checks each paper again and
    skips, with the reason, any it cannot set)."""
    # One transaction around the lot: each paper's record_decision is a savepoint inside it (a
    # paper that fails is rolled back alone and skipped), and the database commits once instead
    # of once per paper (seconds instead of minutes for thousands of papers).
    with transaction.atomic():
        return _apply(conference=conference, plan=plan, accept=accept, reject=reject, actor=actor)


def _apply(*, conference, plan: Plan, accept: Outcome, reject: Outcome, actor):
    papers = {
        paper.pk: paper
        for paper in conference.submissions.filter(
            pk__in=[r.id for r in plan.accept + plan.reject]
        ).select_related("decision")
    }
    accepted = record_decisions(
        submissions=[papers[r.id] for r in plan.accept if r.id in papers],
        outcome=accept,
        actor=actor,
    )
    rejected = record_decisions(
        submissions=[papers[r.id] for r in plan.reject if r.id in papers],
        outcome=reject,
        actor=actor,
    )
    return accepted, rejected
