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

import numpy as np
from ortools.graph.python import min_cost_flow

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


def _node_ids(n_r: int, n_p: int) -> dict[str, object]:
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


def solve_flow(problem: Problem, candidates_per_side: int = 12, chunk: int = 512) -> FlowResult:
    """Solve ``problem`` (without the expertise constraint) exactly; see the module docstring.

    Raises :class:`InfeasibleAssignment` when no feasible assignment exists.
    """
    q = problem.quality
    elig = np.isfinite(q)
    n_elig = int(elig.sum())
    finite_max = float(np.abs(q[elig]).max()) if n_elig else 1.0
    scale = float(min(MAX_SCALE, MAX_INT_COST / max(finite_max, 1e-12)))
    demand = int(problem.paper_k.sum())
    fixed = np.array(problem.fixed, dtype=np.int64).reshape(-1, 2)
    # A paper needing more reviewers than the per-side candidates would make the first
    # network infeasible for no reason.
    candidates_per_side = max(candidates_per_side, int(problem.paper_k.max(initial=0)))

    if n_elig <= FULL_PAIRS_LIMIT:
        cand = elig.copy()
    else:
        cand = _initial_candidates(problem, elig, candidates_per_side)
    if len(fixed):
        cand[fixed[:, 0], fixed[:, 1]] = True

    rounds = 0
    while True:
        rounds += 1
        pair_p, pair_r = np.nonzero(cand)
        cost_int = -np.rint(q[pair_p, pair_r] * scale).astype(np.int64)
        net = _build(problem, cost_int, pair_p, pair_r)
        flow = _solve_net(net, demand)
        if flow is None:
            if cand.sum() == n_elig:
                raise InfeasibleAssignment(
                    "no assignment meets every constraint together (each one alone can be met):",
                    _joint_reasons(problem),
                )
            cand = _grow(problem, elig, cand, candidates_per_side * 2**rounds)
            continue
        d = _potentials(net, flow)
        pi = -d.astype(np.float64) / scale
        n_r = problem.n_reviewers
        bound = _structural_bound(net, pi, n_r, demand)
        chosen = flow[n_r : n_r + net.n_pair_arcs] == 1
        bound_pairs, violators = _pair_bound(problem, pi, elig, cand, chunk, 1.0 / scale)
        bound += bound_pairs
        if violators is None or not len(violators[0]):
            objective = float(q[pair_p[chosen], pair_r[chosen]].sum())
            return FlowResult(
                pairs=np.column_stack([pair_p[chosen], pair_r[chosen]]),
                lp_bound=max(-bound, objective),
                rounds=rounds,
                candidate_pairs=int(cand.sum()),
                eligible_pairs=n_elig,
            )
        cand[violators] = True


def _pair_bound(
    problem: Problem,
    pi: np.ndarray,
    elig: np.ndarray,
    cand: np.ndarray,
    chunk: int,
    tol: float,
) -> tuple[float, tuple[np.ndarray, np.ndarray] | None]:
    """Lagrangian contribution of every eligible pair arc (l = 1 for kept pairs, else 0; u = 1)
    and the non-candidate pairs with negative reduced cost (they could still improve)."""
    n_p, n_r = problem.n_papers, problem.n_reviewers
    ids = _node_ids(n_r, n_p)
    pi_rev = pi[ids["rev"]]
    side_nodes = np.stack([ids["M"], ids["S"], ids["B"]], axis=1)  # (n_p, 3)
    codes = problem.side_codes.astype(np.int64)
    fixed = set(problem.fixed)
    total = 0.0
    vp, vr = [], []
    for start in range(0, n_p, chunk):
        stop = min(n_p, start + chunk)
        pi_head = pi[side_nodes[start:stop][:, codes]]  # (rows, n_r)
        red = -problem.quality[start:stop] - pi_rev[None, :] + pi_head
        e = elig[start:stop]
        neg = e & (red < 0)
        total += float(red[neg].sum())
        outside = neg & ~cand[start:stop] & (red < -tol)
        rp, rr = np.nonzero(outside)
        vp.append(rp + start)
        vr.append(rr)
    for p, r in fixed:
        red_fixed = -problem.quality[p, r] - pi_rev[r] + pi[side_nodes[p, codes[r]]]
        if red_fixed >= 0:
            total += float(red_fixed)
    return total, (np.concatenate(vp), np.concatenate(vr)) if vp else None


def _initial_candidates(problem: Problem, elig: np.ndarray, per_side: int) -> np.ndarray:
    """Top ``per_side`` eligible reviewers per paper within each side, plus each reviewer's top
    papers, so the restricted network is almost always feasible and near the optimum.
    Works in row/column blocks to keep peak memory near one extra block."""
    q = problem.quality  # already -inf on ineligible pairs
    n_p, n_r = q.shape
    cand = np.zeros_like(elig)
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
    per_rev = int(min(n_p, max(int(problem.max_load.max(initial=0)), 1) * 2))
    for start in range(0, n_r, block):
        sub = -q[:, start : start + block]
        top = np.argpartition(sub, per_rev - 1, axis=0)[:per_rev, :]
        cols = np.tile(np.arange(start, start + sub.shape[1]), per_rev)
        cand[top.ravel(), cols] = True
    return cand & elig


def _grow(problem: Problem, elig: np.ndarray, cand: np.ndarray, per_side: int) -> np.ndarray:
    if per_side >= max(problem.n_reviewers, 1) or per_side > 400:
        return elig.copy()
    return cand | _initial_candidates(problem, elig, per_side)


def _joint_reasons(problem: Problem) -> list[str]:
    reasons = []
    elig = problem.eligible()
    cap = np.minimum(problem.max_load, elig.sum(axis=0))
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
