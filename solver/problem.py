"""The assignment problem as plain data, and the up-front feasibility checks.

No database access: the web layer (or the CLI) builds a :class:`Problem` from its own sources.
Quality is a dense ``papers × reviewers`` matrix (the web) or a :class:`SparseQuality` of the
given pairs with an implicit 0 for the rest (the CLI); ``-inf`` marks a pair that may never be
assigned (a conflict or a "not willing" bid). Every check below works from counts, so a sparse
problem is never expanded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from solver.sparse import SparseQuality, available_side_counts

ML = "ML"
SYSTEMS = "SYSTEMS"
BOTH = "BOTH"
SIDES = (ML, SYSTEMS, BOTH)
SIDE_CODE = {ML: 0, SYSTEMS: 1, BOTH: 2}


class AssignmentError(ValueError):
    """A domain error: the input or the constraints are wrong. ``str()`` is for a chair to read."""

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        self.reasons = list(reasons or [])
        full = (
            message
            if not self.reasons
            else message + "\n" + "\n".join(f"  - {r}" for r in self.reasons)
        )
        super().__init__(full)


class InfeasibleAssignment(AssignmentError):
    """No assignment satisfies every constraint; ``reasons`` explains why, one line each."""


@dataclass
class Problem:
    """One assignment instance.

    ``k`` (reviewers per paper), ``m_ml`` and ``m_sys`` (side minimums) are each one number for
    every paper or a sequence with one value per paper (e.g. each paper's track rule);
    :attr:`paper_k`, :attr:`paper_m_ml` and :attr:`paper_m_sys` always give them per paper.

    Invariants (checked by :meth:`validate`): ``quality`` is ``(len(papers), len(reviewers))``,
    ``sides`` holds ``ML``/``SYSTEMS``/``BOTH`` per reviewer, ``0 <= min_load <= max_load``,
    ``k >= m_ml + m_sys`` for every paper, fixed pairs are eligible. ``expert_scores``
    (optional, same shape as ``quality``) with ``expert_threshold`` asks for one reviewer per
    paper scoring at least the threshold on that source.
    """

    papers: list[str]
    reviewers: list[str]
    sides: list[str]
    quality: np.ndarray | SparseQuality
    k: int | Sequence[int]
    m_ml: int | Sequence[int] = 1
    m_sys: int | Sequence[int] = 1
    min_load: np.ndarray | None = None
    max_load: np.ndarray | None = None
    fixed: list[tuple[int, int]] = field(default_factory=list)
    expert_scores: np.ndarray | SparseQuality | None = None
    expert_threshold: float | None = None

    def __post_init__(self) -> None:
        n_r = len(self.reviewers)
        if not isinstance(self.quality, SparseQuality):
            self.quality = np.asarray(self.quality, dtype=np.float64)
        if self.min_load is None:
            self.min_load = np.zeros(n_r, dtype=np.int64)
        if self.max_load is None:
            self.max_load = np.full(n_r, len(self.papers), dtype=np.int64)
        self.min_load = np.asarray(self.min_load, dtype=np.int64)
        self.max_load = np.asarray(self.max_load, dtype=np.int64)
        self.side_codes = np.array([SIDE_CODE.get(s, -1) for s in self.sides], dtype=np.int8)
        self.fixed = sorted(set(self.fixed))
        for name in ("k", "m_ml", "m_sys"):
            value = getattr(self, name)
            if not np.isscalar(value):
                setattr(self, name, np.asarray(value, dtype=np.int64))

    def _per_paper(self, value: int | Sequence[int]) -> np.ndarray:
        values = np.asarray(value, dtype=np.int64)
        if values.ndim == 0:
            return np.full(self.n_papers, int(values), dtype=np.int64)
        return values

    @property
    def paper_k(self) -> np.ndarray:
        """Reviewers per paper, one value per paper."""
        return self._per_paper(self.k)

    @property
    def paper_m_ml(self) -> np.ndarray:
        """Minimum ML (or ML+Systems) reviewers, one value per paper."""
        return self._per_paper(self.m_ml)

    @property
    def paper_m_sys(self) -> np.ndarray:
        """Minimum Systems (or ML+Systems) reviewers, one value per paper."""
        return self._per_paper(self.m_sys)

    def uniform_rule(self) -> tuple[int, int, int] | None:
        """``(k, m_ml, m_sys)`` when every paper has the same rule (or there are no papers
        and the rule was given as numbers), else ``None``."""
        if self.n_papers == 0:
            values = [np.asarray(v) for v in (self.k, self.m_ml, self.m_sys)]
            if all(v.ndim == 0 for v in values):
                return int(values[0]), int(values[1]), int(values[2])
            return None
        rule = []
        for values in (self.paper_k, self.paper_m_ml, self.paper_m_sys):
            if values.min() != values.max():
                return None
            rule.append(int(values[0]))
        return rule[0], rule[1], rule[2]

    def rule_text(self, p: int) -> str:
        """Paper ``p``'s rule in words, for explanations."""
        k, m_ml, m_sys = (
            int(np.asarray(v)) if np.ndim(v) == 0 else int(v[p])
            for v in (self.k, self.m_ml, self.m_sys)
        )
        return f"{k} reviewers, at least {m_ml} ML and {m_sys} Systems"

    @property
    def n_papers(self) -> int:
        return len(self.papers)

    @property
    def n_reviewers(self) -> int:
        return len(self.reviewers)

    @property
    def uses_expert(self) -> bool:
        return self.expert_scores is not None and self.expert_threshold is not None

    @property
    def is_sparse(self) -> bool:
        return isinstance(self.quality, SparseQuality)

    def pair_quality(self, papers: np.ndarray, reviewers: np.ndarray) -> np.ndarray:
        """Quality of each ``(paper, reviewer)`` pair, ``-inf`` where forbidden."""
        if isinstance(self.quality, SparseQuality):
            return self.quality.lookup(papers, reviewers)
        return self.quality[papers, reviewers]

    def n_eligible(self) -> int:
        if isinstance(self.quality, SparseQuality):
            return self.quality.n_eligible
        return int(np.isfinite(self.quality).sum())

    def eligible_per_reviewer(self) -> np.ndarray:
        if isinstance(self.quality, SparseQuality):
            return self.quality.eligible_per_reviewer()
        return np.isfinite(self.quality).sum(axis=0)

    def eligible(self) -> np.ndarray:
        """Dense eligibility mask (dense problems only: the MIP and the web's callers)."""
        return np.isfinite(self._dense_quality())

    def expert_mask(self) -> np.ndarray:
        assert self.expert_scores is not None and self.expert_threshold is not None
        expert = self.expert_scores
        if isinstance(expert, SparseQuality):
            expert = expert.to_dense()
        return self.eligible() & (expert >= self.expert_threshold)

    def _dense_quality(self) -> np.ndarray:
        if isinstance(self.quality, SparseQuality):
            raise TypeError("a sparse problem has no dense quality; see Problem.densified()")
        return self.quality

    def densified(self) -> Problem:
        """The same problem with dense matrices (for the MIP, which works on every pair)."""
        expert = self.expert_scores
        return Problem(
            papers=self.papers, reviewers=self.reviewers, sides=self.sides, k=self.k,
            m_ml=self.m_ml, m_sys=self.m_sys, min_load=self.min_load, max_load=self.max_load,
            fixed=self.fixed, expert_threshold=self.expert_threshold,
            quality=self.quality.to_dense() if self.is_sparse else self.quality,
            expert_scores=expert.to_dense() if isinstance(expert, SparseQuality) else expert,
        )  # fmt: skip

    def validate(self) -> None:
        """Raise :class:`AssignmentError` / :class:`InfeasibleAssignment` with an explanation
        for every infeasibility that can be seen without solving."""
        n_p, n_r = self.n_papers, self.n_reviewers
        if self.quality.shape != (n_p, n_r):
            raise AssignmentError(f"quality must be {n_p}x{n_r}, got {self.quality.shape}")
        bad_sides = sorted({s for s in self.sides if s not in SIDE_CODE})
        if bad_sides:
            raise AssignmentError(f"unknown reviewer side(s) {bad_sides}; use ML, SYSTEMS or BOTH")
        q = self.quality
        values = q.values if isinstance(q, SparseQuality) else q
        if bool(np.isnan(values).any()) or bool((values == np.inf).any()):
            raise AssignmentError("quality must be finite or -inf (forbidden pair)")
        self._check_rules()
        reasons: list[str] = []
        for i in np.flatnonzero((self.min_load < 0) | (self.min_load > self.max_load)):
            reasons.append(
                f"reviewer {self.reviewers[i]}: min load {self.min_load[i]} exceeds max load "
                f"{self.max_load[i]}"
            )
        if reasons:
            raise InfeasibleAssignment("reviewer load limits are inconsistent:", reasons)
        self._check_fixed()
        if n_p == 0:
            return
        self._check_totals()
        self._check_papers()
        self._check_min_loads()

    def _check_rules(self) -> None:
        n_p = self.n_papers
        for name in ("k", "m_ml", "m_sys"):
            shape = np.shape(getattr(self, name))
            if shape not in ((), (n_p,)):
                raise AssignmentError(
                    f"{name} must be one number or one value per paper ({n_p}), got shape {shape}"
                )
        if (
            (np.asarray(self.k) < 1).any()
            or (np.asarray(self.m_ml) < 0).any()
            or (np.asarray(self.m_sys) < 0).any()
        ):
            raise AssignmentError("reviewers per paper must be >= 1 and side minimums >= 0")
        uniform = self.uniform_rule()
        if uniform is not None:
            k, m_ml, m_sys = uniform
            if m_ml + m_sys > k:
                raise InfeasibleAssignment(
                    f"{m_ml} ML + {m_sys} Systems reviewers are required per paper, but only "
                    f"{k} reviewers per paper are assigned (a ML+Systems reviewer counts for one "
                    "side only)"
                )
            return
        ks, mls, mss = self.paper_k, self.paper_m_ml, self.paper_m_sys
        over = np.flatnonzero(mls + mss > ks)
        if len(over):
            raise InfeasibleAssignment(
                f"{len(over)} paper(s) require more side reviewers than reviewers (a ML+Systems "
                "reviewer counts for one side only):",
                [
                    f"paper {self.papers[p]}: {mls[p]} ML + {mss[p]} Systems reviewers required, "
                    f"but only {ks[p]} reviewers are assigned to it"
                    for p in over[:50]
                ],
            )

    def _check_fixed(self) -> None:
        reasons = []
        paper_count = np.zeros(self.n_papers, dtype=np.int64)
        reviewer_count = np.zeros(self.n_reviewers, dtype=np.int64)
        fixed = np.array(self.fixed, dtype=np.int64).reshape(-1, 2)
        allowed = np.isfinite(self.pair_quality(fixed[:, 0], fixed[:, 1]))
        for (p, r), ok in zip(self.fixed, allowed, strict=True):
            if not ok:
                reasons.append(
                    f"kept assignment paper {self.papers[p]} / reviewer {self.reviewers[r]} is a "
                    "conflict or 'not willing' pair"
                )
            paper_count[p] += 1
            reviewer_count[r] += 1
        ks = self.paper_k
        for p in np.flatnonzero(paper_count > ks):
            reasons.append(
                f"paper {self.papers[p]} already has {paper_count[p]} kept reviewers, "
                f"more than its {ks[p]}"
            )
        for r in np.flatnonzero(reviewer_count > self.max_load):
            reasons.append(
                f"reviewer {self.reviewers[r]} already has {reviewer_count[r]} kept papers, more "
                f"than the max load {self.max_load[r]}"
            )
        if reasons:
            raise InfeasibleAssignment("the kept assignments can't be honoured:", reasons)

    def _check_totals(self) -> None:
        uniform = self.uniform_rule()
        demand = int(self.paper_k.sum())
        eligible_per_reviewer = self.eligible_per_reviewer()
        capacity = np.minimum(self.max_load, eligible_per_reviewer)
        if capacity.sum() < demand:
            detail = (
                f"{self.n_papers} papers x {uniform[0]} reviewers"
                if uniform
                else f"{self.n_papers} papers, each with its own reviewers per paper"
            )
            raise InfeasibleAssignment(
                f"total reviewer capacity {int(capacity.sum())} is below the demand {demand} "
                f"({detail})"
            )
        if self.min_load.sum() > demand:
            raise InfeasibleAssignment(
                f"minimum loads add up to {int(self.min_load.sum())}, more than the {demand} "
                "reviews there are to give"
            )
        for code, side, needs in ((0, "ML", self.paper_m_ml), (1, "Systems", self.paper_m_sys)):
            pool = (self.side_codes == code) | (self.side_codes == 2)
            if capacity[pool].sum() < needs.sum():
                per = f"{needs[0]} per paper" if uniform else "the papers' own minimums summed"
                can = int(capacity[pool].sum())
                raise InfeasibleAssignment(
                    f"{side} reviewers (counting those on both sides) can give {can} "
                    f"review{'' if can == 1 else 's'} in total, but {int(needs.sum())} are needed "
                    f"({per})"
                )

    def paper_shortfalls(self) -> list[str]:
        """Per-paper reasons why the paper can't be covered, counting only reviewers that are
        eligible for it and have capacity left after kept assignments."""
        reasons = []
        kept = np.zeros(self.n_reviewers, dtype=np.int64)
        for _p, r in self.fixed:
            kept[r] += 1
        available = (self.max_load > 0) & (kept < self.max_load)
        counts, expert_ok = self._available_counts(available)
        ks, mls, mss = self.paper_k, self.paper_m_ml, self.paper_m_sys
        uniform = self.uniform_rule() is not None
        for p in range(self.n_papers):
            n_ml, n_sys, n_both = (int(x) for x in counts[p])
            name = self.papers[p]
            rule = "" if uniform else f" (its rule: {self.rule_text(p)})"
            if n_ml + n_both < mls[p]:
                reasons.append(_shortfall(name, n_ml + n_both, "ML (or ML+Systems)", mls[p]) + rule)
            if n_sys + n_both < mss[p]:
                reasons.append(
                    _shortfall(name, n_sys + n_both, "Systems (or ML+Systems)", mss[p]) + rule
                )
            if n_ml + n_sys + n_both < ks[p]:
                reasons.append(_shortfall(name, n_ml + n_sys + n_both, "", ks[p]) + rule)
            if expert_ok is not None and not expert_ok[p]:
                reasons.append(
                    f"paper {name}: no non-conflicted reviewer with capacity scores at least "
                    f"{self.expert_threshold} on the expertise source"
                )
        return reasons

    def _available_counts(self, available: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Per paper and side code, eligible reviewers that are ``available`` or kept on it;
        with the expertise constraint, whether one of them is an expert."""
        if isinstance(self.quality, SparseQuality):
            if self.uses_expert:
                return self.densified()._available_counts(available)
            return available_side_counts(self.quality, self.side_codes, available, self.fixed), None
        avail = self.eligible() & available[None, :]
        for p, r in self.fixed:
            avail[p, r] = True
        counts = np.stack([(avail & (self.side_codes == c)).sum(axis=1) for c in (0, 1, 2)], 1)
        expert = (self.expert_mask() & avail).any(axis=1) if self.uses_expert else None
        return counts, expert

    def _check_papers(self) -> None:
        reasons = self.paper_shortfalls()
        if reasons:
            raise InfeasibleAssignment(
                f"{len(reasons)} paper constraint(s) can't be met:", reasons[:50]
            )

    def _check_min_loads(self) -> None:
        elig_count = self.eligible_per_reviewer()
        reasons = [
            f"reviewer {self.reviewers[r]}: min load {self.min_load[r]} but only "
            f"{elig_count[r]} non-conflicted paper(s)"
            for r in np.flatnonzero(self.min_load > elig_count)
        ]
        if reasons:
            raise InfeasibleAssignment("minimum loads can't be met:", reasons[:50])


def _shortfall(paper: str, have: int, kind: str, need: int) -> str:
    who = f"{kind} reviewer" if kind else "reviewer"
    plural = "" if have == 1 else "s"
    verb = "has" if have == 1 else "have"
    return f"paper {paper}: only {have} non-conflicted {who}{plural} {verb} capacity, {need} needed"
