"""Statistics reported with every solution, and an independent constraint check."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from solver.problem import Problem


@dataclass
class Report:
    method: str
    objective: float
    lp_bound: float
    gap: float  # (lp_bound - objective) / max(1, |objective|)
    rounds: int
    candidate_pairs: int
    eligible_pairs: int
    solve_seconds: float
    lowest_paper: str | None
    lowest_paper_quality: float | None
    below_threshold: list[str]
    quality_threshold: float
    load_histogram: dict[int, int]
    side_totals: dict[str, int]
    side_compositions: dict[str, int]
    papers_both_sides_covered: int
    papers_with_expert: int | None
    violations: list[str] = field(default_factory=list)
    #: ``"k=3,ML>=1,SYSTEMS>=1"`` → number of papers with that rule (one entry when uniform).
    paper_requirements: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["load_histogram"] = {str(k): v for k, v in self.load_histogram.items()}
        return data

    def summary_lines(self) -> list[str]:
        lines = [
            f"method: {self.method} ({self.rounds} round(s), {self.candidate_pairs} of "
            f"{self.eligible_pairs} eligible pairs in the final network)",
            f"objective: {self.objective:.6f}",
            f"LP bound: {self.lp_bound:.6f}  gap: {self.gap:.3e}",
            f"solve time: {self.solve_seconds:.2f} s",
        ]
        if self.lowest_paper is not None:
            lines.append(
                f"lowest per-paper quality: {self.lowest_paper_quality:.4f} "
                f"(paper {self.lowest_paper})"
            )
        if self.quality_threshold > 0:  # no threshold was asked for: nothing to count against
            below = self.below_threshold
            named = ", ".join(below[:10]) + (", ..." if len(below) > 10 else "")
            lines.append(
                f"papers below quality {self.quality_threshold}: {len(below)}"
                + (f" ({named})" if below else "")
            )
        hist = ", ".join(f"{k}: {v}" for k, v in sorted(self.load_histogram.items()))
        lines.append(f"load histogram (papers: reviewers): {hist}")
        lines.append(
            "assignments by side: "
            + ", ".join(f"{k} {v}" for k, v in self.side_totals.items())
            + f"; papers meeting their side minimums: {self.papers_both_sides_covered}"
        )
        if len(self.paper_requirements) > 1:
            lines.append(
                "rules per paper (papers): "
                + ", ".join(f"{k}: {v}" for k, v in self.paper_requirements.items())
            )
        if self.papers_with_expert is not None:
            lines.append(f"papers with an expert reviewer: {self.papers_with_expert}")
        if self.violations:
            lines.append(f"CONSTRAINT VIOLATIONS: {len(self.violations)}")
            lines.extend(f"  - {v}" for v in self.violations[:20])
        return lines


def check(problem: Problem, pairs: np.ndarray) -> list[str]:
    """Re-check every constraint on ``pairs`` from scratch; returns violations (empty if none)."""
    out: list[str] = []
    p, r = pairs[:, 0], pairs[:, 1]
    if len({(int(a), int(b)) for a, b in pairs}) != len(pairs):
        out.append("a pair is assigned twice")
    bad = ~np.isfinite(problem.pair_quality(p, r))
    out += [f"forbidden pair {problem.papers[a]}/{problem.reviewers[b]}" for a, b in pairs[bad]]
    per_paper = np.bincount(p, minlength=problem.n_papers)
    ks = problem.paper_k
    out += [
        f"paper {problem.papers[i]} has {per_paper[i]} reviewers, not {ks[i]}"
        for i in np.flatnonzero(per_paper != ks)
    ]
    loads = np.bincount(r, minlength=problem.n_reviewers)
    out += [
        f"reviewer {problem.reviewers[i]} load {loads[i]}"
        for i in np.flatnonzero((loads < problem.min_load) | (loads > problem.max_load))
    ]
    short = ~sides_covered(problem, pairs)
    out += [
        f"paper {problem.papers[i]} misses its side minimums ({problem.rule_text(i)})"
        for i in np.flatnonzero(short)
    ]
    have = {(int(x), int(y)) for x, y in pairs}
    out += [
        f"kept pair {problem.papers[x]}/{problem.reviewers[y]} dropped"
        for x, y in problem.fixed
        if (x, y) not in have
    ]
    if problem.uses_expert:
        expert = problem.expert_mask()[p, r]
        got = np.bincount(p[expert], minlength=problem.n_papers)
        out += [f"paper {problem.papers[i]} has no expert" for i in np.flatnonzero(got == 0)]
    return out


def _side_counts(problem: Problem, pairs: np.ndarray) -> tuple[np.ndarray, ...]:
    codes = problem.side_codes[pairs[:, 1]]
    return tuple(np.bincount(pairs[codes == c, 0], minlength=problem.n_papers) for c in (0, 1, 2))


def sides_covered(problem: Problem, pairs: np.ndarray) -> np.ndarray:
    """Per paper, whether its reviewers in ``pairs`` meet *its own* side minimums, a
    ML+Systems reviewer counting for one side only (Hall: ``a + c ≥ m_ml``, ``b + c ≥ m_sys``,
    ``a + b + c ≥ m_ml + m_sys`` with a, b, c its ML, Systems and ML+Systems reviewers)."""
    a, b, c = _side_counts(problem, pairs)
    m_ml, m_sys = problem.paper_m_ml, problem.paper_m_sys
    return (a + c >= m_ml) & (b + c >= m_sys) & (a + b + c >= m_ml + m_sys)


def requirement_counts(problem: Problem) -> dict[str, int]:
    """``"k=3,ML>=1,SYSTEMS>=1"`` → number of papers with that rule."""
    rules = Counter(
        zip(
            problem.paper_k.tolist(),
            problem.paper_m_ml.tolist(),
            problem.paper_m_sys.tolist(),
            strict=True,
        )
    )
    return {f"k={k},ML>={a},SYSTEMS>={b}": n for (k, a, b), n in sorted(rules.items())}


def build_report(
    problem: Problem,
    pairs: np.ndarray,
    *,
    method: str,
    lp_bound: float,
    rounds: int,
    candidate_pairs: int,
    eligible_pairs: int,
    solve_seconds: float,
    quality_threshold: float = 0.0,
) -> Report:
    q = problem.pair_quality(pairs[:, 0], pairs[:, 1]) if len(pairs) else np.zeros(0)
    objective = float(q.sum())
    per_paper = np.bincount(pairs[:, 0], weights=q, minlength=problem.n_papers)
    lowest = int(np.argmin(per_paper)) if problem.n_papers else None
    loads = np.bincount(pairs[:, 1], minlength=problem.n_reviewers)
    a, b, c = _side_counts(problem, pairs)
    compositions = Counter(f"ML={x},SYSTEMS={y},BOTH={z}" for x, y, z in zip(a, b, c, strict=True))
    covered = sides_covered(problem, pairs)
    expert = None
    if problem.uses_expert:
        mask = problem.expert_mask()[pairs[:, 0], pairs[:, 1]]
        expert = int((np.bincount(pairs[mask, 0], minlength=problem.n_papers) > 0).sum())
    return Report(
        method=method,
        objective=objective,
        lp_bound=lp_bound,
        gap=(lp_bound - objective) / max(1.0, abs(objective)),
        rounds=rounds,
        candidate_pairs=candidate_pairs,
        eligible_pairs=eligible_pairs,
        solve_seconds=solve_seconds,
        lowest_paper=problem.papers[lowest] if lowest is not None else None,
        lowest_paper_quality=float(per_paper[lowest]) if lowest is not None else None,
        below_threshold=[problem.papers[i] for i in np.flatnonzero(per_paper < quality_threshold)],
        quality_threshold=quality_threshold,
        load_histogram={int(k): int(v) for k, v in sorted(Counter(loads.tolist()).items())},
        side_totals={"ML": int(a.sum()), "SYSTEMS": int(b.sum()), "BOTH": int(c.sum())},
        side_compositions=dict(sorted(compositions.items())),
        papers_both_sides_covered=int(covered.sum()),
        papers_with_expert=expert,
        violations=check(problem, pairs),
        paper_requirements=requirement_counts(problem),
    )
