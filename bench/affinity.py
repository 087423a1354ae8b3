"""Benchmark of affinity computation: quality on the labelled set, backend CPU time, and the
stored run (TF-IDF backend, real service, real database).

Run: ``.venv/bin/python bench/affinity.py [--no-write] [--sizes 54x24,2000x1500]
[--cpu-runs tfidf:1000x1000,minilm:2000x1500]``.

Quality: every backend (and reviewer-profile aggregation) is scored on the labelled set
``bench/data/expertise_set.json`` with the protocol of ``reviews.affinity.evaluation`` (MRR,
recall@1/@5, pairwise loss). CPU time and peak memory: each backend's ``score`` alone on
synthetic texts, papers × reviewers × 5 documents, in a child process. Stored run: for each size
(papers × reviewers, 5 expertise documents per reviewer) builds a synthetic MLSys-like
conference in a throwaway SQLite database (papers with a title, an abstract and ~12 KB of
extracted text drawn from a mixture of ML and Systems topic vocabularies), then runs
``reviews.affinity.services.compute_affinities`` on one AffinityRun and reports the time to
score, the time to store, the rows stored and the peak memory. Each size runs in its own child
process so its peak RSS is its own. Replaces the "## Affinity" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SECTION = "## Affinity"
SIZES = [(54, 24), (2000, 1500)]
DOCS_PER_REVIEWER = 5
EXPERTISE_SET = ROOT / "bench" / "data" / "expertise_set.json"
#: (backend, size) pairs timed on their own; the embedding one runs only when it is installed.
#: The combined backend with embeddings costs the embedding run plus the ``combined-text`` one
#: (it calls both, then adds a sparse topic product), so it is not timed again.
CPU_RUNS = [
    ("tfidf", (1000, 1000)),
    ("combined-text", (1000, 1000)),
    ("minilm", (1000, 1000)),
    ("tfidf", (2000, 1500)),
    ("combined-text", (2000, 1500)),
    ("minilm", (2000, 1500)),
]

TOPICS = {
    "compilers": "compiler tensor operator fusion loop tiling autotuning code generation "
    "intermediate representation polyhedral scheduling kernel lowering vectorization",
    "distributed": "distributed training data parallelism pipeline parallelism allreduce "
    "gradient communication collective bandwidth cluster straggler sharding",
    "hardware": "accelerator systolic array FPGA ASIC dataflow memory hierarchy on-chip "
    "buffer energy efficiency quantized arithmetic sparsity hardware design",
    "serving": "inference serving latency batching request scheduling throughput GPU memory "
    "KV cache paging tail latency autoscaling model serving",
    "storage": "data loading preprocessing pipeline storage format caching input "
    "bottleneck dataset shuffling prefetching I/O throughput",
    "rl": "reinforcement learning policy gradient reward agent exploration Q-learning "
    "environment offline RL actor critic value function",
    "llm": "large language model transformer attention pretraining fine-tuning tokens "
    "instruction tuning context length decoding prompt",
    "optimization": "stochastic gradient descent convergence learning rate Adam momentum "
    "second-order optimizer loss landscape generalization",
    "vision": "image classification convolutional network vision transformer object "
    "detection segmentation augmentation ImageNet",
    "graphs": "graph neural network message passing node embedding sampling "
    "heterogeneous graph link prediction mini-batch",
    "privacy": "differential privacy federated learning clients secure aggregation "
    "membership inference noise budget",
    "compression": "pruning quantization distillation low-rank compression sparse weights "
    "mixed precision model size",
}
GENERAL = [
    "we",
    "propose",
    "method",
    "results",
    "show",
    "approach",
    "system",
    "performance",
    "evaluate",
    "baseline",
    "improve",
    "paper",
    "novel",
    "framework",
    "design",
    "implementation",
    "experiments",
    "benchmark",
    "across",
    "workloads",
    "existing",
    "prior",
    "work",
    "state",
    "art",
    "achieve",
    "speedup",
    "reduce",
    "cost",
    "scale",
    "large",
    "efficient",
    "practical",
    "analysis",
    "technique",
    "demonstrate",
    "significant",
    "compared",
    "real",
    "production",
]


def configure(tmpdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings")
    os.environ["MLSYS_TESTING"] = "1"
    os.environ.setdefault("MLSYS_TEST_MEDIA", str(Path(tmpdir) / "media"))
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    import django

    django.setup()


def _text(rng: random.Random, topics: list[str], words: int) -> str:
    pools = [TOPICS[t].split() for t in topics]
    out = []
    for _ in range(words):
        r = rng.random()
        if r < 0.45:
            out.append(rng.choice(rng.choice(pools)))
        elif r < 0.8:
            out.append(rng.choice(GENERAL))
        else:
            # A long tail of rare terms, as real papers have (names, symbols, numbers).
            out.append(f"w{int(rng.paretovariate(1.1) * 10)}")
    return " ".join(out)


def build(n_papers: int, n_reviewers: int, seed: int = 2027):
    from mlsys.accounts.models import User
    from mlsys.conferences import enums as conf_enums
    from mlsys.conferences.models import CommitteeMembership
    from reviews.models import Expertise
    from submissions.models import Submission, SubmissionFile
    from tests import factories

    rng = random.Random(seed)
    names = list(TOPICS)
    conference = factories.conference_in_submission_phase(slug="bench2027", name="Bench 2027")
    track = conference.tracks.first()
    users = User.objects.bulk_create(
        [User(email=f"pc{i}@bench.example.org", name=f"PC {i}") for i in range(n_reviewers)]
    )
    CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(
                conference=conference,
                user=u,
                role=conf_enums.Role.PC_MEMBER,
                side=conf_enums.Side.ML if i % 2 else conf_enums.Side.SYSTEMS,
                status=conf_enums.InvitationStatus.ACCEPTED,
                max_load=6,
            )
            for i, u in enumerate(users)
        ]
    )
    expertise = []
    for u in users:
        own = rng.sample(names, 2)
        for _ in range(DOCS_PER_REVIEWER):
            topics = [rng.choice(own)]
            expertise.append(
                Expertise(
                    user=u,
                    title=_text(rng, topics, 10),
                    abstract=_text(rng, topics, 150),
                )
            )
    Expertise.objects.bulk_create(expertise, batch_size=2000)
    subs = Submission.objects.bulk_create(
        [
            Submission(
                conference=conference,
                track=track,
                number=i + 1,
                title=f"paper {i}",
                abstract="",
                status="submitted",
            )
            for i in range(n_papers)
        ],
        batch_size=1000,
    )
    files = []
    for s in subs:
        topics = rng.sample(names, 2)
        s.title = _text(rng, topics, 10)
        s.abstract = _text(rng, topics, 170)
        files.append(
            SubmissionFile(
                submission=s,
                kind="paper",
                file=f"bench/{s.pk}.pdf",
                original_name="paper.pdf",
                sha256=f"{s.pk:064x}",
                size=1,
                content_type="application/pdf",
                check_status="passed",
                pages=10,
                text=_text(rng, topics, 1800),
            )
        )
    SubmissionFile.objects.bulk_create(files, batch_size=500)
    for s, f in zip(subs, files, strict=True):
        s.current_paper = f
    Submission.objects.bulk_update(subs, ["title", "abstract", "current_paper"], batch_size=500)
    return conference


def run_one(n_papers: int, n_reviewers: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="mlsys-bench-") as tmpdir:
        configure(tmpdir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from reviews.affinity import services
        from reviews.models import Affinity, AffinityRun

        t0 = time.perf_counter()
        conference = build(n_papers, n_reviewers)
        built = time.perf_counter() - t0
        run = AffinityRun.objects.create(conference=conference, backend="tfidf")
        t0 = time.perf_counter()
        run = services.compute_affinities(run)
        total = time.perf_counter() - t0
        assert run.status == "ready", run.message
        return {
            "papers": n_papers,
            "reviewers": n_reviewers,
            "docs": n_reviewers * DOCS_PER_REVIEWER,
            "build_s": round(built, 1),
            "total_s": round(total, 2),
            "score_s": run.stats["seconds"]["score"],
            "store_s": run.stats["seconds"]["store"],
            "rows": Affinity.objects.filter(conference=conference, source="tfidf").count(),
            "positive": run.stats["pairs_positive"],
            "density": run.stats["density"],
            "median": run.stats["score"]["median"],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }


TEMPERATURES = (0.02, 0.05, 0.1, 0.2)


def quality_configs() -> list[tuple[str, str, object]]:
    """(backend, profile aggregation, backend instance) rows of the quality table."""
    from reviews.affinity import combined, profiles
    from reviews.affinity.tfidf import TfidfBackend

    rows: list[tuple[str, str, object]] = [("tfidf", "max", TfidfBackend(profile=profiles.MAX))]
    rows += [
        ("tfidf", f"softmax τ={t}", TfidfBackend(profile=profiles.SOFTMAX, temperature=t))
        for t in TEMPERATURES
    ]
    embedder = combined.embedding_backend()
    if embedder is not None:
        cls = type(embedder)
        rows.append((cls.name, "max", cls(profile=profiles.MAX)))
        rows += [
            (cls.name, f"softmax τ={t}", cls(profile=profiles.SOFTMAX, temperature=t))
            for t in TEMPERATURES
        ]
    text_only = {k: v for k, v in combined.WEIGHTS.items() if k != "topics"}
    rows += [
        ("topics only", "-", combined.CombinedBackend(weights={"topics": 1.0})),
        (
            "combined, no embeddings",
            "default",
            combined.CombinedBackend(use_embeddings=False),
        ),
    ]
    if embedder is not None:
        rows += [
            ("embeddings + tfidf", "default", combined.CombinedBackend(weights=text_only)),
            ("combined", "default", combined.CombinedBackend()),
        ]
    return rows


def run_quality() -> list[dict]:
    """Every quality config on the whole set and on each half (docs/affinity.md)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings_test")
    django.setup()
    from reviews.affinity import evaluation

    researchers = evaluation.load_set(EXPERTISE_SET)
    half_a, half_b = evaluation.split(researchers)
    results = []
    for backend, profile, instance in quality_configs():
        row = {"backend": backend, "profile": profile}
        started = time.process_time()
        for key, group in (("all", researchers), ("a", half_a), ("b", half_b)):
            row[key] = evaluation.evaluate(
                lambda p, r, b=instance: b.score(p, r),  # type: ignore[attr-defined]
                group,
            )
        row["cpu_s"] = round(time.process_time() - started, 1)
        results.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return results


def _synthetic_texts(n_papers: int, n_reviewers: int, seed: int = 2027):
    from reviews.affinity.backends import PaperText, ReviewerText

    rng = random.Random(seed)
    names = list(TOPICS)
    papers = []
    for i in range(n_papers):
        topics = rng.sample(names, 2)
        papers.append(
            PaperText(
                id=i,
                title=_text(rng, topics, 10),
                abstract=_text(rng, topics, 170),
                body=_text(rng, topics, 1800),
                topics=tuple(topics),
            )
        )
    reviewers = []
    for j in range(n_reviewers):
        own = rng.sample(names, 2)
        documents = []
        for _ in range(DOCS_PER_REVIEWER):
            topic = [rng.choice(own)]
            documents.append(_text(rng, topic, 10) + "\n" + _text(rng, topic, 150))
        reviewers.append(
            ReviewerText(id=j, documents=tuple(documents), topics={own[0]: 3, own[1]: 2})
        )
    return papers, reviewers


def run_cpu(backend: str, n_papers: int, n_reviewers: int) -> dict | None:
    """CPU and wall time of one backend's ``score`` (nothing else), and the process's peak RSS."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings_test")
    django.setup()
    from reviews.affinity import combined
    from reviews.affinity.backends import available, get_backend

    if backend == "combined-text":
        instance = combined.CombinedBackend(use_embeddings=False)
    elif backend in available():
        instance = get_backend(backend)
    else:
        return None
    papers, reviewers = _synthetic_texts(n_papers, n_reviewers)
    before = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter()
    instance.score(papers, reviewers)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "backend": backend,
        "papers": n_papers,
        "reviewers": n_reviewers,
        "docs": n_reviewers * DOCS_PER_REVIEWER,
        "cpu_s": round(cpu, 1),
        "wall_s": round(wall, 1),
        "peak_mb": after.ru_maxrss // 1024,
        "load": round(os.getloadavg()[0], 2),
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _fmt(m: dict) -> str:
    return f"{m['mrr']:.3f} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['loss']:.4f}"


def quality_lines(quality: list[dict]) -> list[str]:
    lines = [
        "### Quality on the labelled set",
        "",
        "`bench/data/expertise_set.json`: 42 researchers written for the project, 5 papers each "
        "(title + abstract), in overlapping ML and Systems areas. Each paper is held out in turn "
        "as the submission, the author's 4 other papers are their profile, and all 42 "
        "researchers are ranked for it (210 queries; 105 per half). Loss: share of (author, "
        "other researcher) pairs ordered wrongly, ties ½ (0 perfect, 0.5 chance). Half A "
        "(researchers 1, 3, 5, …) chose the temperature and the combined weights; half B "
        "(2, 4, 6, …) checks them; each half ranks only its own 21 researchers. "
        'docs/affinity.md "Measuring quality" has the protocol.',
        "",
        "| backend | profile | MRR | recall@1 | recall@5 | loss | loss half A | loss half B "
        "| CPU (s) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for q in quality:
        lines.append(
            f"| {q['backend']} | {q['profile']} | {_fmt(q['all'])} | {q['a']['loss']:.4f} "
            f"| {q['b']['loss']:.4f} | {q['cpu_s']} |"
        )
    return lines


def cpu_lines(cpu: list[dict]) -> list[str]:
    lines = [
        "### Backend CPU time and memory",
        "",
        "Each backend's `score` alone (no database) on the synthetic texts below, in a child "
        f"process: papers with title, abstract and ~12 KB of text, {DOCS_PER_REVIEWER} documents "
        "per reviewer, two declared topics each. CPU is user + system time of the process (all "
        "threads); peak RSS includes Python, Django and the model. `combined-text` is the "
        "combined backend without the embeddings extra (TF-IDF + topics).",
        "",
        "| backend | papers × reviewers (docs) | CPU (s) | wall (s) | peak RSS (MB) "
        "| load average |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for c in cpu:
        lines.append(
            f"| {c['backend']} | {c['papers']:,} × {c['reviewers']:,} ({c['docs']:,}) "
            f"| {c['cpu_s']} | {c['wall_s']} | {c['peak_mb']:,} | {c['load']} |"
        )
    return lines


def write_section(results: list[dict], quality: list[dict], cpu: list[dict]) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today().isoformat()} on {_cpu_name()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} by `bench/affinity.py`.",
        "",
    ]
    if quality:
        lines += quality_lines(quality) + [""]
    if cpu:
        lines += cpu_lines(cpu) + [""]
    lines += [
        "### Stored run (TF-IDF, SQLite)",
        "",
        "Synthetic MLSys-like conference: every paper has a title, an abstract (~170 words) and "
        f"~12 KB of extracted text mixing two of 12 ML/Systems topic vocabularies; every "
        f"reviewer has {DOCS_PER_REVIEWER} expertise documents (title + ~150-word abstract). "
        "`compute_affinities` end to end in a temporary SQLite file: load texts, TF-IDF "
        "(unigrams + bigrams, the default profile aggregation over a reviewer's documents), keep "
        "the best pairs with score > 0, store with `bulk_create` under a temporary source and "
        "swap it in. Peak RSS is the child process's, including building the data.",
        "",
        "| papers × reviewers (docs) | load + score (s) | store (s) | total (s) "
        "| pairs with score > 0 | rows stored | median stored score | peak RSS (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['papers']:,} × {r['reviewers']:,} ({r['docs']:,}) | {r['score_s']} "
            f"| {r['store_s']} | {r['total_s']} | {r['positive']:,} | {r['rows']:,} "
            f"| {r['median']} | {r['peak_mb']:,} |"
        )
    lines += [
        "",
        "Rows stored are each paper's 100 best reviewers together with each reviewer's 200 best "
        "papers (docs/affinity.md); with TF-IDF nearly every pair has some word in common, so "
        "keeping every positive pair would store the full papers × reviewers matrix. "
        "The machine was shared with other jobs while this ran, so times are upper bounds.",
    ]
    return "\n".join(lines) + "\n"


def replace_section(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start = text.find(SECTION + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("" if end == -1 else text[end:])
    path.write_text(text.rstrip("\n") + "\n")


def _child(*args: str) -> str:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr}")
    return out.stdout.strip().splitlines()[-1]


def _pairs(text: str) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in size.split("x")) for size in text.split(",") if size]  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help="internal: PAPERSxREVIEWERS to run in this process")
    parser.add_argument("--cpu-one", help="internal: BACKEND:PAPERSxREVIEWERS to time here")
    parser.add_argument("--quality-one", action="store_true", help="internal")
    parser.add_argument("--sizes", default=",".join(f"{p}x{r}" for p, r in SIZES))
    parser.add_argument(
        "--cpu-runs",
        default=",".join(f"{b}:{p}x{r}" for b, (p, r) in CPU_RUNS),
        help="BACKEND:PAPERSxREVIEWERS backend timings, comma-separated ('' skips them)",
    )
    parser.add_argument("--no-quality", action="store_true", help="skip the labelled set")
    parser.add_argument("--no-write", action="store_true", help="print, don't edit the docs")
    args = parser.parse_args()
    if args.one:
        n_p, n_r = (int(x) for x in args.one.split("x"))
        print(json.dumps(run_one(n_p, n_r)))
        return
    if args.cpu_one:
        backend, size = args.cpu_one.split(":")
        n_p, n_r = (int(x) for x in size.split("x"))
        print(json.dumps(run_cpu(backend, n_p, n_r)))
        return
    if args.quality_one:
        print(json.dumps(run_quality()))
        return
    quality = [] if args.no_quality else json.loads(_child("--quality-one"))
    cpu = []
    for run in filter(None, args.cpu_runs.split(",")):
        row = json.loads(_child("--cpu-one", run))
        if row is not None:
            cpu.append(row)
            print(row, flush=True)
    results = []
    for n_p, n_r in _pairs(args.sizes):
        results.append(json.loads(_child("--one", f"{n_p}x{n_r}")))
        print(results[-1], flush=True)
    section = write_section(results, quality, cpu)
    print(section)
    if not args.no_write:
        replace_section(ROOT / "docs" / "benchmarks.md", section)
        print("Wrote the section to docs/benchmarks.md")


if __name__ == "__main__":
    main()
