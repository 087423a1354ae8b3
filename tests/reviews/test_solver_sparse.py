"""The sparse problem (given pairs + implicit zeros) against the dense one it stands for."""

import tracemalloc

import numpy as np
import pytest

from solver import BOTH, ML, SYSTEMS, AssignmentError, InfeasibleAssignment, Problem, solve
from solver import flow as flow_module
from solver.pairs import DensePairs, SparsePairs
from solver.sparse import SparseQuality

SIDE_NAMES = (ML, SYSTEMS, BOTH)


def _instance(seed, n_p=60, n_r=40):
    """Random qualities where most pairs are exactly 0 (implicit once sparse), one paper has
    no nonzero score at all, ~5% conflicts, per-paper rules, a kept pair, BOTH reviewers."""
    rng = np.random.default_rng(seed)
    q = np.round(rng.random((n_p, n_r)) * 2 - 0.4, 3)
    q[rng.random((n_p, n_r)) < 0.6] = 0
    q[rng.integers(n_p)] = 0
    q[rng.random((n_p, n_r)) < 0.05] = -np.inf
    k = rng.integers(2, 5, n_p)
    m_ml = np.minimum(1, k)
    args = {
        "papers": [f"p{i}" for i in range(n_p)],
        "reviewers": [f"r{i}" for i in range(n_r)],
        "sides": [SIDE_NAMES[i] for i in rng.choice(3, n_r, p=[0.45, 0.45, 0.1])],
        "k": k,
        "m_ml": m_ml,
        "m_sys": np.minimum(rng.integers(0, 3, n_p), k - m_ml),
        "max_load": np.full(n_r, 9),
        "min_load": np.full(n_r, 1),
    }
    zero_pairs = np.argwhere(q == 0)
    args["fixed"] = [tuple(int(x) for x in zero_pairs[seed % len(zero_pairs)])]
    return q, args


def _both(q, args):
    return Problem(quality=q.copy(), **args), Problem(quality=SparseQuality.from_dense(q), **args)


@pytest.mark.parametrize("seed", range(12))
def test_sparse_and_dense_give_the_same_objective_bound_and_report(seed):
    q, args = _instance(seed)
    dense, sparse = (solve(problem).report for problem in _both(q, args))
    assert sparse.objective == pytest.approx(dense.objective, abs=1e-9)
    assert sparse.lp_bound == pytest.approx(dense.lp_bound, abs=1e-6)
    for name in ("side_totals", "papers_both_sides_covered", "violations", "lowest_paper"):
        assert getattr(sparse, name) == getattr(dense, name)
    assert sparse.eligible_pairs == dense.eligible_pairs


@pytest.mark.parametrize("seed", range(12))
def test_restricted_sparse_network_reaches_the_full_optimum(seed, monkeypatch):
    q, args = _instance(100 + seed)
    full = solve(Problem(quality=q.copy(), **args)).report
    monkeypatch.setattr(flow_module, "FULL_PAIRS_LIMIT", 0)
    result = flow_module.solve_flow(Problem(quality=SparseQuality.from_dense(q), **args), 2)
    assert result.candidate_pairs < result.eligible_pairs
    objective = q[result.pairs[:, 0], result.pairs[:, 1]].sum()
    assert objective == pytest.approx(full.objective, abs=1e-9)
    assert result.lp_bound == pytest.approx(objective, abs=1e-6)


def test_a_paper_without_scores_gets_implicit_zero_reviewers_in_the_first_network(monkeypatch):
    q, args = _instance(7)
    q[3] = 0
    problem = Problem(quality=SparseQuality.from_dense(q), **args)
    cand = SparsePairs(problem).initial(2, 4)
    assert (cand // problem.n_reviewers == 3).sum() >= 2 * 3 - 1
    monkeypatch.setattr(flow_module, "FULL_PAIRS_LIMIT", 0)
    result = flow_module.solve_flow(problem, 2)
    assert (result.pairs[:, 0] == 3).sum() == args["k"][3]


@pytest.mark.parametrize("seed", range(20))
def test_analytic_implicit_pair_bound_equals_the_dense_sum(seed):
    q, args = _instance(seed, n_p=25, n_r=30)
    dense, sparse = _both(q, args)
    rng = np.random.default_rng(seed)
    pi_rev = np.round(rng.normal(0, 1, dense.n_reviewers), 2)  # ties with pi_side included
    pi_side = np.round(rng.normal(0, 1, (dense.n_papers, 3)), 2)
    cand = np.unique(rng.integers(0, q.size, 100))
    total, found = DensePairs(dense).bound(pi_rev, pi_side, cand, 1e-9)
    sparse_total, sparse_found = SparsePairs(sparse).bound(pi_rev, pi_side, cand, 1e-9)
    assert sparse_total == pytest.approx(total, abs=1e-9)
    assert sorted(sparse_found.tolist()) == sorted(found.tolist())
    brute = -q - pi_rev[None, :] + pi_side[:, dense.side_codes]
    assert total == pytest.approx(brute[np.isfinite(brute) & (brute < 0)].sum(), abs=1e-9)


CASES = [
    ([ML, SYSTEMS, ML], [[1, 1, 1], [1, 1, 1]], {"max_load": [1, 1, 1]}),
    ([ML, SYSTEMS, ML], [[0, 1, 0]], {"min_load": [1, 1, 1]}),
    ([ML, SYSTEMS, ML], [[1, 0, 1]] * 2, {"max_load": [2, 1, 2]}),
    ([ML, SYSTEMS, SYSTEMS, ML], [[-np.inf, 0, 1, -np.inf], [0] * 4], {}),
    ([ML, SYSTEMS, BOTH], [[1, -np.inf, -np.inf], [0, 0, 0]], {}),
    ([ML, SYSTEMS], [[1, -np.inf]], {"fixed": [(0, 1)]}),
    ([ML, SYSTEMS, ML], [[0, 0, 0]], {"fixed": [(0, 0), (0, 1), (0, 2)]}),
    ([ML, SYSTEMS, BOTH], [[1, -np.inf, 0], [0, 1, 0]], {"min_load": [0, 2, 0]}),
    ([ML, ML, ML], [[1, -np.inf, -np.inf], [0, -np.inf, -np.inf], [1, 0, 1]], {"m_sys": 0}),
    ([ML, SYSTEMS, SYSTEMS, ML], [[1, 1, 1, 1], [1, 0, -np.inf, 0]], {"m_sys": [1, 2]}),
]


@pytest.mark.parametrize(("sides", "quality", "kwargs"), CASES)
def test_infeasibility_messages_are_the_same_for_sparse_input(sides, quality, kwargs):
    quality = np.array(quality, dtype=float)
    kwargs = {k: np.array(v) if k.endswith("load") else v for k, v in kwargs.items()}
    kwargs.setdefault("k", 1 if kwargs.get("m_sys") == 0 else [2, 3] if "m_sys" in kwargs else 2)
    if kwargs.get("m_sys") == 0:
        kwargs["max_load"] = np.array([1, 5, 5])
    names = {"papers": [f"p{i}" for i in range(len(quality))], "sides": sides}
    names["reviewers"] = [f"r{i}" for i in range(len(sides))]
    messages = []
    for q in (quality, SparseQuality.from_dense(quality)):
        with pytest.raises(InfeasibleAssignment) as info:
            solve(Problem(quality=q, **names, **kwargs))
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_expertise_mip_refuses_a_too_large_instance_before_expanding_it():
    n = 2_000
    keys = np.arange(0, n * n, 997, dtype=np.int64)
    quality = SparseQuality.build(n, n, keys, np.ones(len(keys)))
    problem = Problem(
        papers=[f"p{i}" for i in range(n)], reviewers=[f"r{i}" for i in range(n)],
        sides=[ML, SYSTEMS] * (n // 2), quality=quality, k=3, max_load=np.full(n, 6),
        expert_scores=quality, expert_threshold=0.5,
    )  # fmt: skip
    tracemalloc.start()
    with pytest.raises(AssignmentError, match="4,000,000 eligible pairs") as info:
        solve(problem)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "more than the 2,000,000 that fit in memory" in str(info.value)
    assert peak < n * n  # less than one byte per pair: nothing dense was made


def test_expertise_mip_on_a_small_sparse_problem_equals_dense():
    q, args = _instance(3, n_p=12, n_r=10)
    expert = np.round(np.random.default_rng(3).random(q.shape), 1)
    expert[expert < 0.3] = 0  # implicit once sparse
    dense = solve(Problem(quality=q.copy(), expert_scores=expert, expert_threshold=0.6, **args))
    sparse = solve(
        Problem(
            quality=SparseQuality.from_dense(q), expert_scores=SparseQuality.from_dense(expert),
            expert_threshold=0.6, **args,
        )
    )  # fmt: skip
    assert sparse.report.objective == pytest.approx(dense.report.objective, abs=1e-9)
    assert sparse.report.papers_with_expert == dense.report.papers_with_expert


def test_20k_by_20k_with_few_pairs_solves_without_a_dense_matrix():
    n = 20_000
    rng = np.random.default_rng(5)
    keys = rng.choice(n * n, 200_000, replace=False)
    forbidden = rng.choice(n * n, 50_000, replace=False)
    tracemalloc.start()
    quality = SparseQuality.build(n, n, keys, rng.random(len(keys)), forbidden)
    problem = Problem(
        papers=[f"p{i}" for i in range(n)], reviewers=[f"r{i}" for i in range(n)],
        sides=[ML, SYSTEMS, BOTH, ML, SYSTEMS] * (n // 5), quality=quality, k=2,
        min_load=np.zeros(n, np.int64), max_load=np.full(n, 3),
    )  # fmt: skip
    report = solve(problem).report
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.violations == [] and report.eligible_pairs == n * n - len(np.unique(forbidden))
    assert report.gap < 1e-6
    assert peak < n * n * 8 / 20  # the dense float64 matrix would be 3.2 GB


@pytest.mark.parametrize("seed", range(6))
def test_violators_taken_a_few_per_round_add_up_to_all_of_them(seed, monkeypatch):
    from solver import pairs as pairs_module

    q, args = _instance(seed, n_p=25, n_r=30)
    dense, sparse = _both(q, args)
    rng = np.random.default_rng(seed)
    pi_rev = rng.normal(0, 1, dense.n_reviewers)
    pi_side = rng.normal(0, 1, (dense.n_papers, 3))
    _total, everything = DensePairs(dense).bound(pi_rev, pi_side, np.zeros(0, np.int64), 1e-9)
    monkeypatch.setattr(pairs_module, "VIOLATOR_BATCH", 10)
    cand, rounds = np.zeros(0, np.int64), 0
    while True:
        _total, found = SparsePairs(sparse).bound(pi_rev, pi_side, cand, 1e-9)
        if not len(found):
            break
        rounds += 1
        implicit = found[~np.isin(found, sparse.quality.keys)]
        assert len(implicit) <= 3 * 25  # one per paper and side while there are more than 10
        cand = np.union1d(cand, found)
    assert rounds > 1
    assert cand.tolist() == sorted(everything.tolist())


def test_an_infeasible_restricted_network_is_not_expanded_past_the_limit(monkeypatch):
    from solver import pairs as pairs_module

    # Jointly infeasible (p0 and p1 can only have r0, whose capacity is 1) behind 30 easy
    # papers, so the first network is a strict subset; proving infeasibility on every pair
    # would need more pairs than allowed here.
    rng = np.random.default_rng(1)
    quality = rng.random((32, 5))
    quality[:2, 1:] = -np.inf
    problem = Problem(
        papers=[f"p{i}" for i in range(32)], reviewers=[f"r{i}" for i in range(5)],
        sides=[ML] * 5, quality=SparseQuality.from_dense(quality), k=1, m_ml=1, m_sys=0,
        max_load=np.array([1, 10, 10, 10, 10]),
    )  # fmt: skip
    problem.validate()
    monkeypatch.setattr(flow_module, "FULL_PAIRS_LIMIT", 0)
    monkeypatch.setattr(pairs_module, "ALL_PAIRS_LIMIT", 100)
    with pytest.raises(AssignmentError, match="would need all 152 eligible pairs") as info:
        flow_module.solve_flow(problem, 3)
    assert not isinstance(info.value, InfeasibleAssignment)
    monkeypatch.setattr(pairs_module, "ALL_PAIRS_LIMIT", 200)
    with pytest.raises(InfeasibleAssignment, match="no assignment meets every constraint"):
        flow_module.solve_flow(problem, 3)
