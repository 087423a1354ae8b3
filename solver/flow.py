"""Exact min-cost-flow solve with an LP-duality certificate over *all* eligible pairs.

Network (docs/assignment.md proves it exact): source → reviewer [min_load, max_load];
reviewer → paper node of the reviewer's side [fixed ? 1 : 0, 1] at cost −quality;
per paper ``B → M`` and ``B → S`` [0, k_p]; ``M → O`` [m_ml_p, k_p]; ``S → O`` [m_sys_p, k_p];
``O → sink`` [k_p, k_p], with each paper's own ``k_p``, ``m_ml_p``, ``m_sys_p``. A reviewer
reaches a paper through exactly one arc, so an ML+Systems reviewer's unit passes either
``B → M`` or ``B → S``: it can't be counted for both sides.

Large instances are solved on a candidate subset of pairs; node potentials of the optimal flow
then bound the full problem's LP (a Lagrangian bound that is valid for any potentials). Pairs
whose reduced cost shows they could improve the bound are added and the flow re-solved, until
the bound meets the objective: the answer is optimal for the full problem, never a heuristic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from solver.pairs import DensePairs, SparsePairs, union
from solver.problem import InfeasibleAssignment, Problem

# Costs are integers for the flow solver: |cost| <= 1e9 keeps ortools and int64 sums safe.
MAX_INT_COST = 10**9
MAX_SCALE = 10**9
# Below this many eligible pairs the whole problem goes to the flow solver at once.
FULL_PAIRS_LIMIT = 400_000


@dataclass
class FlowResult:
    pairs: np.ndarray  # (n, 2) paper, reviewer
    lp_bound: float  # upper bound on total quality of the full problem's LP relaxation
    rounds: int
    candidate_pairs: int
    eligible_pairs: int


@dataclass
class _Net:
    tails: np.ndarray
    heads: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray  # integer (scaled) cost
    n_nodes: int
    n_pair_arcs: int
    pair_p: np.ndarray
    pair_r: np.ndarray


def _node_ids(n_r: int, n_p: int) -> dict[str, Any]:
    # 0 = source, 1 = sink, reviewers 2.., then per paper M, S, B, O blocks.
    base = 2 + n_r
    return {
        "rev": 2 + np.arange(n_r),
        "M": base + np.arange(n_p),
        "S": base + n_p + np.arange(n_p),
        "B": base + 2 * n_p + np.arange(n_p),
        "O": base + 3 * n_p + np.arange(n_p),
        "n": base + 4 * n_p,
    }


def _side_node(ids: dict, side_codes: np.ndarray, p: np.ndarray, r: np.ndarray) -> np.ndarray:
    code = side_codes[r]
    return np.where(code == 0, ids["M"][p], np.where(code == 1, ids["S"][p], ids["B"][p]))


def _build(problem: Problem, cost_int: np.ndarray, pair_p: np.ndarray, pair_r: np.ndarray) -> _Net:
    n_p, n_r = problem.n_papers, problem.n_reviewers
    ids = _node_ids(n_r, n_p)
    fixed = np.zeros(len(pair_p), dtype=np.int64)
    if problem.fixed:
        fx = np.array(problem.fixed, dtype=np.int64)
        fixed = np.isin(pair_p * n_r + pair_r, fx[:, 0] * n_r + fx[:, 1]).astype(np.int64)
    zeros_p = np.zeros(n_p, dtype=np.int64)
    k_p = problem.paper_k
    parts = [
        # (tails, heads, lower, upper, cost)
        (np.zeros(n_r, np.int64), ids["rev"], problem.min_load, problem.max_load, np.zeros(n_r)),
        (
            ids["rev"][pair_r],
            _side_node(ids, problem.side_codes, pair_p, pair_r),
            fixed,
            np.ones(len(pair_p), np.int64),
            cost_int,
        ),
        (ids["B"], ids["M"], zeros_p, k_p, zeros_p),
        (ids["B"], ids["S"], zeros_p, k_p, zeros_p),
        (ids["M"], ids["O"], problem.paper_m_ml, k_p, zeros_p),
        (ids["S"], ids["O"], problem.paper_m_sys, k_p, zeros_p),
        (ids["O"], np.ones(n_p, np.int64), k_p, k_p, zeros_p),
    ]
    cat = [np.concatenate([np.asarray(x[i], dtype=np.int64) for x in parts]) for i in range(5)]
    return _Net(*cat, n_nodes=ids["n"], n_pair_arcs=len(pair_p), pair_p=pair_p, pair_r=pair_r)


def _solve_net(net: _Net, supply_total: int) -> np.ndarray:
    """Return the flow on every arc, or ``None`` when the network is infeasible."""
    supplies = np.zeros(net.n_nodes, dtype=np.int64)
    supplies[0] += supply_total
    supplies[1] -= supply_total
    np.subtract.at(supplies, net.tails, net.lower)
    np.add.at(supplies, net.heads, net.lower)
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.upper - net.lower, net.cost)
    smcf.set_nodes_supplies(np.arange(net.n_nodes), supplies)
    status = smcf.solve()
    if status == smcf.INFEASIBLE:
        return None
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost-flow solver returned status {status}")
    return net.lower + smcf.flows(np.arange(len(net.tails)))


def _potentials(net: _Net, flow: np.ndarray, max_rounds: int = 100_000) -> np.ndarray:
    """Shortest-path distances in the residual network from a virtual root joined to every
    node (vectorised Bellman–Ford). At an optimal flow there is no negative cycle, so this
    converges; ``c + d[tail] - d[head] >= 0`` then holds on every residual arc."""
    fwd = flow < net.upper
    bwd = flow > net.lower
    tails = np.concatenate([net.tails[fwd], net.heads[bwd]])
    heads = np.concatenate([net.heads[fwd], net.tails[bwd]])
    w = np.concatenate([net.cost[fwd], -net.cost[bwd]])
    order = np.argsort(heads, kind="stable")
    tails, heads, w = tails[order], heads[order], w[order]
    uniq, starts = np.unique(heads, return_index=True)
    d = np.zeros(net.n_nodes, dtype=np.int64)
    for _ in range(max_rounds):
        best = np.minimum.reduceat(d[tails] + w, starts)
        improved = best < d[uniq]
        if not improved.any():
            return d
        d[uniq[improved]] = best[improved]
    raise RuntimeError("potentials did not converge: the flow is not optimal")


def _structural_bound(net: _Net, pi: np.ndarray, n_r: int, supply_total: float) -> float:
    """Lagrangian value of the zero-cost non-pair arcs plus the node-supply term for ``pi``.

    For any potentials, ``sum_v b_v pi_v + sum_a min(l_a r_a, u_a r_a)`` with
    ``r_a = c_a - pi_tail + pi_head`` is a lower bound on the min-cost LP (weak duality)."""
    sel = np.r_[np.arange(n_r), np.arange(n_r + net.n_pair_arcs, len(net.tails))]
    r = -pi[net.tails[sel]] + pi[net.heads[sel]]
    contrib = np.where(r >= 0, net.lower[sel] * r, net.upper[sel] * r)
    return float(supply_total * (pi[0] - pi[1]) + contrib.sum())


def solve_flow(problem: Problem, candidates_per_side: int = 12) -> FlowResult:
    """Solve ``problem`` (without the expertise constraint) exactly; see the module docstring.

    Raises :class:`InfeasibleAssignment` when no feasible assignment exists.
    """
    pairs = SparsePairs(problem) if problem.is_sparse else DensePairs(problem)
    n_elig = pairs.n_eligible
    scale = float(min(MAX_SCALE, MAX_INT_COST / max(pairs.max_abs, 1e-12)))
    demand = int(problem.paper_k.sum())
    n_r = problem.n_reviewers
    fixed = np.array(problem.fixed, dtype=np.int64).reshape(-1, 2)
    fixed_keys = fixed[:, 0] * n_r + fixed[:, 1]
    # A paper needing more reviewers than the per-side candidates would make the first
    # network infeasible for no reason.
    candidates_per_side = max(candidates_per_side, int(problem.paper_k.max(initial=0)))
    per_reviewer = max(int(np.max(problem.max_load, initial=0)), 1) * 2

    if n_elig <= FULL_PAIRS_LIMIT:
        cand = pairs.all_keys()
    else:
        cand = pairs.initial(candidates_per_side, per_reviewer)
    cand = union(cand, fixed_keys)

    rounds = 0
    while True:
        rounds += 1
        pair_p, pair_r = np.divmod(cand, n_r)
        quality = pairs.values(cand)
        cost_int = -np.rint(quality * scale).astype(np.int64)
        net = _build(problem, cost_int, pair_p, pair_r)
        flow = _solve_net(net, demand)
        if flow is None:
            if len(cand) == n_elig:
                raise InfeasibleAssignment(
                    "no assignment meets every constraint together (each one alone can be met):",
                    _joint_reasons(problem),
                )
            per_side = candidates_per_side * 2**rounds
            if per_side >= max(n_r, 1) or per_side > 400:
                cand = pairs.all_keys()
            else:
                cand = union(cand, pairs.initial(per_side, per_reviewer * 2**rounds))
            continue
        d = _potentials(net, flow)
        pi = -d.astype(np.float64) / scale
        bound = _structural_bound(net, pi, n_r, demand)
        chosen = flow[n_r : n_r + net.n_pair_arcs] == 1
        ids = _node_ids(n_r, problem.n_papers)
        pi_rev = pi[ids["rev"]]
        pi_side = pi[np.stack([ids["M"], ids["S"], ids["B"]], axis=1)]
        bound_pairs, violators = pairs.bound(pi_rev, pi_side, cand, 1.0 / scale)
        # Kept pairs have l = u = 1: their reduced cost counts whole, the negative part of
        # which the pair term already holds.
        if len(fixed):
            red = -pairs.values(fixed_keys) - pi_rev[fixed[:, 1]]
            red += pi_side[fixed[:, 0], problem.side_codes[fixed[:, 1]]]
            bound_pairs += float(red[red >= 0].sum())
        bound += bound_pairs
        if not len(violators):
            objective = float(quality[chosen].sum())
            return FlowResult(
                pairs=np.column_stack([pair_p[chosen], pair_r[chosen]]),
                lp_bound=max(-bound, objective),
                rounds=rounds,
                candidate_pairs=len(cand),
                eligible_pairs=n_elig,
            )
        cand = union(cand, violators)


def _joint_reasons(problem: Problem) -> list[str]:
    reasons = []
    cap = np.minimum(problem.max_load, problem.eligible_per_reviewer())
    for code, label in ((0, "ML"), (1, "Systems"), (2, "ML+Systems")):
        mask = problem.side_codes == code
        reasons.append(
            f"{int(mask.sum())} {label} reviewers can give {int(cap[mask].sum())} reviews "
            f"(min loads require {int(problem.min_load[mask].sum())})"
        )
    uniform = problem.uniform_rule()
    if uniform is not None:
        need = f"at least {uniform[1]} ML and {uniform[2]} Systems per paper"
    else:
        need = (
            f"at least {int(problem.paper_m_ml.sum())} ML and "
            f"{int(problem.paper_m_sys.sum())} Systems in total over the papers' own minimums"
        )
    reasons.append(
        f"demand: {int(problem.paper_k.sum())} reviews, {need}; conflicts concentrate the "
        "shortage on some papers"
    )
    return reasons
