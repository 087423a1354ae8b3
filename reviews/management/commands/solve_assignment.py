"""``manage.py solve_assignment``: solve a reviewer assignment from CSV files, no database.

Exit codes: 0 solved, 1 infeasible (the reasons go to stderr), 2 malformed input or arguments.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from solver import AssignmentError, InfeasibleAssignment, solve
from solver.io import load_problem, write_assignment


def _int_pair(text: str) -> tuple[int, int]:
    parts = text.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise CommandError(f"--papers-per-reviewer expects MIN,MAX, got {text!r}", returncode=2)
    low, high = (int(p) for p in parts)
    if low > high:
        raise CommandError(f"--papers-per-reviewer: MIN {low} exceeds MAX {high}", returncode=2)
    return low, high


def _sides(text: str) -> tuple[int, int]:
    found = {"ML": 0, "SYSTEMS": 0}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        key = key.strip().upper()
        key = "SYSTEMS" if key == "SYS" else key
        if key not in found or not value.strip().isdigit():
            raise CommandError(f"--min-per-side expects ML=N,SYSTEMS=N, got {text!r}", returncode=2)
        found[key] = int(value)
    return found["ML"], found["SYSTEMS"]


def _weights(text: str | None, count: int) -> list[float]:
    if text is None:
        return [1.0] * count
    try:
        values = [float(w) for w in text.split(",")]
    except ValueError:
        raise CommandError(f"--weights expects numbers, got {text!r}", returncode=2) from None
    if len(values) != count:
        raise CommandError(
            f"--weights has {len(values)} value(s) for {count} --scores file(s)", returncode=2
        )
    return values


class Command(BaseCommand):
    help = (
        "Optimal reviewer assignment (exactly K per paper, ML/Systems coverage, loads, "
        "conflicts, kept pairs) from CSV files. Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scores",
            action="append",
            required=True,
            type=Path,
            help="header-less paper,reviewer,score CSV; repeatable",
        )
        parser.add_argument(
            "--weights", help="comma-separated weight per --scores file (default 1)"
        )
        parser.add_argument("--conflicts", type=Path, help="header-less paper,reviewer[,-1] CSV")
        parser.add_argument(
            "--reviewers",
            type=Path,
            required=True,
            help="CSV with header; reviewer,side[,max_load] rows",
        )
        parser.add_argument("--existing", type=Path, help="paper,reviewer pairs to keep")
        parser.add_argument("--papers-per-reviewer", required=True, metavar="MIN,MAX")
        parser.add_argument("--reviewers-per-paper", type=int, required=True, metavar="K")
        parser.add_argument("--min-per-side", default="ML=1,SYSTEMS=1")
        parser.add_argument(
            "--min-score-threshold",
            type=float,
            help="each paper gets a reviewer scoring at least this on a source",
        )
        parser.add_argument(
            "--threshold-source",
            type=int,
            default=1,
            help="1-based --scores file for --min-score-threshold (default 1)",
        )
        parser.add_argument(
            "--quality-threshold",
            type=float,
            default=0.0,
            help="report papers whose total quality is below this",
        )
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--json", type=Path, help="write the statistics as JSON")

    def handle(self, *args: object, **opts: object) -> None:
        low, high = _int_pair(str(opts["papers_per_reviewer"]))
        m_ml, m_sys = _sides(str(opts["min_per_side"]))
        scores: list[Path] = opts["scores"]  # type: ignore[assignment]
        weights = _weights(opts["weights"], len(scores))  # type: ignore[arg-type]
        source = int(opts["threshold_source"])  # type: ignore[call-overload]
        if not 1 <= source <= len(scores):
            raise CommandError(f"--threshold-source must be 1..{len(scores)}", returncode=2)
        started = time.perf_counter()
        try:
            problem = load_problem(
                scores=scores,
                weights=weights,
                reviewers=opts["reviewers"],  # type: ignore[arg-type]
                conflicts=opts["conflicts"],  # type: ignore[arg-type]
                existing=opts["existing"],  # type: ignore[arg-type]
                k=int(opts["reviewers_per_paper"]),  # type: ignore[call-overload]
                min_load=low,
                max_load=high,
                m_ml=m_ml,
                m_sys=m_sys,
                expert_threshold=opts["min_score_threshold"],  # type: ignore[arg-type]
                expert_source=source - 1,
            )
            read_seconds = time.perf_counter() - started
            solution = solve(problem, quality_threshold=float(opts["quality_threshold"]))  # type: ignore[arg-type]
        except InfeasibleAssignment as exc:
            raise CommandError(f"infeasible: {exc}", returncode=1) from None
        except AssignmentError as exc:
            raise CommandError(str(exc), returncode=2) from None
        write_assignment(opts["out"], solution.pairs)  # type: ignore[arg-type]
        report = solution.report
        if opts["json"]:
            data = report.as_dict() | {"assignments": len(solution.pairs)}
            Path(opts["json"]).write_text(json.dumps(data, indent=2) + "\n")  # type: ignore[arg-type]
        self.stdout.write(f"wrote {len(solution.pairs)} assignments to {opts['out']}")
        self.stdout.write(f"read time: {read_seconds:.2f} s")
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.violations:
            raise CommandError("internal check failed: constraint violations", returncode=1)
