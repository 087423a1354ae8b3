"""Quality given as explicit pairs plus an implicit constant 0 for every other eligible pair.

The CLI's score files list some pairs; a pair missing from every file scores 0 and is still
eligible unless a file says ``-inf`` or it is a conflict. Storing only what was given keeps
memory proportional to the files, not to papers × reviewers (docs/assignment.md, "Data model").
A pair is addressed by its key ``paper * n_reviewers + reviewer`` (int64), so sorted key arrays
answer membership and lookups with ``searchsorted``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def member(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in ``sorted_keys`` (sorted, unique)."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.searchsorted(sorted_keys, keys)
    at[at == len(sorted_keys)] = 0
    return sorted_keys[at] == keys


def last_wins(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique ``keys`` with, for a repeated key, the value of its last occurrence."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    return keys[last], values[last]


@dataclass
class SparseQuality:
    """``papers × reviewers`` qualities: ``keys``/``values`` for the given eligible pairs,
    ``forbidden`` for pairs that may never be assigned, 0 for every other pair.

    Invariants (made by :meth:`build`): ``keys`` and ``forbidden`` are sorted, unique and
    disjoint; ``values`` are finite."""

    n_papers: int
    n_reviewers: int
    keys: np.ndarray
    values: np.ndarray
    forbidden: np.ndarray

    @classmethod
    def build(
        cls,
        n_papers: int,
        n_reviewers: int,
        keys: np.ndarray,
        values: np.ndarray,
        forbidden: np.ndarray | None = None,
    ) -> SparseQuality:
        """From unsorted pairs (a repeated key: the last value wins); ``-inf`` values and
        ``forbidden`` keys forbid their pair, even where another value was given."""
        keys, values = last_wins(np.asarray(keys, np.int64), np.asarray(values, np.float64))
        extra = np.asarray(forbidden if forbidden is not None else [], np.int64)
        banned = np.union1d(keys[np.isneginf(values)], extra)
        keep = ~np.isneginf(values) & ~member(banned, keys)
        return cls(n_papers, n_reviewers, keys[keep], values[keep], banned)

    @classmethod
    def from_dense(cls, quality: np.ndarray) -> SparseQuality:
        """Nonzero finite entries become explicit pairs, ``-inf`` forbidden, zeros implicit."""
        n_p, n_r = quality.shape
        flat = quality.ravel()
        keys = np.flatnonzero(np.isfinite(flat) & (flat != 0))
        return cls(n_p, n_r, keys, flat[keys].astype(np.float64), np.flatnonzero(np.isneginf(flat)))

    @property
    def shape(self) -> tuple[int, int]:
        return self.n_papers, self.n_reviewers

    @property
    def n_eligible(self) -> int:
        return self.n_papers * self.n_reviewers - len(self.forbidden)

    def lookup(self, papers: np.ndarray, reviewers: np.ndarray) -> np.ndarray:
        """Quality of each pair: its value, ``-inf`` if forbidden, else 0."""
        return self.lookup_keys(np.asarray(papers, np.int64) * self.n_reviewers + reviewers)

    def lookup_keys(self, keys: np.ndarray) -> np.ndarray:
        out = np.zeros(len(keys))
        if len(self.keys):
            at = np.searchsorted(self.keys, keys)
            at[at == len(self.keys)] = 0
            hit = self.keys[at] == keys
            out[hit] = self.values[at[hit]]
        out[member(self.forbidden, keys)] = -np.inf
        return out

    def eligible_per_reviewer(self) -> np.ndarray:
        forbidden = np.bincount(self.forbidden % self.n_reviewers, minlength=self.n_reviewers)
        return self.n_papers - forbidden

    def to_dense(self) -> np.ndarray:
        dense = np.zeros(self.shape)
        flat = dense.reshape(-1)
        flat[self.keys] = self.values
        flat[self.forbidden] = -np.inf
        return dense


def available_side_counts(
    quality: SparseQuality,
    side_codes: np.ndarray,
    available: np.ndarray,
    fixed: list[tuple[int, int]],
) -> np.ndarray:
    """``(n_papers, 3)`` counts of eligible reviewers per side code that are ``available``
    (have capacity) or kept on the paper, from counts: every available reviewer of the side
    minus that paper's forbidden ones, plus its kept reviewers that are not available."""
    n_p, n_r = quality.shape
    counts = np.zeros((n_p, 3), dtype=np.int64)
    counts[:] = np.bincount(side_codes[available], minlength=3)[:3]
    fp, fr = np.divmod(quality.forbidden, n_r)
    hit = available[fr]
    lost = np.bincount(fp[hit] * 3 + side_codes[fr[hit]], minlength=3 * n_p)
    counts -= lost.reshape(n_p, 3)
    for p, r in fixed:
        if not available[r]:
            counts[p, side_codes[r]] += 1
    return counts
