"""The eligible pairs as the flow solver sees them: candidates, costs and the pair part of the
Lagrangian bound, for a dense matrix or for sparse explicit pairs plus implicit zeros.

Both give pairs as int64 keys ``paper * n_reviewers + reviewer``. The bound's pair term is
``Σ min(0, r_pr)`` over every eligible pair with reduced cost
``r_pr = −q_pr − π_reviewer + π_side(p)``; violators are non-candidate pairs with
``r_pr < −tol``, the only ones that could still improve the objective (docs/assignment.md).
"""

from __future__ import annotations

import numpy as np

from solver.problem import AssignmentError, Problem
from solver.sparse import SparseQuality, member

# Implicit violators enumerated per round at most (more wait for the next round).
VIOLATOR_BATCH = 4_000_000
# A sparse problem is never expanded to every eligible pair beyond this.
ALL_PAIRS_LIMIT = 30_000_000


class DensePairs:
    """Pairs of a dense ``papers × reviewers`` quality matrix (``-inf`` = forbidden)."""

    def __init__(self, problem: Problem, chunk: int = 512) -> None:
        self.problem = problem
        self.q = np.asarray(problem.quality)
        self.flat = self.q.reshape(-1)
        self.chunk = chunk
        self.n_eligible = int(np.isfinite(self.q).sum())
        # By row blocks: one copy of every finite value would be as large as the matrix.
        blocks = (self.q[i : i + chunk] for i in range(0, len(self.q), chunk))
        largest = [np.abs(b[np.isfinite(b)]).max(initial=0.0) for b in blocks]
        self.max_abs = float(max(largest)) if self.n_eligible else 1.0

    def all_keys(self) -> np.ndarray:
        return np.flatnonzero(np.isfinite(self.flat))

    def values(self, keys: np.ndarray) -> np.ndarray:
        return self.flat[keys]

    def initial(self, per_side: int, per_reviewer: int) -> np.ndarray:
        """Top ``per_side`` eligible reviewers per paper within each side, plus each reviewer's
        top ``per_reviewer`` papers; works in row/column blocks to keep peak memory near one
        extra block."""
        problem, q = self.problem, self.q
        n_p, n_r = q.shape
        cand = np.zeros(q.shape, dtype=bool)
        block = 1024
        for code in (0, 1, 2):
            cols = np.flatnonzero(problem.side_codes == code)
            if not len(cols):
                continue
            take = min(per_side, len(cols))
            for start in range(0, n_p, block):
                sub = -q[start : start + block][:, cols]
                top = np.argpartition(sub, take - 1, axis=1)[:, :take]
                rows = np.repeat(np.arange(start, start + len(sub)), take)
                cand[rows, cols[top.ravel()]] = True
        per_rev = min(n_p, per_reviewer)
        for start in range(0, n_r, block):
            sub = -q[:, start : start + block]
            top = np.argpartition(sub, per_rev - 1, axis=0)[:per_rev, :]
            cols = np.tile(np.arange(start, start + sub.shape[1]), per_rev)
            cand[top.ravel(), cols] = True
        return np.flatnonzero((cand & np.isfinite(q)).reshape(-1))

    def bound(
        self, pi_rev: np.ndarray, pi_side: np.ndarray, cand: np.ndarray, tol: float
    ) -> tuple[float, np.ndarray]:
        n_p, n_r = self.q.shape
        codes = self.problem.side_codes.astype(np.int64)
        in_cand = np.zeros(n_p * n_r, dtype=bool)
        in_cand[cand] = True
        in_cand = in_cand.reshape(n_p, n_r)
        total = 0.0
        found = []
        for start in range(0, n_p, self.chunk):
            stop = min(n_p, start + self.chunk)
            red = -self.q[start:stop] - pi_rev[None, :] + pi_side[start:stop][:, codes]
            neg = np.isfinite(red) & (red < 0)
            total += float(red[neg].sum())
            rp, rr = np.nonzero(neg & ~in_cand[start:stop] & (red < -tol))
            found.append((rp + start) * n_r + rr)
        return total, np.concatenate(found) if found else np.zeros(0, np.int64)


class SparsePairs:
    """Explicit pairs of a :class:`SparseQuality` plus the implicit zero-quality pairs, never
    expanded: the implicit part of the bound is computed per side from sorted potentials."""

    def __init__(self, problem: Problem) -> None:
        assert isinstance(problem.quality, SparseQuality)
        self.problem = problem
        self.sq = problem.quality
        self.n_eligible = self.sq.n_eligible
        self.max_abs = float(np.abs(self.sq.values).max()) if len(self.sq.values) else 1.0
        self.codes = problem.side_codes.astype(np.int64)
        self.sides = [np.flatnonzero(self.codes == c) for c in (0, 1, 2)]

    def all_keys(self) -> np.ndarray:
        n_p, n_r = self.sq.shape
        if self.n_eligible > ALL_PAIRS_LIMIT:
            raise AssignmentError(
                f"the candidate network stayed infeasible and the full network would need all "
                f"{self.n_eligible:,} eligible pairs (limit {ALL_PAIRS_LIMIT:,} in memory); "
                "check the loads and side minimums against the conflicts"
            )
        every = np.arange(n_p * n_r, dtype=np.int64)
        return every[~member(self.sq.forbidden, every)]

    def values(self, keys: np.ndarray) -> np.ndarray:
        return self.sq.lookup_keys(keys)

    def _excluded(self, keys: np.ndarray) -> np.ndarray:
        return member(self.sq.keys, keys) | member(self.sq.forbidden, keys)

    def initial(self, per_side: int, per_reviewer: int) -> np.ndarray:
        """Each paper's top ``per_side`` explicit pairs per side and each reviewer's top
        ``per_reviewer`` explicit papers; where a paper side (or a reviewer) has fewer
        non-negative explicit pairs than that, implicit zero pairs are added too."""
        n_p, n_r = self.sq.shape
        p, r = np.divmod(self.sq.keys, n_r)
        values = self.sq.values
        group = p * 3 + self.codes[r]
        picks = [self.sq.keys[_top_per_group(group, values, per_side)]]
        picks.append(self.sq.keys[_top_per_group(r, values, per_reviewer)])
        nonneg = values >= 0
        short_side = np.bincount(group[nonneg], minlength=3 * n_p) < per_side
        for code, members in enumerate(self.sides):
            papers = np.flatnonzero(short_side[code::3])
            picks.append(self._implicit(papers, members, per_side, by_paper=True))
        short_rev = np.flatnonzero(np.bincount(r[nonneg], minlength=n_r) < per_reviewer)
        picks.append(self._implicit(short_rev, np.arange(n_p), per_reviewer, by_paper=False))
        return union(*picks)

    def _implicit(
        self, owners: np.ndarray, pool: np.ndarray, take: int, *, by_paper: bool
    ) -> np.ndarray:
        """Up to ``take`` implicit pairs per owner (a paper or a reviewer) from ``pool``,
        rotating the start per owner so that no reviewer (or paper) takes them all."""
        if not len(owners) or not len(pool):
            return np.zeros(0, np.int64)
        draw = min(len(pool), 2 * take)
        at = (owners[:, None] * take + np.arange(draw)[None, :]) % len(pool)
        other = pool[at]
        n_r = self.sq.n_reviewers
        keys = owners[:, None] * n_r + other if by_paper else other * n_r + owners[:, None]
        ok = ~self._excluded(keys.ravel()).reshape(keys.shape)
        ok &= np.cumsum(ok, axis=1) <= take
        return keys[ok]

    def bound(
        self, pi_rev: np.ndarray, pi_side: np.ndarray, cand: np.ndarray, tol: float
    ) -> tuple[float, np.ndarray]:
        """``Σ min(0, r)`` over every eligible pair: per side code, the implicit pairs of every
        paper at once from the reviewers' sorted potentials (``r = π_side(p) − π_r`` for
        quality 0), then corrected on the explicit and forbidden pairs."""
        sq, n_r = self.sq, self.sq.n_reviewers
        total = 0.0
        sides = []
        for code, members in enumerate(self.sides):
            order = members[np.argsort(pi_rev[members], kind="stable")]
            a = pi_rev[order]
            prefix = np.concatenate([[0.0], np.cumsum(a)])
            h = pi_side[:, code]
            at = np.searchsorted(a, h, side="right")
            total += float(((len(a) - at) * h - (prefix[-1] - prefix[at])).sum())
            sides.append((order, a))
        found = []
        for start in range(0, len(sq.keys), 2_000_000):
            keys = sq.keys[start : start + 2_000_000]
            p, r = np.divmod(keys, n_r)
            base = pi_side[p, self.codes[r]] - pi_rev[r]
            red = base - sq.values[start : start + 2_000_000]
            total += float(np.minimum(red, 0).sum() - np.minimum(base, 0).sum())
            low = keys[red < -tol]
            found.append(low[~member(cand, low)])
        fp, fr = np.divmod(sq.forbidden, n_r)
        total -= float(np.minimum(pi_side[fp, self.codes[fr]] - pi_rev[fr], 0).sum())
        found.append(self._implicit_violators(sides, pi_side, cand, tol))
        return total, np.concatenate(found)

    def _implicit_violators(
        self, sides: list, pi_side: np.ndarray, cand: np.ndarray, tol: float
    ) -> np.ndarray:
        """Implicit pairs with ``π_side(p) − π_r < −tol`` outside ``cand``, most negative first
        per paper, at most about :data:`VIOLATOR_BATCH` per round."""
        n_p, n_r = self.sq.shape
        counts = [len(a) - np.searchsorted(a, pi_side[:, c] + tol, side="right")
                  for c, (_o, a) in enumerate(sides)]  # fmt: skip
        total = int(sum(int(c.sum()) for c in counts))
        if not total:
            return np.zeros(0, np.int64)
        limit = max(1, VIOLATOR_BATCH // (3 * n_p)) if total > VIOLATOR_BATCH else None
        while True:
            picked = []
            for (order, _a), count in zip(sides, counts, strict=True):
                take = count if limit is None else np.minimum(count, limit)
                if not take.sum():
                    continue
                owner = np.repeat(np.arange(n_p), take)
                offsets = np.arange(int(take.sum())) - np.repeat(np.cumsum(take) - take, take)
                reviewer = order[len(order) - 1 - offsets]
                picked.append(owner * n_r + reviewer)
            keys = np.concatenate(picked) if picked else np.zeros(0, np.int64)
            keys = keys[~self._excluded(keys) & ~member(cand, keys)]
            if len(keys) or limit is None or limit >= max(int(c.max()) for c in counts):
                return keys
            limit *= 2


def union(*arrays: np.ndarray) -> np.ndarray:
    """Sorted unique keys of ``arrays`` (a sort, faster here than numpy's hashing unique)."""
    keys = np.concatenate(arrays).astype(np.int64, copy=False)
    keys.sort()
    if not len(keys):
        return keys
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    return keys[keep]


def _top_per_group(group: np.ndarray, values: np.ndarray, take: int) -> np.ndarray:
    """Indices of the ``take`` largest ``values`` within each ``group``.

    One float sort instead of a two-key lexsort (3x faster at 10 M pairs): the key is the
    group plus the value's place in its range, squeezed into [0, 0.5); values closer than
    about 1e-10 of the range may swap, which only changes which near-tied pair is a candidate.
    """
    if not len(values):
        return np.zeros(0, np.int64)
    low, span = float(values.min()), float(values.max() - values.min()) or 1.0
    key = (values - low) * (-0.5 / span)
    key += group
    order = np.argsort(key)
    del key
    g = group[order]
    starts = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    return order[rank < take]
