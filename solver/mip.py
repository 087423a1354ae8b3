"""HiGHS MIP (scipy.optimize.milp) for the variant with the expertise constraint.

"At least one reviewer per paper scoring ≥ t on a source" crosses the ML/Systems split, so the
problem is no longer a network flow; it is solved as a 0/1 program over every eligible pair:

    max Σ q_rp x_rp  s.t.  Σ_r x_rp = k_p,  Σ_{ML ∪ BOTH} x_rp ≥ m_ml_p,
    Σ_{SYS ∪ BOTH} x_rp ≥ m_sys_p,  Σ_{expert} x_rp ≥ 1,  min_r ≤ Σ_p x_rp ≤ max_r,
    x_rp = 1 for kept pairs,

with each paper's own ``k_p``, ``m_ml_p``, ``m_sys_p``. With exactly k_p ≥ m_ml_p + m_sys_p
reviewers, the two side rows are equivalent to a split of the ML+Systems reviewers between the
sides (docs/assignment.md), so none is counted twice.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from solver.flow import FlowResult
from solver.problem import AssignmentError, InfeasibleAssignment, Problem

# One column per eligible pair: HiGHS needs about 1 kB per column with presolve, so this keeps
# the MIP near 2 GB on this machine's budget (docs/assignment.md).
MIP_MAX_PAIRS = 2_000_000


def check_mip_size(problem: Problem) -> None:
    """Refuse, before anything is expanded, a MIP too large to fit in memory."""
    n = problem.n_eligible()
    if n > MIP_MAX_PAIRS or problem.n_papers * problem.n_reviewers > 4 * MIP_MAX_PAIRS:
        raise AssignmentError(
            f"the expertise constraint (--min-score-threshold) is solved as a MIP with one "
            f"variable per eligible pair; this instance has {n:,} eligible pairs "
            f"({problem.n_papers:,} papers x {problem.n_reviewers:,} reviewers), more than the "
            f"{MIP_MAX_PAIRS:,} that fit in memory. Solve without the expertise constraint "
            "(the min-cost flow handles any size) or split the conference by track"
        )


def solve_mip(problem: Problem, time_limit: float = 600.0, rel_gap: float = 1e-4) -> FlowResult:
    """Solve exactly with HiGHS branch-and-bound; ``lp_bound`` is HiGHS' proven dual bound.

    Raises :class:`InfeasibleAssignment` when HiGHS proves infeasibility."""
    elig = problem.eligible()
    pp, rr = np.nonzero(elig)
    n = len(pp)
    n_p, n_r = problem.n_papers, problem.n_reviewers
    codes = problem.side_codes[rr]
    ones = np.ones(n)

    def rows(mask: np.ndarray, index: np.ndarray, n_rows: int) -> csr_array:
        cols = np.flatnonzero(mask)
        return csr_array((ones[cols], (index[cols], cols)), shape=(n_rows, n))

    everything = np.ones(n, dtype=bool)
    blocks = [
        (rows(everything, pp, n_p), problem.paper_k, problem.paper_k),
        (rows(codes != 1, pp, n_p), problem.paper_m_ml, np.inf),
        (rows(codes != 0, pp, n_p), problem.paper_m_sys, np.inf),
    ]
    if problem.uses_expert:
        expert = problem.expert_mask()[pp, rr]
        blocks.append((rows(expert, pp, n_p), 1, np.inf))
    blocks.append((rows(everything, rr, n_r), problem.min_load, problem.max_load))
    a = vstack([b[0] for b in blocks]).tocsr()
    lb = np.concatenate([np.broadcast_to(np.asarray(b[1], float), b[0].shape[0]) for b in blocks])
    ub = np.concatenate([np.broadcast_to(np.asarray(b[2], float), b[0].shape[0]) for b in blocks])
    lower = np.zeros(n)
    if problem.fixed:
        fx = np.array(problem.fixed, dtype=np.int64)
        lower[np.isin(pp * n_r + rr, fx[:, 0] * n_r + fx[:, 1])] = 1
    res = milp(
        -problem.pair_quality(pp, rr),
        constraints=LinearConstraint(a, lb, ub),
        integrality=np.ones(n),
        bounds=Bounds(lower, np.ones(n)),
        options={"time_limit": time_limit, "mip_rel_gap": rel_gap, "disp": False},
    )
    if res.status == 2:
        raise InfeasibleAssignment(
            "no assignment meets every constraint together (HiGHS proved it):",
            problem.paper_shortfalls()[:50]
            or ["the side, expertise and load constraints conflict across papers"],
        )
    if res.x is None:
        raise RuntimeError(f"HiGHS stopped without a solution: {res.message}")
    chosen = res.x > 0.5
    objective = float(problem.pair_quality(pp[chosen], rr[chosen]).sum())
    bound = -float(res.mip_dual_bound) if res.mip_dual_bound is not None else objective
    return FlowResult(
        pairs=np.column_stack([pp[chosen], rr[chosen]]),
        lp_bound=max(bound, objective),
        rounds=1,
        candidate_pairs=n,
        eligible_pairs=n,
    )
