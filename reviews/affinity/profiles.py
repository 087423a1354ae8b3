"""Scoring a paper against a reviewer's profile of several documents (their own papers).

A backend computes one similarity per (paper, document) pair; this module reduces the documents
of each reviewer to one score. Two ways, both used by the field:

- ``max``: the best-matching document. A reviewer with one compiler paper among ten RL papers is
  a fine compiler reviewer, which an average would hide; but one lucky document decides alone.
- ``softmax``: a soft maximum, ``τ · log(mean(exp(s / τ)))`` over the reviewer's documents. It
  lies between the mean (large ``τ``) and the maximum (``τ`` → 0): the best document still
  dominates, and a second or third matching paper adds evidence where ``max`` ignores it. It
  never exceeds the maximum, so scores stay in [0, 1], and taking the mean (not the sum) inside
  the logarithm keeps a long publication list from lifting every score.

Which one is the default is decided by measurement on the project's labelled set
(``bench/affinity.py``, docs/affinity.md "Reviewer profiles"), not by taste.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reviews.affinity.backends import ReviewerText

MAX = "max"
SOFTMAX = "softmax"
METHODS = (MAX, SOFTMAX)
#: Measured on bench/data/expertise_set.json (docs/affinity.md "Reviewer profiles").
DEFAULT_METHOD = SOFTMAX
#: Temperature of the soft maximum, on the scale of cosine similarities.
DEFAULT_TEMPERATURE = 0.2


def flatten(reviewers: Sequence[ReviewerText]) -> tuple[list[int], list[str]]:
    """Every non-blank document of ``reviewers`` (stripped) with the column of its reviewer,
    grouped by reviewer in order: the columns a backend's papers × documents block has."""
    owners: list[int] = []
    documents: list[str] = []
    for column, reviewer in enumerate(reviewers):
        for text in reviewer.documents:
            if text.strip():
                owners.append(column)
                documents.append(text.strip())
    return owners, documents


def group_starts(owners: np.ndarray) -> np.ndarray:
    """Start index of each run of equal values in ``owners`` (documents are grouped by
    reviewer, so each run is one reviewer's columns)."""
    if len(owners) == 0:
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])


def aggregate(
    block: np.ndarray,
    starts: np.ndarray,
    *,
    method: str = DEFAULT_METHOD,
    temperature: float = DEFAULT_TEMPERATURE,
) -> np.ndarray:
    """Reduce a papers × documents similarity block to papers × reviewers.

    Reviewer ``g``'s documents are the contiguous columns ``starts[g]`` up to ``starts[g + 1]``
    (or the end). Raises ``ValueError`` for an unknown ``method`` or a temperature ≤ 0.
    """
    block = np.asarray(block)
    best = np.maximum.reduceat(block, starts, axis=1)
    if method == MAX:
        return best
    if method != SOFTMAX:
        raise ValueError(f"Unknown profile aggregation {method!r}; known: {', '.join(METHODS)}")
    if temperature <= 0:
        raise ValueError("The soft maximum's temperature must be positive.")
    counts = np.diff(np.r_[starts, block.shape[1]])
    # Subtracting each group's maximum before exp keeps it in (0, 1]: no overflow at small τ.
    shifted = np.exp((block - np.repeat(best, counts, axis=1)) / temperature)
    mean = np.add.reduceat(shifted, starts, axis=1) / counts
    return (best + temperature * np.log(mean)).astype(block.dtype, copy=False)
