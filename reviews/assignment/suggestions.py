"""Who could review a paper: reviewers sorted by quality that are neither conflicted nor at
their max load, with their side. Used by the proposal editor and the manual assignment form.

Loads count live (not declined) assignments; with a proposal, as if it were committed (its new
pairs added, its removed pairs taken away). Reads only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from mlsys.conferences.enums import Side
from mlsys.conferences.viewer import Viewer
from reviews.assignment.problem_builder import Reviewer, Weights, reviewer_pool, score_pairs
from reviews.enums import PairChange
from reviews.models import Assignment, AssignmentProposal, ProposedPair
from reviews.rules import conflicted_submission_ids


@dataclass
class Suggestion:
    user_id: int
    name: str
    side: str
    quality: float
    load: int
    max_load: int | None

    @property
    def label(self) -> str:
        limit = "no limit" if self.max_load is None else f"max {self.max_load}"
        side = Side(self.side).label if self.side else "no side"
        return f"{self.name} ({side}) — quality {self.quality:.2f}, load {self.load}, {limit}"


def loads(conference, proposal: AssignmentProposal | None = None) -> Counter[int]:
    counts: Counter[int] = Counter(
        Assignment.objects.current()
        .filter(conference=conference)
        .values_list("reviewer_id", flat=True)
    )
    if proposal is not None:
        for uid, change in ProposedPair.objects.filter(
            proposal=proposal, change__in=[PairChange.NEW, PairChange.REMOVED]
        ).values_list("user_id", "change"):
            counts[uid] += 1 if change == PairChange.NEW else -1
    return counts


def reviewers_on(submission, proposal: AssignmentProposal | None = None) -> set[int]:
    """Reviewer ids on ``submission``: live assignments, adjusted by ``proposal``'s changes."""
    ids = set(
        Assignment.objects.current()
        .filter(submission=submission)
        .values_list("reviewer_id", flat=True)
    )
    if proposal is not None:
        for uid, change in ProposedPair.objects.filter(
            proposal=proposal, submission=submission
        ).values_list("user_id", "change"):
            if change == PairChange.REMOVED:
                ids.discard(uid)
            else:
                ids.add(uid)
    return ids


@dataclass
class Candidate:
    """One pool reviewer judged for one paper."""

    reviewer: Reviewer
    quality: float
    forbidden: str  # "" when allowed, else the reason
    load: int
    on_paper: bool

    @property
    def at_max_load(self) -> bool:
        return self.reviewer.max_load is not None and self.load >= self.reviewer.max_load


def candidates(
    conference, submission, *, proposal: AssignmentProposal | None = None
) -> list[Candidate]:
    """Every pool reviewer for ``submission`` with quality, load and why they are excluded."""
    weights = Weights.from_params(proposal.params if proposal else {})
    pool = reviewer_pool(conference)
    scores = score_pairs(conference, [submission], pool, weights)
    current = loads(conference, proposal)
    on = reviewers_on(submission, proposal)
    out = []
    for j, reviewer in enumerate(pool):
        q = scores.quality[0, j]
        out.append(
            Candidate(
                reviewer=reviewer,
                quality=float(q) if np.isfinite(q) else 0.0,
                forbidden=scores.forbidden_reason.get((0, j), ""),
                load=current[reviewer.user_id],
                on_paper=reviewer.user_id in on,
            )
        )
    return out


def suggestions(
    conference, submission, *, proposal: AssignmentProposal | None = None
) -> list[Suggestion]:
    """Reviewers who may be added to ``submission``, best quality first: never conflicted,
    never "not willing", never at max load, not already on the paper."""
    rows = [
        Suggestion(
            user_id=c.reviewer.user_id,
            name=c.reviewer.label,
            side=c.reviewer.side,
            quality=c.quality,
            load=c.load,
            max_load=c.reviewer.max_load,
        )
        for c in candidates(conference, submission, proposal=proposal)
        if not c.forbidden and not c.on_paper and not c.at_max_load
    ]
    rows.sort(key=lambda s: (-s.quality, s.load, s.name))
    return rows


def candidate_for(conference, submission, user_id: int, proposal):
    for candidate in candidates(conference, submission, proposal=proposal):
        if candidate.reviewer.user_id == user_id:
            return candidate
    raise ValidationError("That person is not an accepted PC member with a side.")


def hard_conflicts(conference, pairs: QuerySet[ProposedPair]) -> set[tuple[int, int]]:
    out = set()
    # One viewer per reviewer: their conflicts are read once, whatever the number of pairs.
    viewers = {p.user_id: Viewer(p.user) for p in pairs.select_related("user")}
    for pair in pairs:
        if pair.submission_id in conflicted_submission_ids(viewers[pair.user_id], conference):
            out.add((pair.submission_id, pair.user_id))
    return out
