"""Build the solver's :class:`~solver.Problem` from the database.

Quality of a (paper, reviewer) pair::

    w_aff · affinity + w_bid · bid score + w_topic · topic match

- affinity: the stored :class:`~reviews.models.Affinity` score of the source in use
  (``reviews.affinity.queries.used_source``: the newest scores stored, or the chairs' choice);
  a missing pair scores 0;
- bid score: :data:`reviews.enums.BID_SCORES` (no bid = 0);
- topic match: the mean interest level (0–3) of the reviewer over the paper's topics, divided
  by 3, so it lies in 0–1 (a paper without topics scores 0).

Forbidden pairs (``-inf``): every effective Conflict row (any source), authorship, "conflict"
and "not willing" bids, and declined assignments. Existing assignments that are still allowed
are kept (fixed); existing ones that became forbidden are returned separately so the proposal
can mark them removed instead of failing.

The reviewer pool is the accepted PC members and area chairs with a side. An empty
``max_load`` means no limit. Reads only; never writes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership, Conference, Track
from reviews.affinity import queries as affinity_queries
from reviews.enums import BID_SCORES, FORBIDDEN_BIDS
from reviews.models import Affinity, Assignment, Bid, TopicInterest
from solver import Problem
from submissions import enums as sub_enums
from submissions.models import Author, Conflict, Submission

POOL_ROLES = (Role.PC_MEMBER, Role.AREA_CHAIR)
MAX_INTEREST = 3.0


@dataclass(frozen=True)
class Weights:
    affinity: float = 1.0
    bid: float = 1.0
    topic: float = 0.5

    @classmethod
    def from_params(cls, params: dict) -> Weights:
        return cls(
            affinity=float(params.get("w_affinity", cls.affinity)),
            bid=float(params.get("w_bid", cls.bid)),
            topic=float(params.get("w_topic", cls.topic)),
        )


@dataclass
class Reviewer:
    user_id: int
    label: str
    side: str
    min_load: int
    max_load: int | None  # None: no limit

    @property
    def side_label(self) -> str:
        """The side as people read it ("Systems", not the stored "SYSTEMS")."""
        return Side(self.side).label if self.side else ""


@dataclass
class Scores:
    """Everything per pair, for a set of papers and the whole pool (dense, papers × reviewers)."""

    papers: list[Submission]
    reviewers: list[Reviewer]
    affinity: np.ndarray
    quality: np.ndarray  # -inf where forbidden
    forbidden_reason: dict[tuple[int, int], str] = field(default_factory=dict)

    def paper_index(self) -> dict[int, int]:
        return {s.pk: i for i, s in enumerate(self.papers)}

    def reviewer_index(self) -> dict[int, int]:
        return {r.user_id: j for j, r in enumerate(self.reviewers)}


def reviewer_pool(conference: Conference) -> list[Reviewer]:
    """Accepted PC members and area chairs with a side, one entry per person (by name).
    Read as plain values: the chairs' pages call this for thousands of members."""
    rows = list(
        CommitteeMembership.objects.filter(
            conference=conference, status=InvitationStatus.ACCEPTED, role__in=POOL_ROLES
        )
        .exclude(side="")
        .order_by("user__name", "user_id", "role")
        .values_list("user_id", "side", "min_load", "max_load", "user__name", "user__email")
    )
    seen: dict[int, Reviewer] = {}
    emails: dict[int, str] = {}
    names: dict[str, int] = defaultdict(int)
    for user_id, side, min_load, max_load, name, email in rows:
        if user_id in seen:
            continue
        seen[user_id] = Reviewer(
            user_id=user_id,
            label=name or email,
            side=side,
            min_load=min_load,
            max_load=max_load,
        )
        emails[user_id] = email
        names[seen[user_id].label] += 1
    for user_id, reviewer in seen.items():
        if names[reviewer.label] > 1 and emails[user_id] not in reviewer.label:
            reviewer.label = f"{reviewer.label} <{emails[user_id]}>"
    return list(seen.values())


def active_submissions(conference: Conference, track: Track | None = None):
    qs = Submission.objects.active().filter(conference=conference)
    if track is not None:
        qs = qs.filter(track=track)
    return qs.select_related("track").order_by("number")


def score_pairs(
    conference: Conference,
    papers: list[Submission],
    reviewers: list[Reviewer],
    weights: Weights,
) -> Scores:
    """Dense affinity and quality matrices for ``papers`` × ``reviewers`` (a fixed number of
    queries, whatever the sizes)."""
    n_p, n_r = len(papers), len(reviewers)
    pi = {s.pk: i for i, s in enumerate(papers)}
    ri = {r.user_id: j for j, r in enumerate(reviewers)}
    paper_ids, user_ids = list(pi), list(ri)
    affinity = np.zeros((n_p, n_r))
    bid = np.zeros((n_p, n_r))
    topic = np.zeros((n_p, n_r))
    forbidden: dict[tuple[int, int], str] = {}

    source = affinity_queries.used_source(conference)
    for sid, uid, score in Affinity.objects.filter(
        submission_id__in=paper_ids, user_id__in=user_ids, source=source
    ).values_list("submission_id", "user_id", "score"):
        affinity[pi[sid], ri[uid]] = score

    for sid, uid, value in Bid.objects.filter(
        submission_id__in=paper_ids, user_id__in=user_ids
    ).values_list("submission_id", "user_id", "value"):
        if value in FORBIDDEN_BIDS:
            forbidden[(pi[sid], ri[uid])] = f"bid “{value.replace('_', ' ')}”"
        else:
            bid[pi[sid], ri[uid]] = BID_SCORES.get(value, 0.0)

    paper_topics: dict[int, list[int]] = defaultdict(list)
    for sid, tid in Submission.topics.through.objects.filter(
        submission_id__in=paper_ids
    ).values_list("submission_id", "topic_id"):
        paper_topics[sid].append(tid)
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for uid, tid, level in TopicInterest.objects.filter(
        conference=conference, user_id__in=user_ids
    ).values_list("user_id", "topic_id", "level"):
        levels[uid][tid] = level
    for sid, tids in paper_topics.items():
        for uid, mine in levels.items():
            total = sum(mine.get(t, 0) for t in tids)
            topic[pi[sid], ri[uid]] = total / (len(tids) * MAX_INTEREST)

    for sid, uid, source_name in Conflict.objects.filter(
        submission_id__in=paper_ids, user_id__in=user_ids, state__in=sub_enums.EFFECTIVE
    ).values_list("submission_id", "user_id", "source"):
        forbidden[(pi[sid], ri[uid])] = f"conflict ({source_name.replace('_', ' ')})"
    for sid, uid in Author.objects.filter(
        submission_id__in=paper_ids, user_id__in=user_ids
    ).values_list("submission_id", "user_id"):
        forbidden[(pi[sid], ri[uid])] = "author"
    for sid, uid in Assignment.objects.filter(
        submission_id__in=paper_ids, reviewer_id__in=user_ids, declined_at__isnull=False
    ).values_list("submission_id", "reviewer_id"):
        forbidden.setdefault((pi[sid], ri[uid]), "declined the assignment")
    for sid, uid in (
        Assignment.objects.removed()
        .filter(submission_id__in=paper_ids, reviewer_id__in=user_ids)
        .values_list("submission_id", "reviewer_id")
    ):
        forbidden.setdefault((pi[sid], ri[uid]), "removed by a chair (restore instead)")

    quality = weights.affinity * affinity + weights.bid * bid + weights.topic * topic
    for p, r in forbidden:
        quality[p, r] = -np.inf
    return Scores(papers, reviewers, affinity, quality, forbidden)


def existing_pairs(conference: Conference) -> list[tuple[int, int]]:
    """(submission id, reviewer id) of every current (not declined, not removed) assignment,
    all rounds."""
    return list(
        Assignment.objects.current()
        .filter(conference=conference)
        .values_list("submission_id", "reviewer_id")
    )


@dataclass
class SolveProblem:
    """One solver problem covering every active paper of the scope (a track or the whole
    conference), and the ids to map its answer back. ``paper_tracks[p]`` is paper ``p``'s
    track, whose rule (k and side minimums) the problem carries per paper."""

    track: Track | None
    paper_tracks: list[Track]
    scores: Scores
    problem: Problem
    #: (paper index, reviewer index) of existing assignments that are now forbidden.
    dropped: list[tuple[int, int]]

    @property
    def tracks(self) -> list[Track]:
        """The tracks with papers in the problem, in conference order."""
        seen = {t.pk: t for t in self.paper_tracks}
        return sorted(seen.values(), key=lambda t: (t.order, t.pk))


def build_problem(
    conference: Conference,
    track: Track | None,
    reviewers: list[Reviewer],
    weights: Weights,
    *,
    existing: list[tuple[int, int]],
    expertise_threshold: float | None = None,
) -> SolveProblem:
    """The joint problem for ``track``'s active papers, or for every active paper of the
    conference when ``track`` is None.

    Each paper carries its own track's ``reviewers_per_paper``, ``min_ml_reviewers`` and
    ``min_systems_reviewers``. Live assignments on papers outside the problem (another track,
    an inactive paper) are subtracted from the reviewers' max loads. Minimum loads are enforced,
    less those outside assignments, only for the whole conference: a single track can't know
    what the other tracks will give a reviewer, so it ignores them.
    """
    papers = list(active_submissions(conference, track))
    scores = score_pairs(conference, papers, reviewers, weights)
    pi, ri = scores.paper_index(), scores.reviewer_index()
    n_p = len(papers)
    used = Counter(uid for sid, uid in existing if sid not in pi)
    max_load = np.array(
        [n_p if r.max_load is None else max(0, r.max_load - used[r.user_id]) for r in reviewers],
        dtype=np.int64,
    )
    min_load = np.array(
        [max(0, r.min_load - used[r.user_id]) if track is None else 0 for r in reviewers],
        dtype=np.int64,
    )
    min_load = np.minimum(min_load, max_load)
    fixed, dropped = [], []
    for sid, uid in existing:
        if sid in pi and uid in ri:
            pair = (pi[sid], ri[uid])
            (dropped if not np.isfinite(scores.quality[pair]) else fixed).append(pair)
    paper_tracks = [s.track for s in papers]
    several = len({t.pk for t in paper_tracks}) > 1
    problem = Problem(
        papers=[f"#{s.number} ({s.track.name})" if several else f"#{s.number}" for s in papers],
        reviewers=[r.label for r in reviewers],
        sides=[r.side for r in reviewers],
        quality=scores.quality,
        k=np.array([t.reviewers_per_paper for t in paper_tracks], dtype=np.int64),
        m_ml=np.array([t.min_ml_reviewers for t in paper_tracks], dtype=np.int64),
        m_sys=np.array([t.min_systems_reviewers for t in paper_tracks], dtype=np.int64),
        min_load=min_load,
        max_load=max_load,
        fixed=fixed,
        expert_scores=scores.affinity if expertise_threshold is not None else None,
        expert_threshold=expertise_threshold,
    )
    return SolveProblem(
        track=track, paper_tracks=paper_tracks, scores=scores, problem=problem, dropped=dropped
    )
