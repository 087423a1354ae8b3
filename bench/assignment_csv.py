"""Sparse CSV instances for the assignment CLI, and one CLI run measured as a child process.

Used by ``bench/assignment.py``. Each paper lists ``per_paper`` reviewers in the affinity file
(a mix of its best matches and random ones); every other pair is an implicit 0. The affinity
file is written the awkward way on purpose (UTF-8 BOM, a ``#`` comment line, every name quoted,
CRLF line ends) so the figures prove those take the fast reader.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

K = 3
N_TOPICS = 12


def _mixtures(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    half = N_TOPICS // 2
    ml_share = rng.beta(0.6, 0.6, n)
    ml = rng.dirichlet(np.full(half, 0.3), n) * ml_share[:, None]
    sys_ = rng.dirichlet(np.full(half, 0.3), n) * (1 - ml_share)[:, None]
    mix = np.hstack([ml, sys_])
    return mix / np.linalg.norm(mix, axis=1, keepdims=True), ml_share


def write_instance(
    folder: Path, n_papers: int, n_reviewers: int, per_paper: int, max_load: int, seed: int = 7
) -> dict:
    """Write affinity.csv, bids.csv, conflicts.csv and reviewers.csv into ``folder``."""
    rng = np.random.default_rng(seed)
    paper_mix, _ = _mixtures(rng, n_papers)
    rev_mix, rev_ml = _mixtures(rng, n_reviewers)
    names = np.array([f"R{r}" for r in range(n_reviewers)], dtype=object)
    affinity = folder / "affinity.csv"
    with open(affinity, "wb") as fh:
        fh.write(b"\xef\xbb\xbf# paper,reviewer,affinity written by bench/assignment.py\r\n")
    block = 500
    for start in range(0, n_papers, block):
        scores = paper_mix[start : start + block] @ rev_mix.T
        noisy = scores + rng.random(scores.shape) * 0.6
        top = np.argpartition(-noisy, per_paper - 1, axis=1)[:, :per_paper]
        rows = np.repeat(np.arange(start, start + len(scores)), per_paper)
        frame = pd.DataFrame(
            {
                "p": np.char.add("P", rows.astype(str)).astype(object),
                "r": names[top.ravel()],
                "s": np.take_along_axis(scores, top, axis=1).ravel(),
            }
        )
        frame.to_csv(
            affinity, mode="a", header=False, index=False, quoting=csv.QUOTE_NONNUMERIC,
            lineterminator="\r\n", float_format="%.6f",
        )  # fmt: skip
    bids = rng.choice([1.0, 0.5, -np.inf], size=(n_reviewers, 15), p=[0.6, 0.35, 0.05])
    bid_papers = rng.integers(0, n_papers, size=(n_reviewers, 15))
    with open(folder / "bids.csv", "w") as fh:
        for r in range(n_reviewers):
            fh.writelines(f"P{p},R{r},{b}\n" for p, b in zip(bid_papers[r], bids[r], strict=True))
    conflicts = rng.integers(0, n_reviewers, size=(n_papers, 20))
    with open(folder / "conflicts.csv", "w") as fh:
        for p in range(n_papers):
            fh.writelines(f"P{p},R{r}\n" for r in conflicts[p])
    sides = np.where(rev_ml > 0.7, "ML", np.where(rev_ml < 0.3, "SYSTEMS", "BOTH"))
    with open(folder / "reviewers.csv", "w") as fh:
        fh.write("reviewer,side,max_load\n")
        fh.writelines(f"R{r},{s},\n" for r, s in enumerate(sides))
    return {"pairs": n_papers * per_paper, "affinity_mb": round(affinity.stat().st_size / 2**20)}


def run_cli(folder: Path, root: Path, max_load: int) -> dict:
    """Solve ``folder``'s instance with ``manage.py solve_assignment`` in a child process;
    wall time from here, peak RSS from ``wait4`` of that child alone."""
    cmd = [
        sys.executable, "manage.py", "solve_assignment",
        "--scores", str(folder / "affinity.csv"), "--scores", str(folder / "bids.csv"),
        "--weights", "1,0.5", "--conflicts", str(folder / "conflicts.csv"),
        "--reviewers", str(folder / "reviewers.csv"),
        "--papers-per-reviewer", f"1,{max_load}", "--reviewers-per-paper", str(K),
        "--min-per-side", "ML=1,SYSTEMS=1", "--out", str(folder / "out.csv"),
    ]  # fmt: skip
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "mlsys.settings_test"}
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"solve_assignment failed ({status}):\n{out}")

    def number(label: str) -> float:
        match = re.search(label + r": ([-\d.e+]+)", out)
        return float(match.group(1)) if match else float("nan")

    network = re.search(r"\((\d+) round\(s\), (\d+) of (\d+) eligible", out)
    return {
        "cli_s": round(wall, 2),
        "read_s": number("read time"),
        "solve_s": number("solve time"),
        "maxrss_mb": round(usage.ru_maxrss / 1024),
        "objective": number("objective"),
        "lp_bound": number("LP bound"),
        "gap": number("gap"),
        "rounds": int(network.group(1)) if network else None,
        "candidate_pairs": int(network.group(2)) if network else None,
        "eligible_pairs": int(network.group(3)) if network else None,
        "violations": "CONSTRAINT VIOLATIONS" in out,
    }
