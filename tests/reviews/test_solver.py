"""The exact solver against brute force, and its constraint handling."""

import itertools
import re

import numpy as np
import pytest

from solver import (
    BOTH,
    ML,
    SYSTEMS,
    AssignmentError,
    InfeasibleAssignment,
    Problem,
    solve,
)
from solver import flow as flow_module
from solver.report import check

SIDE_NAMES = (ML, SYSTEMS, BOTH)


def _random_problem(seed, n_p=3, n_r=5, k=2, expert=False):
    rng = np.random.default_rng(seed)
    q = np.round(rng.random((n_p, n_r)) * 10, 3)
    q[rng.random((n_p, n_r)) < 0.15] = -np.inf
    sides = [SIDE_NAMES[i] for i in rng.integers(0, 3, n_r)]
    max_load = rng.integers(1, 4, n_r)
    min_load = np.minimum(rng.integers(0, 2, n_r), max_load)
    fixed = []
    if rng.random() < 0.5:
        p, r = int(rng.integers(n_p)), int(rng.integers(n_r))
        if np.isfinite(q[p, r]):
            fixed.append((p, r))
    kwargs = {}
    if expert:
        kwargs = {"expert_scores": rng.random((n_p, n_r)), "expert_threshold": 0.6}
    return Problem(
        papers=[f"p{i}" for i in range(n_p)],
        reviewers=[f"r{i}" for i in range(n_r)],
        sides=sides,
        quality=q,
        k=k,
        m_ml=1,
        m_sys=1,
        min_load=min_load,
        max_load=max_load,
        fixed=fixed,
        **kwargs,
    )


def _brute_force(problem):
    """Best objective over every assignment, or None when none is feasible."""
    best = None
    per_paper = [
        list(itertools.combinations(range(problem.n_reviewers), int(k))) for k in problem.paper_k
    ]
    for choice in itertools.product(*per_paper):
        pairs = np.array([(p, r) for p, group in enumerate(choice) for r in group])
        if check(problem, pairs):
            continue
        value = problem.quality[pairs[:, 0], pairs[:, 1]].sum()
        best = value if best is None else max(best, value)
    return best


def _solve_or_none(problem):
    try:
        return solve(problem)
    except InfeasibleAssignment:
        return None


@pytest.mark.parametrize("seed", range(40))
def test_flow_objective_equals_brute_force(seed):
    problem = _random_problem(seed)
    expected = _brute_force(problem)
    solution = _solve_or_none(problem)
    if expected is None:
        assert solution is None
        return
    assert solution is not None
    assert solution.report.objective == pytest.approx(expected, abs=1e-9)
    assert solution.report.violations == []
    assert solution.report.gap < 1e-9
    assert solution.report.lp_bound == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(12))
def test_mip_with_expertise_equals_brute_force(seed):
    problem = _random_problem(seed, expert=True)
    expected = _brute_force(problem)
    solution = _solve_or_none(problem)
    if expected is None:
        assert solution is None
        return
    assert solution.report.method.startswith("HiGHS MIP")
    assert solution.report.objective == pytest.approx(expected, abs=1e-9)
    assert solution.report.papers_with_expert == problem.n_papers


def _mixed_problem(seed, expert=False):
    """Like ``_random_problem`` but every paper has its own k (1–3) and side minimums."""
    rng = np.random.default_rng(1000 + seed)
    n_p = int(rng.integers(2, 5))
    base = _random_problem(1000 + seed, n_p=n_p, n_r=5, k=2, expert=expert)
    k = rng.integers(1, 4, n_p)
    m_ml = np.minimum(rng.integers(0, 2, n_p), k)
    m_sys = np.minimum(rng.integers(0, 3, n_p), k - m_ml)
    base.k, base.m_ml, base.m_sys = k.tolist(), m_ml.tolist(), m_sys.tolist()
    base.__post_init__()
    return base


@pytest.mark.parametrize("seed", range(40))
def test_flow_with_per_paper_rules_equals_brute_force(seed):
    problem = _mixed_problem(seed)
    expected = _brute_force(problem)
    solution = _solve_or_none(problem)
    if expected is None:
        assert solution is None
        return
    assert solution is not None
    per_paper = np.bincount(solution.index_pairs[:, 0], minlength=problem.n_papers)
    assert per_paper.tolist() == list(problem.k)
    assert solution.report.objective == pytest.approx(expected, abs=1e-9)
    assert solution.report.violations == []
    assert solution.report.papers_both_sides_covered == problem.n_papers
    assert solution.report.lp_bound == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(12))
def test_mip_with_per_paper_rules_equals_brute_force(seed):
    problem = _mixed_problem(seed, expert=True)
    expected = _brute_force(problem)
    solution = _solve_or_none(problem)
    if expected is None:
        assert solution is None
        return
    assert solution.report.method.startswith("HiGHS MIP")
    assert solution.report.objective == pytest.approx(expected, abs=1e-9)
    assert solution.report.violations == []


def test_mixed_brute_force_cases_are_mixed_and_partly_feasible():
    problems = [_mixed_problem(seed) for seed in range(40)]
    assert sum(p.uniform_rule() is None for p in problems) >= 30
    feasible = sum(_brute_force(p) is not None for p in problems)
    assert 10 <= feasible < 40


def test_per_paper_rules_equal_to_the_scalar_rule_give_the_same_answer():
    rng = np.random.default_rng(3)
    q = rng.random((5, 6))
    args = {"sides": [ML, ML, SYSTEMS, SYSTEMS, BOTH, BOTH], "max_load": np.full(6, 3)}
    scalar = solve(_small(quality=q, k=3, m_ml=1, m_sys=2, **args))
    listed = solve(_small(quality=q, k=[3] * 5, m_ml=[1] * 5, m_sys=np.full(5, 2), **args))
    assert listed.pairs == scalar.pairs
    assert listed.report.paper_requirements == {"k=3,ML>=1,SYSTEMS>=2": 5}


def test_each_paper_gets_its_own_k_and_side_minimums():
    # p0 wants 1 reviewer and no side rule: the best (ML) one. p1 wants 3 with 2 Systems.
    quality = [[9, 8, 1, 1, 1], [9, 8, 1, 2, 3]]
    problem = _small(
        [ML, ML, SYSTEMS, SYSTEMS, SYSTEMS], quality, k=[1, 3], m_ml=[0, 1], m_sys=[0, 2]
    )
    solution = solve(problem)
    assert solution.pairs == [("p0", "r0"), ("p1", "r0"), ("p1", "r3"), ("p1", "r4")]
    assert solution.report.paper_requirements == {
        "k=1,ML>=0,SYSTEMS>=0": 1,
        "k=3,ML>=1,SYSTEMS>=2": 1,
    }
    assert solution.report.papers_both_sides_covered == 2
    assert "rules per paper (papers)" in "\n".join(solution.report.summary_lines())


def test_side_coverage_is_judged_against_each_papers_own_minimums():
    from solver.report import sides_covered

    problem = _small([ML, ML, SYSTEMS], [[1, 1, 1], [1, 1, 1]], k=[2, 2], m_sys=[0, 1], m_ml=1)
    pairs = np.array([(0, 0), (0, 1), (1, 0), (1, 1)])
    assert sides_covered(problem, pairs).tolist() == [True, False]
    assert check(problem, pairs) == [
        "paper p1 misses its side minimums (2 reviewers, at least 1 ML and 1 Systems)"
    ]


@pytest.mark.parametrize("seed", range(3))
def test_candidate_restriction_with_per_paper_rules_matches_full_problem(seed, monkeypatch):
    rng = np.random.default_rng(200 + seed)
    n_p, n_r = 60, 40
    k = rng.integers(2, 5, n_p)
    m_ml = np.minimum(1, k)
    m_sys = np.minimum(rng.integers(0, 3, n_p), k - m_ml)
    problem_args = {
        "papers": [f"p{i}" for i in range(n_p)],
        "reviewers": [f"r{i}" for i in range(n_r)],
        "sides": [SIDE_NAMES[i] for i in rng.choice(3, n_r, p=[0.45, 0.45, 0.1])],
        "k": k,
        "m_ml": m_ml,
        "m_sys": m_sys,
        "max_load": np.full(n_r, 8),
        "min_load": np.full(n_r, 2),
    }
    q = rng.random((n_p, n_r))
    q[rng.random((n_p, n_r)) < 0.05] = -np.inf
    full = solve(Problem(quality=q.copy(), **problem_args))
    mip = solve(
        Problem(
            quality=q.copy(), expert_scores=np.ones((n_p, n_r)), expert_threshold=0.0,
            **problem_args,
        )
    )  # fmt: skip
    assert mip.report.objective == pytest.approx(full.report.objective, abs=1e-6)
    monkeypatch.setattr(flow_module, "FULL_PAIRS_LIMIT", 0)
    restricted = flow_module.solve_flow(Problem(quality=q.copy(), **problem_args), 2)
    assert restricted.candidate_pairs < restricted.eligible_pairs
    objective = q[restricted.pairs[:, 0], restricted.pairs[:, 1]].sum()
    assert objective == pytest.approx(full.report.objective, abs=1e-9)
    assert restricted.lp_bound == pytest.approx(objective, abs=1e-6)
    assert np.bincount(restricted.pairs[:, 0], minlength=n_p).tolist() == k.tolist()


def test_feasible_brute_force_cases_exist():
    feasible = sum(_brute_force(_random_problem(seed)) is not None for seed in range(40))
    assert 10 <= feasible < 40


@pytest.mark.parametrize("seed", range(5))
def test_candidate_restriction_matches_full_problem(seed, monkeypatch):
    rng = np.random.default_rng(100 + seed)
    n_p, n_r = 60, 40
    problem_args = {
        "papers": [f"p{i}" for i in range(n_p)],
        "reviewers": [f"r{i}" for i in range(n_r)],
        "sides": [SIDE_NAMES[i] for i in rng.choice(3, n_r, p=[0.45, 0.45, 0.1])],
        "k": 3,
        "max_load": np.full(n_r, 6),
        "min_load": np.full(n_r, 2),
    }
    q = rng.random((n_p, n_r))
    q[rng.random((n_p, n_r)) < 0.05] = -np.inf
    full = solve(Problem(quality=q.copy(), **problem_args))
    monkeypatch.setattr(flow_module, "FULL_PAIRS_LIMIT", 0)
    restricted = flow_module.solve_flow(Problem(quality=q.copy(), **problem_args), 2)
    assert restricted.candidate_pairs < restricted.eligible_pairs
    objective = q[restricted.pairs[:, 0], restricted.pairs[:, 1]].sum()
    assert objective == pytest.approx(full.report.objective, abs=1e-9)
    assert restricted.lp_bound == pytest.approx(objective, abs=1e-6)


def _small(sides, quality, **kwargs):
    quality = np.array(quality, dtype=float)
    kwargs.setdefault("k", 2)
    return Problem(
        papers=[f"p{i}" for i in range(quality.shape[0])],
        reviewers=[f"r{i}" for i in range(quality.shape[1])],
        sides=sides,
        quality=quality,
        **kwargs,
    )


def test_both_reviewer_fills_one_slot_and_one_side_only():
    # r0 (BOTH) is by far the best; a model that let BOTH count twice would pick r0 alone twice
    # or r0 with the second-best ML reviewer r1; the Systems side must come from r0 or r2.
    problem = _small([BOTH, ML, SYSTEMS, ML], [[100, 50, 1, 49]], k=2)
    solution = solve(problem)
    assert solution.pairs == [("p0", "r0"), ("p0", "r1")]
    assert solution.report.side_compositions == {"ML=1,SYSTEMS=0,BOTH=1": 1}
    problem = _small([BOTH, ML, SYSTEMS, ML], [[100, 50, 1, 49]], k=3, m_ml=1, m_sys=2)
    assert solve(problem).pairs == [("p0", "r0"), ("p0", "r1"), ("p0", "r2")]


def test_sides_are_required_even_when_worse():
    problem = _small([ML, ML, SYSTEMS], [[9, 8, 0.5]], k=2)
    assert solve(problem).pairs == [("p0", "r0"), ("p0", "r2")]


def test_loads_conflicts_and_kept_pairs():
    quality = [[5, 4, -np.inf, 1], [5, 4, 3, 1], [5, 4, 3, 1]]
    problem = _small(
        [ML, ML, SYSTEMS, SYSTEMS],
        quality,
        max_load=np.array([1, 3, 2, 3]),
        min_load=np.array([0, 0, 0, 1]),
        fixed=[(1, 1)],
    )
    solution = solve(problem)
    pairs = set(solution.pairs)
    assert ("p0", "r2") not in pairs  # conflict
    assert ("p1", "r1") in pairs  # kept
    loads = {r: sum(1 for _, x in pairs if x == r) for r in problem.reviewers}
    assert loads["r0"] == 1 and loads["r3"] >= 1 and loads["r2"] <= 2
    assert solution.report.violations == []
    assert solution.report.load_histogram == {
        k: sum(1 for v in loads.values() if v == k) for k in sorted(set(loads.values()))
    }


def test_rerun_with_existing_pairs_only_adds_missing():
    rng = np.random.default_rng(7)
    q = rng.random((8, 6))
    args = {"sides": [ML, ML, ML, SYSTEMS, SYSTEMS, BOTH], "k": 2, "max_load": np.full(6, 4)}
    first = solve(_small(quality=q, **args))
    kept = [tuple(x) for x in first.index_pairs[::2]]
    second = solve(_small(quality=q, fixed=kept, **args))
    assert set(map(tuple, first.index_pairs)) == set(map(tuple, second.index_pairs))


@pytest.mark.parametrize(
    ("sides", "quality", "kwargs", "fragment"),
    [
        ([ML, SYSTEMS], [[1, 1]], {"k": 1}, "only 1 reviewers per paper"),
        ([ML, SYSTEMS], [[1, 1]], {"min_load": [3, 0], "max_load": [2, 2]}, "exceeds max load"),
        ([ML, SYSTEMS, ML], [[1, 1, 1], [1, 1, 1]], {"max_load": [1, 1, 1]}, "total reviewer"),
        ([ML, SYSTEMS, ML], [[1, 1, 1]], {"min_load": [1, 1, 1]}, "minimum loads add up"),
        (
            [ML, SYSTEMS, ML],
            [[1, 1, 1]] * 2,
            {"max_load": [2, 1, 2]},
            "Systems reviewers (counting",
        ),
        (
            [ML, SYSTEMS, SYSTEMS, ML],
            [[-np.inf, 1, 1, -np.inf], [1] * 4],
            {},
            "paper p0: only 0 non-conflicted ML (or ML+Systems) reviewers have capacity",
        ),
        (
            [ML, SYSTEMS, SYSTEMS, ML],
            [[1, -np.inf, -np.inf, 1], [1] * 4],
            {},
            "only 0 non-conflicted Systems",
        ),
        (
            [ML, SYSTEMS, BOTH],
            [[1, -np.inf, -np.inf], [1, 1, 1]],
            {},
            "paper p0: only 1 non-conflicted reviewer has capacity, 2 needed",
        ),
        ([ML, SYSTEMS], [[1, -np.inf]], {"fixed": [(0, 1)]}, "conflict or 'not willing'"),
        ([ML, SYSTEMS, ML], [[1, 1, 1]], {"fixed": [(0, 0), (0, 1), (0, 2)]}, "3 kept"),
        (
            [ML, SYSTEMS],
            [[1, 1], [1, 1]],
            {"fixed": [(0, 0), (1, 0)], "max_load": [1, 5]},
            "more than the max load 1",
        ),
        (
            [ML, SYSTEMS, BOTH],
            [[1, -np.inf, 1], [1, 1, 1]],
            {"min_load": [0, 2, 0]},
            "reviewer r1: min load 2 but only 1",
        ),
    ],
)
def test_infeasible_inputs_are_explained(sides, quality, kwargs, fragment):
    kwargs = {k: np.array(v) if k.endswith("load") else v for k, v in kwargs.items()}
    with pytest.raises(InfeasibleAssignment) as info:
        solve(_small(sides, quality, **kwargs))
    assert fragment in str(info.value)


def test_paper_whose_own_minimums_exceed_its_k_is_named():
    problem = _small([ML, SYSTEMS, BOTH], [[1, 1, 1]] * 3, k=[3, 1, 2], m_ml=[1, 1, 1], m_sys=1)
    with pytest.raises(InfeasibleAssignment) as info:
        solve(problem)
    assert info.value.reasons == [
        "paper p1: 1 ML + 1 Systems reviewers required, but only 1 reviewers are assigned to it"
    ]


def test_per_paper_shortfall_names_the_paper_and_its_own_rule():
    # p1 alone asks for 2 Systems reviewers; only r1 is a non-conflicted Systems reviewer.
    quality = [[1, 1, 1, 1], [1, 1, -np.inf, 1]]
    problem = _small([ML, SYSTEMS, SYSTEMS, ML], quality, k=[2, 3], m_ml=1, m_sys=[1, 2])
    with pytest.raises(InfeasibleAssignment) as info:
        solve(problem)
    assert info.value.reasons == [
        "paper p1: only 1 non-conflicted Systems (or ML+Systems) reviewer has capacity, 2 needed "
        "(its rule: 3 reviewers, at least 1 ML and 2 Systems)"
    ]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"k": [2, 2, 2]}, "k must be one number or one value per paper (2)"),
        ({"m_sys": [[1], [1]]}, "m_sys must be one number or one value per paper"),
        ({"k": [2, 0]}, "reviewers per paper must be >= 1"),
        ({"m_ml": [1, -1]}, "side minimums >= 0"),
    ],
)
def test_malformed_per_paper_rules_are_refused(kwargs, fragment):
    kwargs.setdefault("k", 2)
    with pytest.raises(AssignmentError, match=re.escape(fragment)):
        solve(_small([ML, SYSTEMS, BOTH], [[1, 1, 1]] * 2, **kwargs))


def test_joint_infeasibility_with_per_paper_rules_sums_the_papers_own_needs():
    # Each paper alone is fine, but r0 (capacity 1) is the only ML reviewer both p0 and p1 need.
    quality = [[1, 1, 1], [1, 1, 1]]
    problem = _small(
        [ML, SYSTEMS, SYSTEMS], quality, k=[2, 1], m_ml=[1, 1], m_sys=[1, 0],
        max_load=np.array([1, 5, 5]),
    )  # fmt: skip
    with pytest.raises(InfeasibleAssignment) as info:
        solve(problem)
    assert (
        "ML reviewers (counting those on both sides) can give 1 review in total, but 2 are needed"
        in str(info.value)
    )
    assert "the papers' own minimums summed" in str(info.value)


def test_joint_infeasibility_found_by_the_solver_is_explained():
    # p0 and p1 each see one ML reviewer (r0, capacity 1): every single check passes.
    quality = [[1, -np.inf, -np.inf], [1, -np.inf, -np.inf], [1, 1, 1]]
    problem = _small([ML, ML, ML], quality, k=1, m_ml=1, m_sys=0, max_load=np.array([1, 5, 5]))
    with pytest.raises(InfeasibleAssignment, match="no assignment meets every constraint"):
        solve(problem)


def test_report_fields():
    problem = _small([ML, SYSTEMS, BOTH], [[3, 2, 1], [0.5, 0.2, 0.1]], max_load=np.full(3, 2))
    report = solve(problem, quality_threshold=1.0).report
    assert report.objective == pytest.approx(5 + 0.7)
    assert report.lowest_paper == "p1" and report.lowest_paper_quality == pytest.approx(0.7)
    assert report.below_threshold == ["p1"]
    assert report.papers_both_sides_covered == 2
    assert report.side_totals == {"ML": 2, "SYSTEMS": 2, "BOTH": 0}
    assert report.load_histogram == {0: 1, 2: 2}
    assert report.gap == pytest.approx(0, abs=1e-9)
    assert "papers below quality 1.0: 1 (p1)" in report.summary_lines()


def test_report_without_threshold_does_not_count_papers_below_it():
    problem = _small([ML, SYSTEMS, BOTH], [[3, 2, 1], [0.5, 0.2, 0.1]], max_load=np.full(3, 2))
    lines = solve(problem).report.summary_lines()
    assert not [line for line in lines if "below quality" in line]
