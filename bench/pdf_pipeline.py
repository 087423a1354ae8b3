"""Benchmark of the PDF pipeline: ``python bench/pdf_pipeline.py [--runs N] [--queue N]``.

Measures, on real files built like the tests build them:
- the full isolated check (child process, pypdf + pdfium, format + anonymity) of a 12-page
  two-column paper (median of N runs; target <= 0.7 s);
- the rejection of a bad file: truncated PDF through the child, HTML caught before spawning
  (target <= 0.25 s);
- the containment of a 1 GiB decompression bomb (target <= 1.5 s);
- papers per minute drained from a queue by two workers. The workers are modelled by a
  multiprocessing pool of 2 processes each calling ``run_isolated`` (what a Celery worker's
  ``process_file`` does apart from two database writes).

Writes the figures into docs/benchmarks.md under "## PDF pipeline" (that section only).
Needs no Django and no database.
"""

import argparse
import datetime
import multiprocessing
import os
import platform
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from submissions.pdfcheck import FormatSpec, run_isolated  # noqa: E402
from tests.submissions import pdfs  # noqa: E402

SPEC = FormatSpec(
    page_limit=12,
    paper_size="letter_or_a4",
    min_font_size=9,
    columns=2,
    max_text_width_in=7,
    max_text_height_in=9.25,
    anonymity="double_blind",
    author_names=("Ada Lovelace", "Charles Babbage"),
    author_emails=("ada@engines.example", "charles@engines.example"),
    author_affiliations=("Analytical Engines Ltd",),
)
SECTION = "## PDF pipeline"


def timed(path: str, runs: int) -> tuple[float, float, dict]:
    """Median wall-clock and median CPU time (parent + child) of ``run_isolated``.

    CPU time does not grow when other processes compete for the cores; wall-clock time does.
    """
    walls, cpus, report = [], [], {}
    for _ in range(runs):
        before = _cpu()
        started = time.perf_counter()
        report = run_isolated(path, SPEC)
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - before)
    return statistics.median(walls), statistics.median(cpus), report


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _check(path: str) -> bool:
    return run_isolated(path, SPEC)["valid"]


def throughput(path: str, queue: int, workers: int = 2) -> float:
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        started = time.perf_counter()
        results = list(pool.imap_unordered(_check, [path] * queue, chunksize=1))
        elapsed = time.perf_counter() - started
    assert all(results), "a good paper failed the check"
    return queue / elapsed * 60


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs (nproc), {cpu}, Python {platform.python_version()}, "
        f"load average {load:.1f} at start"
    )


def write_section(text: str) -> Path:
    target = ROOT / "docs" / "benchmarks.md"
    current = target.read_text() if target.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip() + "\n\n", current)
    else:
        updated = current.rstrip() + "\n\n" + text.rstrip() + "\n"
    target.write_text(updated.rstrip() + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--queue", type=int, default=500)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    where = machine()

    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "paper": pdfs.paper(pages=12, references=True),
            "truncated": pdfs.truncated(),
            # Header and end marker intact, body garbage: only a parser can tell.
            "damaged": b"%PDF-1.7\n" + os.urandom(200_000) + b"\n%%EOF\n",
            "html": pdfs.NOT_A_PDF,
            "bomb": pdfs.content_bomb(),
        }
        paths = {}
        for name, data in files.items():
            paths[name] = os.path.join(tmp, f"{name}.pdf")
            Path(paths[name]).write_bytes(data)

        full, full_cpu, report = timed(paths["paper"], args.runs)
        assert report["valid"] and report["pages"] == 13, report["errors"]
        truncated, truncated_cpu, report = timed(paths["truncated"], args.runs)
        assert report["errors"][0]["code"] == "truncated"
        damaged, damaged_cpu, report = timed(paths["damaged"], args.runs)
        assert not report["valid"], report
        html, html_cpu, report = timed(paths["html"], args.runs)
        assert report["errors"][0]["code"] == "not_pdf"
        bomb, bomb_cpu, report = timed(paths["bomb"], max(3, args.runs // 3))
        assert report["errors"][0]["code"] == "resource_limit"
        per_minute = throughput(paths["paper"], args.queue)

    rows = [
        ("Full isolated check, 12-page two-column paper", full, full_cpu, "≤ 0.7 s"),
        (
            "Reject a truncated PDF (no %%EOF; before spawning)",
            truncated,
            truncated_cpu,
            "≤ 0.25 s",
        ),
        ("Reject a damaged PDF (garbage body; through the child)", damaged, damaged_cpu, "—"),
        ("Reject an HTML file renamed .pdf (before spawning)", html, html_cpu, "≤ 0.25 s"),
        ("Contain a 1 GiB decompression bomb", bomb, bomb_cpu, "≤ 1.5 s"),
    ]
    text = "\n".join(
        [
            SECTION,
            "",
            f"Measured {datetime.date.today().isoformat()} with `python bench/pdf_pipeline.py` "
            f"on {where}. Median of {args.runs} runs unless noted.",
            "",
            "| what | wall clock (median) | CPU time (median) | target (wall) |",
            "|---|---|---|---|",
            *(f"| {a} | {w:.3f} s | {c:.3f} s | {t} |" for a, w, c, t in rows),
            "",
            f"Throughput: two workers drained a queue of {args.queue} such papers at "
            f"**{per_minute:.0f} papers/minute**.",
            "",
            "The two workers are modelled by a multiprocessing pool of 2 processes, each calling "
            "`run_isolated` (one child process per paper), which is what a Celery worker's "
            "`submissions.process_file` does besides two small database writes.",
            "",
        ]
    )
    print(text)
    if not args.no_write:
        print(f"written to {write_section(text)}")


if __name__ == "__main__":
    main()
