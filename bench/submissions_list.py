"""Benchmark of the chairs' submission list at 10,000 submissions.

Run: ``.venv/bin/python bench/submissions_list.py [--submissions N]``. Builds a synthetic
conference with ``bulk_create`` in a throwaway database — a temporary SQLite file by default, or
a ``test_``-prefixed database created through Django's test utilities when ``DATABASE_URL``
points at PostgreSQL (the configured database itself is never written) — then times, through
the real views: the list's first page, a filtered search, the counts panel, the CSV export of
everything, and one conflict detection pass; with the number of SQL queries of each.
Replaces the "## Submissions list" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 (after the path is set)

SECTION = "## Submissions list"
REPEATS = 3


def build(n: int, seed: int = 2027):
    """A conference with ``n`` submissions (3 authors, 2 topics, a checked paper each), 300 PC
    members and a chair. Returns (conference, chair)."""
    from mlsys.conferences import enums as conf_enums
    from mlsys.conferences.models import CommitteeMembership
    from submissions.models import Author, Submission, SubmissionFile
    from tests import factories

    rng = random.Random(seed)
    conference = factories.conference_in_submission_phase(slug="bench2027", name="Bench 2027")
    tracks = list(conference.tracks.all())
    topics = list(conference.topics.all())
    chair = factories.UserFactory(email="chair@bench.example.org", name="Bench Chair")
    factories.MembershipFactory(
        conference=conference, user=chair, role=conf_enums.Role.PROGRAM_CHAIR
    )
    institutions = [f"University {i}" for i in range(400)]
    domains = [f"u{i}.edu" for i in range(400)]
    from mlsys.accounts.models import User

    members = User.objects.bulk_create(
        [
            User(
                email=f"pc{i}@{domains[i % 400]}",
                name=f"PC Member {i}",
                affiliation=institutions[(i * 7) % 400],
            )
            for i in range(300)
        ]
    )
    CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(
                conference=conference,
                user=user,
                role=conf_enums.Role.PC_MEMBER,
                side=conf_enums.Side.ML if i % 2 else conf_enums.Side.SYSTEMS,
                status=conf_enums.InvitationStatus.ACCEPTED,
            )
            for i, user in enumerate(members)
        ]
    )
    statuses = ["submitted"] * 8 + ["draft", "withdrawn"]
    words = ["sparse", "tensor", "compiler", "scheduling", "inference", "training", "memory"]
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                conference=conference,
                track=tracks[i % len(tracks)],
                number=i + 1,
                title=" ".join(rng.sample(words, 4)).capitalize() + f" {i + 1}",
                abstract=" ".join(rng.choices(words, k=150)),
                status=rng.choice(statuses),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    Author.objects.bulk_create(
        [
            Author(
                submission=sub,
                order=j,
                name=f"Author {sub.number}-{j}",
                email=f"a{sub.number}-{j}@{rng.choice(domains)}",
                affiliation=rng.choice(institutions),
                is_contact=j == 0,
            )
            for sub in submissions
            for j in range(3)
        ],
        batch_size=2000,
    )
    through = Submission.topics.through
    through.objects.bulk_create(
        [
            through(submission_id=sub.pk, topic_id=topic.pk)
            for sub in submissions
            for topic in rng.sample(topics, 2)
        ],
        batch_size=2000,
    )
    files = SubmissionFile.objects.bulk_create(
        [
            SubmissionFile(
                submission=sub,
                kind="paper",
                file=f"submissions/bench/{sub.pk}.pdf",
                original_name="paper.pdf",
                sha256=f"{sub.pk:064x}",
                size=250_000,
                check_status=rng.choice(["passed"] * 8 + ["warnings", "failed"]),
                pages=rng.randint(8, 13),
            )
            for sub in submissions
        ],
        batch_size=2000,
    )
    for sub, paper in zip(submissions, files, strict=True):
        sub.current_paper = paper
    Submission.objects.bulk_update(submissions, ["current_paper"], batch_size=1000)
    return conference, chair


def measure(label: str, action) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            detail = action()
            times.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return {
        "label": label,
        "median_ms": statistics.median(times) * 1000,
        "best_ms": min(times) * 1000,
        "queries": queries,
        "detail": detail,
    }


def run(n: int) -> tuple[list[dict], str]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from submissions import queries
    from submissions.conflicts import detect

    t0 = time.perf_counter()
    conference, chair = build(n)
    build_s = time.perf_counter() - t0
    client = Client()
    client.force_login(chair)
    list_url = reverse("submissions:chair_list", kwargs={"conference": conference.slug})
    export_url = reverse("submissions:chair_export", kwargs={"conference": conference.slug})

    def page(params: str = ""):
        response = client.get(f"{list_url}{params}")
        assert response.status_code == 200, response.status_code
        return f"{response.context['page_obj'].paginator.count} matches, 100 shown"

    def export():
        response = client.get(f"{export_url}?format=csv")
        assert response.status_code == 200
        size = sum(len(chunk) for chunk in response.streaming_content)
        return f"{size / 1e6:.1f} MB"

    def counts():
        data = queries.counts(queries.for_chairs(conference))
        return f"{len(data['tracks'])} tracks, {len(data['topics'])} topics"

    def conflicts():
        return f"{len(detect(conference))} (paper, member, source) found"

    results = [
        measure("List, first page (100 rows, counts panel included)", page),
        measure(
            "List, search `q=compiler` + status filter, sorted by pages",
            lambda: page("?q=compiler&status=submitted&sort=-pages"),
        ),  # fmt: skip
        measure("Counts panel alone (track / topic / status)", counts),
        measure(f"CSV export of all {n:,}", export),
        measure("Conflict detection (300 PC members)", conflicts),
    ]
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        vendor = f"SQLite {sqlite3.sqlite_version} (temporary file)"
    else:
        vendor = f"{vendor} (test_ database)"
    return results, f"{vendor}; data built in {build_s:.1f} s"


def write_section(n: int, results: list[dict], note: str) -> str:
    machine = (
        f"{platform.system()} {platform.release()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    lines = [
        SECTION,
        "",
        f"`bench/submissions_list.py`, {dt.date.today().isoformat()}, {machine}; {note}.",
        f"{n:,} submissions (3 authors, 2 topics and a checked paper each), measured through "
        f"the real chair views with a logged-in chair; median and best of {REPEATS} runs.",
        "",
        "| measurement | median | best | SQL queries | result |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['label']} | {r['median_ms']:.0f} ms | {r['best_ms']:.0f} ms | "
            f"{r['queries']} | {r['detail']} |"
        )
    lines += [
        "",
        "Query counts do not depend on the number of submissions (the list and export tests "
        "assert this at 1 and 10 rows). The CSV export reads plain values in chunks of 2,000 "
        "rows: four queries per chunk plus one for the ids. The machine was shared with other "
        "jobs while this ran, so times are upper bounds.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print, don't edit the docs")
    args = parser.parse_args()
    with common.throwaway_database():
        results, note = run(args.submissions)
    section = write_section(args.submissions, results, note)
    print(section)
    if not args.no_write:
        common.replace_section(SECTION, section)
        print("Wrote the section to docs/benchmarks.md")


if __name__ == "__main__":
    main()
