"""Calibrated scores: each paper's quality with each reviewer's leniency taken out.

The model is the additive one chairs reason with informally: a reviewer ``j`` who scores paper
``i`` gives ``score_ij = quality_i + bias_j + noise``. A lenient reviewer has a positive bias, a
harsh one a negative bias. We fit it by least squares with a ridge penalty on the biases::

    minimise  Σ_ij (score_ij − quality_i − bias_j)²  +  λ Σ_j bias_j²

The penalty does two things: it makes the fit unique (without it, adding ``c`` to every quality
and subtracting it from every bias fits equally well) and it shrinks the bias of a reviewer with
few reviews towards zero — with λ = 1 the prior counts like one extra review that scored exactly
the paper's quality, so a reviewer with a single review is barely corrected, one with eight
reviews almost fully. A paper's calibrated score is its fitted ``quality``, on the same scale as
the scores. The fit is exact block coordinate descent (alternate the closed-form optimum of the
qualities given the biases and of the biases given the qualities), which converges to the unique
minimum of this strictly convex problem; with NumPy it takes milliseconds for 40,000 reviews.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

#: The ridge weight λ on reviewer biases (in "reviews' worth" of evidence for zero bias).
RIDGE = 1.0
#: Stop when no estimate moves by more than this (score points), or after MAX_ROUNDS.
TOLERANCE = 1e-7
MAX_ROUNDS = 500


@dataclass(frozen=True)
class Calibration:
    #: Paper id → calibrated score (fitted quality).
    quality: dict[int, float]
    #: Reviewer id → (bias, number of scores it rests on).
    bias: dict[int, tuple[float, int]]
    rounds: int


def calibrate(scores: Iterable[tuple[int, int, float]], *, ridge: float = RIDGE) -> Calibration:
    """Fit ``score = quality[paper] + bias[reviewer]`` to ``(paper, reviewer, score)`` triples."""
    triples = list(scores)
    if not triples:
        return Calibration({}, {}, 0)
    papers, paper_index = np.unique([t[0] for t in triples], return_inverse=True)
    reviewers, reviewer_index = np.unique([t[1] for t in triples], return_inverse=True)
    values = np.array([t[2] for t in triples], dtype=float)
    per_paper = np.bincount(paper_index, minlength=len(papers)).astype(float)
    per_reviewer = np.bincount(reviewer_index, minlength=len(reviewers)).astype(float)
    bias = np.zeros(len(reviewers))
    quality = np.zeros(len(papers))
    rounds = 0
    for rounds in range(1, MAX_ROUNDS + 1):  # noqa: B007 (read after the loop)
        new_quality = (
            np.bincount(paper_index, weights=values - bias[reviewer_index], minlength=len(papers))
            / per_paper
        )
        new_bias = np.bincount(
            reviewer_index,
            weights=values - new_quality[paper_index],
            minlength=len(reviewers),
        ) / (per_reviewer + ridge)
        moved = max(
            float(np.max(np.abs(new_quality - quality))), float(np.max(np.abs(new_bias - bias)))
        )
        quality, bias = new_quality, new_bias
        if moved < TOLERANCE:
            break
    return Calibration(
        quality={int(p): float(q) for p, q in zip(papers, quality, strict=True)},
        bias={
            int(r): (float(b), int(n))
            for r, b, n in zip(reviewers, bias, per_reviewer, strict=True)
        },
        rounds=rounds,
    )
