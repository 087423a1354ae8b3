"""Benchmark of the exact assignment solver on synthetic MLSys-like conferences.

Run: ``.venv/bin/python bench/assignment.py`` (about eight minutes on 2 cores). Each size is
generated and solved in a fresh child process so its peak RSS (``resource.getrusage``
``ru_maxrss`` of that child) is clean; that peak includes generating the dense score matrix.
The 2,000 × 1,500 instance is also written to CSV and solved through ``manage.py
solve_assignment`` to time the CLI, and so are two large sparse instances (10,000 × 10,000 with
10 M given pairs, 20,000 × 20,000 with 20 M; ``bench/assignment_csv.py``), each the best of
``--repeat`` runs with the load average before it. Replaces the "## Assignment" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.assignment_csv import run_cli, write_instance  # noqa: E402
from solver import Problem, solve  # noqa: E402

SIZES = [(300, 150, 8), (2000, 1500, 6), (10000, 8000, 6)]
# papers, reviewers, given pairs per paper, max load; targets in seconds and MB.
SPARSE_SIZES = [(10_000, 10_000, 1_000, 6, 30, 1536), (20_000, 20_000, 1_000, 6, 60, 3072)]
K = 3
MIN_LOAD = 1
BID_WEIGHT = 0.5
N_TOPICS = 12  # 6 ML + 6 Systems


def generate(n_papers: int, n_reviewers: int, seed: int = 2027) -> tuple[Problem, np.ndarray]:
    """Papers and reviewers are mixtures over ML and Systems topics; affinity is the cosine of
    the mixtures; ~2% conflicts; ~15 sparse bids per reviewer (eager 1, willing 0.5, 5% "not
    willing" = -inf). Reviewer side follows their ML share: > 0.7 ML, < 0.3 Systems, else BOTH.
    Returns the problem and the raw bid matrix (for the CSV export)."""
    rng = np.random.default_rng(seed)
    half = N_TOPICS // 2

    def mixtures(n: int) -> tuple[np.ndarray, np.ndarray]:
        ml_share = rng.beta(0.6, 0.6, n)
        ml = rng.dirichlet(np.full(half, 0.3), n) * ml_share[:, None]
        sys_ = rng.dirichlet(np.full(half, 0.3), n) * (1 - ml_share)[:, None]
        mix = np.hstack([ml, sys_])
        return mix / np.linalg.norm(mix, axis=1, keepdims=True), ml_share

    paper_mix, _ = mixtures(n_papers)
    rev_mix, rev_ml = mixtures(n_reviewers)
    quality = paper_mix @ rev_mix.T
    bids = np.zeros_like(quality)
    n_bids = min(15, n_papers)
    for r in range(n_reviewers):
        liked = np.argpartition(-quality[:, r], n_bids)[:n_bids]
        chosen = rng.choice(liked, size=n_bids // 2, replace=False)
        noise = rng.choice(n_papers, size=n_bids - len(chosen), replace=False)
        picks = np.concatenate([chosen, noise])
        bids[picks, r] = rng.choice([1.0, 0.5, -np.inf], size=len(picks), p=[0.6, 0.35, 0.05])
    forbidden = np.isneginf(bids) | (rng.random(quality.shape) < 0.02)
    quality += BID_WEIGHT * np.where(np.isneginf(bids), 0, bids)
    quality[forbidden] = -np.inf
    sides = np.where(rev_ml > 0.7, "ML", np.where(rev_ml < 0.3, "SYSTEMS", "BOTH")).tolist()
    problem = Problem(
        papers=[f"P{i}" for i in range(n_papers)],
        reviewers=[f"R{i}" for i in range(n_reviewers)],
        sides=sides,
        quality=quality,
        k=K,
        m_ml=1,
        m_sys=1,
        min_load=np.full(n_reviewers, MIN_LOAD),
        max_load=None,
    )
    return problem, np.where(forbidden & ~np.isneginf(bids), -1.0, bids)


def run_one(n_papers: int, n_reviewers: int, max_load: int) -> dict:
    load_avg = round(os.getloadavg()[0], 2)  # 1-minute load average before this size
    started = time.perf_counter()
    problem, _ = generate(n_papers, n_reviewers)
    problem.max_load = np.full(n_reviewers, max_load, dtype=np.int64)
    gen_seconds = time.perf_counter() - started
    started = time.perf_counter()
    solution = solve(problem)
    wall = time.perf_counter() - started
    report = solution.report
    return {
        "load_avg": load_avg,
        "papers": n_papers,
        "reviewers": n_reviewers,
        "max_load": max_load,
        "generate_s": round(gen_seconds, 2),
        "solve_s": round(wall, 2),
        "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "objective": round(report.objective, 4),
        "lp_bound": round(report.lp_bound, 4),
        "gap": report.gap,
        "rounds": report.rounds,
        "candidate_pairs": report.candidate_pairs,
        "eligible_pairs": report.eligible_pairs,
        "covered": report.papers_both_sides_covered,
        "violations": len(report.violations),
        "lowest": round(report.lowest_paper_quality, 4),
        "sides": report.side_totals,
        "loads": report.load_histogram,
    }


def time_cli(n_papers: int, n_reviewers: int, max_load: int) -> dict:
    problem, bids = generate(n_papers, n_reviewers)
    load_avg = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        affinity = np.where(np.isfinite(problem.quality), problem.quality, 0)
        affinity = affinity - BID_WEIGHT * np.where(bids > 0, bids, 0)
        with open(d / "affinity.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            for p in range(n_papers):
                w.writerows((f"P{p}", f"R{r}", f"{affinity[p, r]:.6f}") for r in range(n_reviewers))
        with open(d / "bids.csv", "w", newline="") as fh, open(d / "conflicts.csv", "w") as cf:
            w, c = csv.writer(fh), csv.writer(cf)
            for p, r in zip(*np.nonzero(bids > 0), strict=True):
                w.writerow((f"P{p}", f"R{r}", bids[p, r]))
            for p, r in zip(*np.nonzero(bids == -np.inf), strict=True):
                w.writerow((f"P{p}", f"R{r}", "-inf"))
            for p, r in zip(*np.nonzero(bids == -1.0), strict=True):
                c.writerow((f"P{p}", f"R{r}", -1))
        with open(d / "reviewers.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["reviewer", "side", "max_load"])
            w.writerows((f"R{r}", s, "") for r, s in enumerate(problem.sides))
        cmd = [
            sys.executable, "manage.py", "solve_assignment",
            "--scores", str(d / "affinity.csv"), "--scores", str(d / "bids.csv"),
            "--weights", f"1,{BID_WEIGHT}", "--conflicts", str(d / "conflicts.csv"),
            "--reviewers", str(d / "reviewers.csv"),
            "--papers-per-reviewer", f"{MIN_LOAD},{max_load}", "--reviewers-per-paper", str(K),
            "--min-per-side", "ML=1,SYSTEMS=1", "--out", str(d / "out.csv"),
        ]  # fmt: skip
        started = time.perf_counter()
        env = os.environ | {"DJANGO_SETTINGS_MODULE": "mlsys.settings_test"}
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        objective = re.search(r"objective: ([\d.]+)", result.stdout).group(1)
        rows = (d / "affinity.csv").stat().st_size
    return {"load_avg": load_avg, "cli_s": round(wall, 2), "cli_objective": float(objective),
            "affinity_mb": round(rows / 2**20), "maxrss_mb": round(usage / 1024)}  # fmt: skip


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}"


def sparse_runs(repeat: int) -> list[dict]:
    """Each sparse size written once and solved ``repeat`` times by the CLI; the fastest run
    is kept, with the 1-minute load average taken just before it."""
    results = []
    for n_p, n_r, per_paper, load, target_s, target_mb in SPARSE_SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            info = write_instance(Path(tmp), n_p, n_r, per_paper, load)
            runs = []
            for _ in range(repeat):
                before = os.getloadavg()[0]
                runs.append(run_cli(Path(tmp), ROOT, load) | {"load_avg": round(before, 2)})
                print(json.dumps(runs[-1]))
        best = min(runs, key=lambda r: r["cli_s"])
        results.append(best | info | {"papers": n_p, "reviewers": n_r, "max_load": load,
                                      "target_s": target_s, "target_mb": target_mb})  # fmt: skip
    return results


def sparse_lines(runs: list[dict]) -> list[str]:
    lines = [
        "",
        "### Large sparse instances through the CLI",
        "",
        "Each paper lists 1,000 reviewers in the affinity file (its best matches mixed with "
        "random ones); every other pair is an implicit 0 and still eligible, so the certificate "
        'covers all papers × reviewers pairs. Plus ~15 bids per reviewer (5% "not willing") '
        "and 20 conflicts per paper. The affinity file has a UTF-8 BOM, a `#` comment line, "
        "every cell quoted and CRLF line ends, and takes the fast reader. Wall time and peak "
        "RSS are of the `manage.py solve_assignment` child process (`wait4`), best of "
        "`--repeat` runs; read and solve are the times the command prints (reading and merging "
        "the CSV files; `solve()` without validation and report).",
        "",
        "| papers × reviewers | given pairs | affinity CSV (MB) | total (s) | read (s) "
        "| solve (s) | peak RSS (MB) | load avg | objective | LP bound | gap | rounds "
        "| pairs in network / eligible | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in runs:
        met = r["cli_s"] < r["target_s"] and r["maxrss_mb"] < r["target_mb"]
        lines.append(
            f"| {r['papers']:,} × {r['reviewers']:,} | {r['pairs']:,} | {r['affinity_mb']} "
            f"| {r['cli_s']} | {r['read_s']} | {r['solve_s']} | {r['maxrss_mb']:,} "
            f"| {r['load_avg']} | {r['objective']} | {r['lp_bound']} | {r['gap']:.1e} "
            f"| {r['rounds']} | {r['candidate_pairs']:,} / {r['eligible_pairs']:,} "
            f"| < {r['target_s']} s and < {r['target_mb'] / 1024:.1f} GB: "
            f"{'met' if met else 'NOT met'} |"
        )
    lines += [
        "",
        "Before (dense quality matrix, quoted CSV on Python's csv reader), same 10,000 × "
        "10,000 files: 69.4 s and 5.70 GB peak RSS (`/usr/bin/time -v`, load average about 2), "
        "same objective 31235.217192 and bound; the issue's figures were 2.99 GB unquoted and "
        "5.68 GB quoted, about 12 GB projected at 20,000 × 20,000.",
    ]
    return lines


def write_section(results: list[dict], cli: dict, sparse: list[dict]) -> str:
    lines = [
        "## Assignment",
        "",
        f"Measured {dt.date.today().isoformat()} on {_machine()} by `bench/assignment.py`.",
        f"Synthetic MLSys-like instances: k={K} reviewers per paper, at least 1 ML and 1 Systems "
        f"reviewer per paper, loads {MIN_LOAD}..max, ~2% conflicts, ~15 sparse bids per reviewer "
        '(5% "not willing"), quality = affinity + 0.5 × bid. Solve time is `solve()` wall '
        "time (validation, candidate selection, min-cost flow, potentials, the bound over every "
        "eligible pair, report). Peak memory is `ru_maxrss` of a fresh child process per size "
        "and includes generating the dense score matrix.",
        "",
        "| papers × reviewers | max load | solve (s) | peak RSS (MB) | load avg | objective "
        "| LP bound | gap | rounds | pairs in network / eligible | both sides covered "
        "| violations |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['papers']:,} × {r['reviewers']:,} | {r['max_load']} | {r['solve_s']} "
            f"| {r['maxrss_mb']:,} | {r['load_avg']} | {r['objective']} | {r['lp_bound']} "
            f"| {r['gap']:.1e} "
            f"| {r['rounds']} | {r['candidate_pairs']:,} / {r['eligible_pairs']:,} "
            f"| {r['covered']:,} / {r['papers']:,} | {r['violations']} |"
        )
    big = results[-1]
    mid = results[1]
    lines += [
        "",
        f"CLI (`manage.py solve_assignment`) on the 2,000 × 1,500 instance written to CSV "
        f"(every pair in the affinity file, {cli['affinity_mb']} MB, plus bids and conflicts): "
        f"{cli['cli_s']} s end to end (reading CSV dominates), peak RSS {cli['maxrss_mb']} MB "
        f"(load average {cli['load_avg']} before it), "
        f"objective {cli['cli_objective']} (in-process: {mid['objective']}; CSV keeps 6 "
        "decimals).",
        "",
        "Targets: optimal with gap < 0.1% and both sides covered — "
        + ("met" if all(r["gap"] < 1e-3 and r["covered"] == r["papers"] for r in results)
           else "NOT met")
        + f"; 2,000 × 1,500 under 10 s — {'met' if mid['solve_s'] < 10 else 'NOT met'}"
        + "; 10,000 × 8,000 under 2 min and 4 GB — "
        + ("met" if big["solve_s"] < 120 and big["maxrss_mb"] < 4096 else "NOT met")
        + ". The gap is against a Lagrangian (LP-dual) bound computed over every eligible pair, "
        "not only those in the network; it is non-zero only by the 1e-9 rounding of "
        "qualities to integer costs (docs/assignment.md).",
    ]  # fmt: skip
    lines += sparse_lines(sparse) + [""]
    return "\n".join(lines)


def replace_section(text: str, section: str) -> str:
    pattern = re.compile(r"^## Assignment\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        return pattern.sub(lambda _m: section + "\n", text, count=1)
    if not text.strip():
        text = "# Benchmarks\n\n"
    return text.rstrip("\n") + "\n\n" + section + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", help="internal: PAPERS,REVIEWERS,MAXLOAD to run in this process")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="CLI runs per sparse size")
    args = parser.parse_args()
    if args.one:
        n_p, n_r, load = (int(x) for x in args.one.split(","))
        print(json.dumps(run_one(n_p, n_r, load)))
        return
    # First, so RUSAGE_CHILDREN's peak is the CLI's alone.
    cli = time_cli(*SIZES[1])
    print(json.dumps(cli))
    results = []
    for n_p, n_r, load in SIZES:
        out = subprocess.run(
            [sys.executable, __file__, "--one", f"{n_p},{n_r},{load}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        results.append(json.loads(out.stdout))
        print(json.dumps(results[-1]))
    sparse = sparse_runs(args.repeat)
    section = write_section(results, cli, sparse)
    print(section)
    if not args.no_write:
        path = ROOT / "docs" / "benchmarks.md"
        old = path.read_text() if path.exists() else ""
        path.write_text(replace_section(old, section))


if __name__ == "__main__":
    main()
