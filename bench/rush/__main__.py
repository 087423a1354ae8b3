"""``python -m bench.rush [--authors 50,100,200]`` (``make bench-rush``): see the package.

For each N in ``--authors`` (each at most 500), on one stack: seed a conference with N
authors, let them all log in and upload at once (``--time-limit`` seconds at most), wait for
the worker to check every stored file and for the receipts to reach the SMTP sink
(``--settle`` seconds more to catch duplicates), and verify. Prints a table per run and, last,
``{"authors": N, "ok": …, "lost": …, "upload_p99_s": …}`` for the largest N; appends the table
to docs/reliability.md unless ``--no-docs``. Exits 1 if any acknowledged upload was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.rush import report  # noqa: E402
from bench.rush.authors import Rush, base_pdf  # noqa: E402
from bench.rush.sink import Sink  # noqa: E402
from bench.rush.stack import Stack  # noqa: E402

MAX_AUTHORS = 500
PASSWORD = "rush hour at the deadline"


def author_counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or any(not 1 <= n <= MAX_AUTHORS for n in counts):
        raise argparse.ArgumentTypeError(f"author counts between 1 and {MAX_AUTHORS}")
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.rush", description=__doc__)
    parser.add_argument("--authors", type=author_counts, default=[50, 100, 200])
    parser.add_argument("--time-limit", type=float, default=300.0, help="per rush, seconds")
    parser.add_argument(
        "--verify-timeout",
        type=float,
        default=0.0,
        help="seconds to wait for checks and receipts (default 120 + 4 s × N)",
    )
    parser.add_argument("--settle", type=float, default=8.0)
    parser.add_argument(
        "--pg", default=os.environ.get("RUSH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database", default=os.environ.get("RUSH_DB", "mlsys_rush"))
    parser.add_argument("--redis", default=os.environ.get("RUSH_REDIS", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RUSH_PORT", "8790")))
    parser.add_argument("--keep", action="store_true", help="keep logs and media")
    parser.add_argument("--no-docs", action="store_true", help="do not touch docs/reliability.md")
    return parser.parse_args(argv)


def one_rush(stack: Stack, sink: Sink, pdf: bytes, n: int, args) -> dict:
    slug = f"rush{n}"
    python = sys.executable
    manifest = json.loads(
        stack.run(
            python,
            "-m",
            "bench.rush.db",
            "seed",
            "--slug",
            slug,
            "--authors",
            str(n),
            "--password",
            PASSWORD,
        )
    )
    print(f"\n--- rush: {n} authors ({slug}) ---", flush=True)
    rush = Rush(stack.base, slug, manifest["authors"], PASSWORD, pdf, args.time_limit)
    with report.LoadSampler() as load:
        flows = rush.run()
        elapsed = max((f.finished_at for f in flows), default=rush.started) - rush.started
        acknowledged = [f for f in flows if f.acknowledged]
        emails = {f.email.lower() for f in flows}
        wait_until = time.monotonic() + (args.verify_timeout or 120 + 4 * n)
        checks_drained = receipts_drained = None
        while True:
            state = json.loads(stack.run(python, "-m", "bench.rush.db", "verify", "--slug", slug))
            receipts = Counter({e: c for e, c in sink.handler.counts().items() if e in emails})
            stored = {
                f["sha256"]: f["status"] for p in state["papers"].values() for f in p["files"]
            }
            unchecked = sum(stored.get(f.sha256) in (None, "pending") for f in acknowledged)
            unreceipted = sum(receipts.get(f.email.lower(), 0) < 1 for f in acknowledged)
            now = time.monotonic() - rush.started
            if not unchecked and checks_drained is None:
                checks_drained = now
            if not unreceipted and not unchecked:
                receipts_drained = now
                break
            if time.monotonic() > wait_until:
                print(
                    f"rush: gave up waiting: {unchecked} unchecked, {unreceipted} without "
                    "a receipt",
                    flush=True,
                )
                break
            time.sleep(2)
        time.sleep(args.settle)  # a duplicate receipt would arrive now
    state = json.loads(stack.run(python, "-m", "bench.rush.db", "verify", "--slug", slug))
    receipts = Counter({e: c for e, c in sink.handler.counts().items() if e in emails})
    verdict = report.verify_flows(flows, state, receipts)
    complete = [f for f in flows if f.complete]
    result = {
        "authors": n,
        "ok": len(complete) - verdict["lost"] if verdict["lost"] else len(complete),
        "acknowledged": len(acknowledged),
        **verdict,
        "login_retries": sum(f.login_retries for f in flows),
        "flows_per_s": len(complete) / elapsed if elapsed else 0.0,
        "elapsed_s": elapsed,
        "checks_drained_s": checks_drained if checks_drained is not None else float("nan"),
        "receipts_drained_s": receipts_drained if receipts_drained is not None else float("nan"),
        "outbox": state["outbox"],
        "steps": report.step_figures(flows),
        "load_before": load.before,
        "load_peak": load.peak,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "steps"}), flush=True)
    for name, figures in result["steps"].items():
        print(f"  {name:9} {json.dumps(figures)}", flush=True)
    return result


def setup_line(stack: Stack) -> str:
    sizing = stack.run(
        sys.executable,
        "-c",
        "import runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(c['workers'], c['threads'], c.get('worker_class', 'sync'))",
    ).split()
    return (
        f"gunicorn {sizing[0]} workers × {sizing[1]} threads ({sizing[2]}), checks worker "
        f"concurrency {stack.env.get('WORKER_CONCURRENCY', '2')} at nice {stack.worker_nice}, "
        f"mail worker 1; CONN_MAX_AGE={stack.env['CONN_MAX_AGE']}, "
        f"LOGIN_CONCURRENCY={stack.env.get('LOGIN_CONCURRENCY', '1')}; "
        f"nproc {os.cpu_count()}; PDF of 1.2 MB; machine shared with other jobs "
        "(see the load column)."
    )


def interrupted(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM ends the run like Ctrl-C: the with-blocks stop every process started.
    signal.signal(signal.SIGTERM, interrupted)
    pdf = base_pdf()
    results = []
    with (
        Sink() as sink,
        Stack(
            pg=args.pg,
            database=args.database,
            redis=args.redis,
            port=args.port,
            smtp_port=sink.port,
            keep=args.keep,
        ) as stack,
    ):
        setup = setup_line(stack)
        print(f"rush: stack up at {stack.base} ({setup})", flush=True)
        for n in args.authors:
            results.append(one_rush(stack, sink, pdf, n, args))
    text = report.table(results, setup)
    print("\n" + text)
    if not args.no_docs:
        report.append_to_docs(text)
        print(f"rush: table appended to {report.RELIABILITY.relative_to(ROOT)}")
    largest = max(results, key=lambda r: r["authors"])
    print(
        json.dumps(
            {
                "authors": largest["authors"],
                "ok": largest["ok"],
                "lost": largest["lost"],
                "upload_p99_s": round(largest["steps"]["upload"]["p99"], 3),
            }
        )
    )
    return 1 if any(r["lost"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
