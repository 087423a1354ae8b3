"""Entry point: validate, solve exactly, report."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from solver.problem import Problem
from solver.report import Report, build_report


@dataclass
class Solution:
    pairs: list[tuple[str, str]]  # (paper, reviewer), kept pairs included
    index_pairs: np.ndarray  # (n, 2) paper index, reviewer index
    report: Report


def solve(problem: Problem, *, quality_threshold: float = 0.0) -> Solution:
    """Return an optimal assignment of ``problem`` with its :class:`Report`.

    Pure function: no I/O, no database. Raises ``InfeasibleAssignment`` (a ``ValueError``) with
    the reasons when the constraints can't all hold, ``AssignmentError`` for malformed input.
    Without the expertise constraint the solve is a min-cost flow (LP integral, certified over
    every eligible pair); with it, a HiGHS MIP over every eligible pair, refused with an
    ``AssignmentError`` when there are more of them than :data:`solver.mip.MIP_MAX_PAIRS`. A
    sparse problem is solved sparse, except by the MIP, which expands it first.
    """
    # Imported here, not at the top: OR-Tools and scipy.optimize cost ~0.5 s of start-up, and
    # every web and worker process imports this package (docs/benchmarks.md, "Start-up").
    from solver.flow import solve_flow
    from solver.mip import check_mip_size, solve_mip

    if problem.uses_expert:
        check_mip_size(problem)
        if problem.is_sparse:
            problem = problem.densified()
    problem.validate()
    started = time.perf_counter()
    if problem.uses_expert:
        result, method = solve_mip(problem), "HiGHS MIP (expertise constraint)"
    else:
        result, method = solve_flow(problem), "min-cost flow (OR-Tools), LP-certified"
    seconds = time.perf_counter() - started
    order = np.lexsort((result.pairs[:, 1], result.pairs[:, 0]))
    pairs = result.pairs[order]
    report = build_report(
        problem,
        pairs,
        method=method,
        lp_bound=result.lp_bound,
        rounds=result.rounds,
        candidate_pairs=result.candidate_pairs,
        eligible_pairs=result.eligible_pairs,
        solve_seconds=seconds,
        quality_threshold=quality_threshold,
    )
    named = [(problem.papers[p], problem.reviewers[r]) for p, r in pairs]
    return Solution(pairs=named, index_pairs=pairs, report=report)
