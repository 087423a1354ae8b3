"""Assigning evaluators with the solver library: run → preview → commit.

:func:`propose` builds one ``solver.Problem`` over the artifacts that still need evaluators
(``pool.NEEDING``; those the acting chair is conflicted with are left out — another AE chair
assigns them) and the accepted AE evaluators:

- ``k`` per artifact: ``AESettings.evaluators_per_artifact`` minus its live assignments;
- ``max_load`` per evaluator: their membership's ``max_load`` (else
  ``AESettings.evaluations_per_evaluator``) minus their live assignments;
- no ML/Systems rule (``m_ml = m_sys = 0``, every evaluator ``BOTH``);
- quality from bids (``pool.BID_QUALITY``: eager > willing > none > reluctant); a pair that
  is not eligible (conflict, hardware misfit, already on the artifact) is ``-inf``: never
  assigned.

When not every slot can be filled, the solver still gives the best *partial* assignment:
each artifact also gets "unfilled" placeholder columns whose quality is far below any real
pair, so a real evaluator is always preferred and a placeholder is chosen only for a slot
nobody can take. :func:`propose` says per artifact why slots stay open (no fitting,
unconflicted evaluator; or the fitting ones have no load left).

Nothing is stored by a run. The preview carries a digest (an HMAC of the problem's inputs,
the chair and the proposed pairs); :func:`commit` rebuilds the inputs and refuses a digest
that no longer matches (bids, conflicts, profiles, loads or assignments changed), so a stale
preview is never committed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from artifacts.assignment import hardware, services
from artifacts.assignment import pool as pools
from artifacts.models import Artifact
from artifacts.rules import conflicted_artifact_submission_ids
from mlsys.conferences.viewer import require
from solver import BOTH, InfeasibleAssignment, Problem, solve

#: A placeholder's quality: far below any real pair (real qualities are 1..4 per slot).
UNFILLED = -1000.0
_SALT = "artifacts.assignment.proposal"
#: Most pairs one commit takes (a conference has far fewer artifacts × evaluators per slot).
MAX_COMMIT_PAIRS = 20000


class StaleProposal(ValidationError):
    """The preview no longer matches the data: run the assignment again."""


@dataclass
class ProposedPair:
    artifact: Artifact
    evaluator: pools.Evaluator
    bid: str


@dataclass
class Shortfall:
    artifact: Artifact
    needed: int
    open: int
    reason: str


@dataclass
class Proposal:
    pairs: list[ProposedPair]
    shortfalls: list[Shortfall]
    #: Artifacts needing evaluators that the chair is conflicted with (left out).
    hidden: int
    digest: str
    #: Artifacts considered (needing at least one evaluator).
    considered: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.shortfalls

    def pair_keys(self) -> list[tuple[int, int]]:
        return [(p.artifact.pk, p.evaluator.user.pk) for p in self.pairs]


@dataclass
class Inputs:
    pool: pools.Pool
    artifacts: list[Artifact]
    evaluator_ids: list[int]
    k: list[int]
    quality: np.ndarray
    hidden: int

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        h.update(repr([a.pk for a in self.artifacts]).encode())
        h.update(repr(self.k).encode())
        h.update(repr(self.evaluator_ids).encode())
        h.update(repr([self.pool.evaluators[u].capacity for u in self.evaluator_ids]).encode())
        h.update(np.ascontiguousarray(self.quality).tobytes())
        return h.hexdigest()


def inputs(conference, viewer) -> Inputs:
    """The problem's data as the acting chair may see it (a fixed number of queries)."""
    conflicted = conflicted_artifact_submission_ids(viewer, conference)
    everything = list(pools.needing(conference))
    mine = [a for a in everything if a.submission_id not in conflicted]
    pool = pools.load(conference, mine)
    artifacts = [a for a in mine if pool.needed(a) > 0]
    hidden = sum(1 for a in everything if a.submission_id in conflicted)
    evaluator_ids = list(pool.evaluators)
    return Inputs(
        pool=pool,
        artifacts=artifacts,
        evaluator_ids=evaluator_ids,
        k=[pool.needed(a) for a in artifacts],
        quality=quality_of(pool, artifacts, evaluator_ids),
        hidden=hidden,
    )


def quality_of(pool: pools.Pool, artifacts: list[Artifact], evaluator_ids: list[int]):
    """The solver's quality matrix: ``pools.BID_QUALITY`` of each eligible pair
    (``Pool.eligible``), ``-inf`` for the others. Hardware is checked once per distinct set of
    needs and evaluator (artifacts share needs), bids, conflicts and existing rows from the
    pool's sparse data: not a Python call per artifact × evaluator."""
    column = {uid: r for r, uid in enumerate(evaluator_ids)}
    fits: dict[str, np.ndarray] = {}
    quality = np.full((len(artifacts), len(evaluator_ids)), 2.0)
    for p, artifact in enumerate(artifacts):
        key = hardware.needs_key(artifact)
        if key not in fits:
            fits[key] = np.array([pool.fit(artifact, uid)[0] for uid in evaluator_ids], dtype=bool)
        quality[p, ~fits[key]] = -np.inf
    row = {a.pk: p for p, a in enumerate(artifacts)}
    by_submission: dict[int, list[int]] = {}
    for p, artifact in enumerate(artifacts):
        by_submission.setdefault(artifact.submission_id, []).append(p)
    for (artifact_id, uid), preference in pool.bids.items():
        at, r = row.get(artifact_id), column.get(uid)
        if at is not None and r is not None and quality[at, r] != -np.inf:
            quality[at, r] = pools.BID_QUALITY.get(preference, 2.0)
    for submission_id, uid in pool.conflicts:
        r = column.get(uid)
        if r is not None:
            for p in by_submission.get(submission_id, []):
                quality[p, r] = -np.inf
    for artifact_id, assignments in pool.rows.items():
        at = row.get(artifact_id)
        if at is not None:
            for assignment in assignments:
                r = column.get(assignment.evaluator_id)
                if r is not None:
                    quality[at, r] = -np.inf
    return quality


def digest_of(data: Inputs, user_id, pairs) -> str:
    text = f"{user_id}|{data.fingerprint()}|{sorted(pairs)!r}"
    return salted_hmac(_SALT, text, algorithm="sha256").hexdigest()[:32]


def _solve(data: Inputs) -> list[tuple[int, int]]:
    """(artifact index, evaluator index) of the best (possibly partial) assignment."""
    n_p, n_r = len(data.artifacts), len(data.evaluator_ids)
    if n_p == 0:
        return []
    slots = max(data.k)
    quality = np.hstack([data.quality, np.full((n_p, slots), UNFILLED)])
    capacity = [data.pool.evaluators[u].capacity for u in data.evaluator_ids]
    problem = Problem(
        papers=[str(a.pk) for a in data.artifacts],
        reviewers=[str(u) for u in data.evaluator_ids] + [f"unfilled-{j}" for j in range(slots)],
        sides=[BOTH] * (n_r + slots),
        quality=quality,
        k=data.k,
        m_ml=0,
        m_sys=0,
        max_load=np.array(capacity + [n_p] * slots, dtype=np.int64),
    )
    solution = solve(problem)
    return [(int(p), int(r)) for p, r in solution.index_pairs if r < n_r]


def _shortfall(data: Inputs, artifact: Artifact, taken: dict[int, int]) -> str:
    pool = data.pool
    fitting = [
        uid
        for uid in data.evaluator_ids
        if not pool.is_conflicted(artifact, uid)
        and not pool.has_row(artifact, uid)
        and pool.fit(artifact, uid)[0]
    ]
    if not fitting:
        misfits = sum(
            1
            for uid in data.evaluator_ids
            if not pool.is_conflicted(artifact, uid) and not pool.fit(artifact, uid)[0]
        )
        if not data.evaluator_ids:
            return "There are no accepted evaluators."
        return (
            "No evaluator whose hardware fits is free of conflicts and not already on it "
            f"({misfits} {'lacks' if misfits == 1 else 'lack'} the hardware it needs)."
        )
    free = [u for u in fitting if pool.evaluators[u].capacity - taken.get(u, 0) > 0]
    if len(fitting) < pool.needed(artifact):
        return (
            f"Only {len(fitting)} evaluator{'s' if len(fitting) != 1 else ''} fit and "
            f"{'are' if len(fitting) != 1 else 'is'} unconflicted; "
            f"{pool.needed(artifact)} more needed."
        )
    return (
        f"Loads too small: {len(fitting)} evaluators fit, but "
        f"{'none has' if not free else f'only {len(free)} have'} evaluations left to give."
    )


def propose(conference, *, actor) -> Proposal:
    """Solve now (nothing stored) and return the preview with its digest."""
    viewer, user = require(
        actor, "artifacts.manage_ae", conference, "Only the AE chairs assign evaluators."
    )
    data = inputs(conference, viewer)
    try:
        index_pairs = _solve(data)
    except InfeasibleAssignment as exc:  # pragma: no cover - the placeholders make it feasible
        raise ValidationError(str(exc)) from exc
    pool = data.pool
    pairs = [
        ProposedPair(
            artifact=data.artifacts[p],
            evaluator=pool.evaluators[data.evaluator_ids[r]],
            bid=pool.bid(data.artifacts[p], data.evaluator_ids[r]),
        )
        for p, r in index_pairs
    ]
    got: dict[int, int] = {}
    taken: dict[int, int] = {}
    for pair in pairs:
        got[pair.artifact.pk] = got.get(pair.artifact.pk, 0) + 1
        taken[pair.evaluator.user.pk] = taken.get(pair.evaluator.user.pk, 0) + 1
    shortfalls = []
    for artifact, k in zip(data.artifacts, data.k, strict=True):
        open_slots = k - got.get(artifact.pk, 0)
        if open_slots > 0:
            shortfalls.append(
                Shortfall(
                    artifact=artifact,
                    needed=k,
                    open=open_slots,
                    reason=_shortfall(data, artifact, taken),
                )
            )
    proposal = Proposal(
        pairs=pairs,
        shortfalls=shortfalls,
        hidden=data.hidden,
        digest="",
        considered=len(data.artifacts),
    )
    proposal.digest = digest_of(data, user.pk, proposal.pair_keys())
    return proposal


def commit(conference, *, actor, pairs: list[tuple[int, int]], digest: str) -> int:
    """Create the previewed assignments (aliases A, B, … per artifact); returns how many.

    Raises :class:`StaleProposal` when the data changed since the preview (or the pairs are
    not the previewed ones), PermissionDenied unless the actor runs AE."""
    viewer, user = require(
        actor, "artifacts.manage_ae", conference, "Only the AE chairs assign evaluators."
    )
    with transaction.atomic():
        # One commit at a time per conference: the artifacts' rows are locked while checking.
        list(
            Artifact.objects.select_for_update()
            .filter(conference=conference, status__in=pools.NEEDING)
            .values_list("pk", flat=True)
        )
        data = inputs(conference, viewer)
        expected = digest_of(data, user.pk, list(pairs))
        if not digest or not constant_time_compare(expected, digest):
            raise StaleProposal(
                "Bids, conflicts, hardware profiles, loads or assignments changed since this "
                "preview; nothing was assigned. Run the assignment again."
            )
        by_id = {a.pk: a for a in data.artifacts}
        created = 0
        for artifact_id, user_id in pairs:
            artifact = by_id[artifact_id]
            services.create_assignment(
                artifact,
                data.pool.evaluators[user_id].user,
                actor=viewer,
                note="From the assignment run.",
            )
            created += 1
        services.notify_assigned(conference, {uid for _a, uid in pairs})
    return created
