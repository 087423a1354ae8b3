"""The calibration fit: it recovers known qualities and biases and shrinks thin evidence."""

import random

import pytest

from decisions.calibration import calibrate


def test_nothing_to_fit():
    fit = calibrate([])
    assert fit.quality == {} and fit.bias == {}


def test_a_lenient_and_a_harsh_reviewer_are_corrected():
    # Four papers, two reviewers who both review everything: the lenient one adds +1, the harsh
    # one -1. The fit recovers the true order and spacing, and biases of opposite sign.
    true = {1: 2.0, 2: 3.0, 3: 4.0, 4: 5.0}
    scores = [(p, 10, q + 1) for p, q in true.items()] + [(p, 20, q - 1) for p, q in true.items()]
    fit = calibrate(scores, ridge=0.0001)
    for paper, quality in true.items():
        assert fit.quality[paper] == pytest.approx(quality, abs=1e-3)
    assert fit.bias[10][0] == pytest.approx(1.0, abs=1e-3)
    assert fit.bias[20][0] == pytest.approx(-1.0, abs=1e-3)
    assert fit.bias[10][1] == 4


def test_the_same_raw_mean_ranks_differently_after_calibration():
    # Paper 1 got a 5 from a reviewer who gives everyone 5; paper 2 got a 4 from a reviewer
    # who gives most papers 2. Raw means say 1 > 2; calibration says 2 > 1.
    scores = [(1, 10, 5), (2, 20, 4)]
    scores += [(p, 10, 5) for p in range(3, 9)] + [(p, 20, 2) for p in range(3, 9)]
    scores += [(p, 30, 3.5) for p in range(1, 9)]  # a neutral reviewer on everything
    fit = calibrate(scores)
    assert fit.quality[2] > fit.quality[1]


def test_a_single_review_barely_moves_its_reviewer():
    scores = [(1, 10, 6), (1, 20, 2), (2, 20, 2), (3, 20, 2), (4, 20, 2)]
    fit = calibrate(scores)
    assert abs(fit.bias[10][0]) < abs(fit.bias[20][0]) + 1


def test_it_recovers_a_synthetic_conference():
    rng = random.Random(7)
    quality = {p: rng.uniform(1, 6) for p in range(300)}
    bias = {r: rng.gauss(0, 0.7) for r in range(60)}
    scores = []
    for paper in quality:
        for reviewer in rng.sample(sorted(bias), 4):
            scores.append((paper, reviewer, quality[paper] + bias[reviewer] + rng.gauss(0, 0.3)))
    fit = calibrate(scores)
    errors = [abs(fit.quality[p] - quality[p]) for p in quality]
    assert sum(errors) / len(errors) < 0.4
    raw = {}
    for paper, _, score in scores:
        raw.setdefault(paper, []).append(score)
    raw_errors = [abs(sum(v) / len(v) - quality[p]) for p, v in raw.items()]
    assert sum(errors) < sum(raw_errors)  # calibration beats the raw mean
