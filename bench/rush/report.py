"""Figures of a rush run: per-step percentiles, throughput, the verification's counts, and the
dated table appended to docs/reliability.md under "Rush benchmark"."""

from __future__ import annotations

import datetime
import math
import os
import threading
from collections import Counter
from pathlib import Path

from bench.rush.authors import STEPS, Flow

ROOT = Path(__file__).resolve().parents[2]
RELIABILITY = ROOT / "docs" / "reliability.md"
SECTION = "## Rush benchmark"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class LoadSampler:
    """The 1-minute load average, sampled every second while the block runs."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        while not self.stopping.wait(1.0):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self.samples.append(os.getloadavg()[0])
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(timeout=2)

    @property
    def before(self) -> float:
        return self.samples[0]

    @property
    def peak(self) -> float:
        return max(self.samples)


def step_figures(flows: list[Flow]) -> dict[str, dict]:
    """Per step: how many answered 2xx/3xx, the refusals by status, p50/p95/p99 seconds."""
    figures = {}
    for name in STEPS:
        steps = [s for f in flows for s in f.steps if s.name == name]
        ok = [s.seconds for s in steps if 200 <= s.status < 400]
        figures[name] = {
            "ok": len(ok),
            "failed": dict(Counter(str(s.status) for s in steps if not 200 <= s.status < 400)),
            "notes": dict(Counter(s.note for s in steps if s.note).most_common(3)),
            "p50": percentile(ok, 50),
            "p95": percentile(ok, 95),
            "p99": percentile(ok, 99),
            "max": max(ok, default=0.0),
        }
    return figures


def verify_flows(flows: list[Flow], state: dict, receipts: Counter) -> dict:
    """Compare what the server acknowledged with the database and the SMTP sink.

    ``lost``: acknowledged uploads that are not stored with their sha256, not checked, or whose
    author did not get exactly one receipt. ``unacknowledged_stored``: uploads the server stored
    although the author saw an error (not lost, but the author was misinformed)."""
    lost, problems = 0, Counter()
    unacknowledged_stored = 0
    for flow in flows:
        paper = state["papers"].get(str(flow.number), {"files": [], "email": flow.email})
        mine = [f for f in paper["files"] if f["sha256"] == flow.sha256]
        if not flow.acknowledged:
            unacknowledged_stored += bool(mine)
            continue
        reasons = []
        if len(mine) != 1:
            reasons.append("not stored" if not mine else "stored twice")
        elif mine[0]["status"] == "pending":
            reasons.append("not checked")
        count = receipts.get(flow.email.lower(), 0)
        if count != 1:
            reasons.append(f"{count} receipts")
        if reasons:
            lost += 1
            problems.update(reasons)
    return {
        "lost": lost,
        "problems": dict(problems),
        "unacknowledged_stored": unacknowledged_stored,
    }


def row(result: dict) -> str:
    steps = result["steps"]

    def cell(name: str) -> str:
        s = steps[name]
        return f"{s['p50']:.2f} / {s['p95']:.2f} / {s['p99']:.2f}"

    refused = sum(sum(s["failed"].values()) for s in steps.values())
    return (
        f"| {result['authors']} | {result['ok']} | {result['lost']} | {refused} "
        f"| {result.get('login_retries', 0)} "
        f"| {result['flows_per_s']:.2f} | {cell('login')} | {cell('page')} | {cell('upload')} "
        f"| {cell('redirect')} | {result['checks_drained_s']:.0f} "
        f"| {result['load_before']:.1f} → {result['load_peak']:.1f} |"
    )


def knee(results: list[dict]) -> str:
    """Where throughput levels off: the smallest N within 90 % of the best flows/s."""
    best = max((r["flows_per_s"] for r in results), default=0.0)
    if len(results) < 2 or best == 0:
        return "Knee: needs at least two author counts with complete flows."
    first = min(r["authors"] for r in results if r["flows_per_s"] >= 0.9 * best)
    return (
        f"Knee: throughput levels off at about {best:.2f} complete flows/s "
        f"from {first} concurrent authors on."
    )


def table(results: list[dict], setup: str) -> str:
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"#### Run of {when}",
        "",
        setup,
        "",
        "| authors | ok | lost | refused | logins retried | flows/s | login p50/p95/p99 s "
        "| page p50/p95/p99 s | upload p50/p95/p99 s | redirect p50/p95/p99 s "
        "| all checked after s "
        "| loadavg before → peak |",
        "|---:|---:|---:|---:|---:|---:|---|---|---|---|---:|---|",
        *(row(r) for r in results),
        "",
        knee(results),
        "",
    ]
    return "\n".join(lines)


def append_to_docs(text: str, path: Path = RELIABILITY) -> None:
    """Add ``text`` at the end of the "Rush benchmark" section (created if missing)."""
    doc = path.read_text() if path.exists() else "# Reliability\n"
    start = doc.find(SECTION + "\n")
    if start == -1:
        doc = doc.rstrip("\n") + f"\n\n{SECTION}\n\nRuns of `make bench-rush`, newest last.\n"
        start = doc.find(SECTION + "\n")
    end = doc.find("\n## ", start + len(SECTION))
    end = len(doc) if end == -1 else end + 1
    doc = doc[:end].rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n\n" + doc[end:].lstrip("\n")
    path.write_text(doc.rstrip("\n") + "\n")
