"""Benchmark of the decisions plots, threshold helper, consistency check and PC meeting at 10,000
papers.

Run: ``.venv/bin/python bench/decisions_analytics.py [--submissions N]``. Builds a synthetic
conference (300 PC members by side, three submitted reviews per paper, two committee conflicts
per paper, a decision on a third of the papers) in a throwaway database like
bench/submissions_list.py, then times the real pages through the test client, with the number
of SQL queries of each: the first request (cold cache: scores read and the calibration fitted)
and the next ones (the dashboard's cache warm). Replaces the "## Decisions analytics" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 (after the path is set)
from bench import submissions_list as base  # noqa: E402 (after the path is set)

SECTION = "## Decisions analytics"


def build(n: int, seed: int = 2027):
    from django.utils import timezone

    from decisions.models import Decision
    from decisions.outcomes import outcomes_of
    from mlsys.accounts.models import User
    from mlsys.conferences import enums as conf_enums
    from mlsys.conferences.models import CommitteeMembership
    from reviews.models import Assignment, Review
    from submissions.models import Conflict, Submission
    from tests import factories

    rng = random.Random(seed)
    conference = factories.conference_in_submission_phase(slug="bench2027", name="Bench 2027")
    tracks = list(conference.tracks.all())
    topics = list(conference.topics.all())
    chair = factories.UserFactory(email="chair@bench.example.org", name="Bench Chair")
    factories.MembershipFactory(
        conference=conference, user=chair, role=conf_enums.Role.PROGRAM_CHAIR
    )
    form = factories.ReviewFormFactory(conference=conference)
    for key, top in (("overall_merit", 6), ("confidence", 4)):
        factories.ReviewFieldFactory(
            form=form,
            key=key,
            label=key,
            scale=[{"value": v, "label": str(v)} for v in range(1, top + 1)],
        )
    members = User.objects.bulk_create(
        [User(email=f"pc{i}@bench.example.org", name=f"PC Member {i}") for i in range(300)]
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
    papers = Submission.objects.bulk_create(
        [
            Submission(
                conference=conference,
                track=tracks[i % len(tracks)],
                number=i + 1,
                title=f"Paper {i + 1} on sparse tensor compilers",
                abstract="Abstract.",
                status="submitted",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    through = Submission.topics.through
    through.objects.bulk_create(
        [
            through(submission_id=p.pk, topic_id=t.pk)
            for p in papers
            for t in rng.sample(topics, min(2, len(topics)))
        ],
        batch_size=2000,
    )
    picks = {p.pk: rng.sample(members, 5) for p in papers}
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                conference=conference, submission=p, reviewer=r, kind="manual", released=True
            )
            for p in papers
            for r in picks[p.pk][:3]
        ],
        batch_size=2000,
    )
    quality = {p.pk: rng.gauss(3.5, 1.0) for p in papers}
    Review.objects.bulk_create(
        [
            Review(
                assignment=a,
                submission_id=a.submission_id,
                reviewer_id=a.reviewer_id,
                form=form,
                state="submitted",
                answers={
                    "overall_merit": min(
                        6, max(1, round(quality[a.submission_id] + rng.gauss(0, 1)))
                    ),
                    "confidence": rng.randint(1, 4),
                },
            )
            for a in assignments
        ],
        batch_size=2000,
    )
    Conflict.objects.bulk_create(
        [
            Conflict(submission=p, user=u, source="author_declared", state="confirmed")
            for p in papers
            for u in picks[p.pk][3:]
        ],
        batch_size=2000,
    )
    outcomes = outcomes_of(conference)
    now = timezone.now()
    Decision.objects.bulk_create(
        [
            Decision(
                submission=p,
                outcome=rng.choice(outcomes),
                decided_by=chair,
                decided_at=now,
                reason="" if rng.random() < 0.5 else "Discussed.",
            )
            for p in papers[: n // 3]
        ],
        batch_size=2000,
    )
    return conference, chair


def run(n: int) -> tuple[list[dict], str]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    t0 = time.perf_counter()
    conference, chair = build(n)
    build_s = time.perf_counter() - t0
    client = Client()
    client.force_login(chair)

    def url(name: str) -> str:
        return reverse(f"decisions:{name}", kwargs={"conference": conference.slug})

    def get(name: str, query: str = "", *, cold: bool = False, htmx: bool = False):
        def action():
            if cold:
                cache.clear()
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.get(url(name) + query, headers=headers)
            assert response.status_code == 200, (name, response.status_code)
            return f"{len(response.content) / 1e3:.0f} kB"

        return action

    client.post(url("meeting_start"), {"cutoff": "3.5", "window": "0.5"})
    cut = "?cutoff=3.6"
    from decisions.dashboard.stats import dashboard
    from mlsys.conferences.viewer import Viewer

    def board():
        return f"{len(dashboard(conference, Viewer(chair)).rows):,} rows"

    steps = [
        ("dashboard() alone, warm (decisions/dashboard/stats.py: every page reads it)", board),
        ("Plots, cold cache (scores read, calibration fitted)", get("plots", cold=True)),
        ("Plots (four SVG figures, every paper)", get("plots")),
        ("Threshold helper, full page", get("threshold", cut)),
        ("Threshold helper, slider update (htmx part)", get("threshold", cut, htmx=True)),
        ("Set decisions from the cut-off, what it touches", get("threshold_apply", cut)),
        ("Consistency check (first 100 rows)", get("consistency", cut)),
        ("PC meeting, current paper", get("meeting")),
        (
            "PC meeting, start (order computed)",
            lambda: (
                client.post(url("meeting_start"), {"cutoff": "3.5", "window": "0.5"}) and "ordered"
            ),
        ),
    ]
    results = [base.measure(label, action) for label, action in steps]

    def apply():
        page = client.get(url("threshold_apply") + cut)
        plan = page.context["plan"]
        accept = page.context["apply_form"].fields["accept"].queryset.first()
        reject = page.context["apply_form"].fields["reject"].queryset.first()
        response = client.post(
            url("threshold_apply"),
            {"cutoff": "3.6", "digest": plan.digest, "accept": accept.pk, "reject": reject.pk},
        )
        assert response.status_code == 302
        return f"{len(plan.accept) + len(plan.reject):,} pending decisions recorded"

    # Counted with a wrapper: Django's query log keeps only the last 9,000 queries.
    executed = 0

    def count(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        detail = apply()
    once = (time.perf_counter() - start) * 1000
    results.append(
        {
            "label": "Set decisions from the cut-off, confirmed (once; task run eagerly)",
            "median_ms": once,
            "best_ms": once,
            "queries": executed,
            "detail": detail,
        }
    )
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        vendor = f"SQLite {sqlite3.sqlite_version} (temporary file)"
    return results, f"{vendor}; data built in {build_s:.1f} s"


def write_section(n: int, results: list[dict], note: str) -> str:
    import datetime as dt
    import os
    import platform

    machine = (
        f"{platform.system()} {platform.release()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    lines = [
        SECTION,
        "",
        f"`bench/decisions_analytics.py`, {dt.date.today().isoformat()}, {machine}; {note}.",
        f"{n:,} submitted papers with three submitted reviews each (300 PC members, half ML, "
        "half Systems), two committee conflicts per paper, a third of the papers decided; "
        f"measured through the real views with a logged-in chair; median and best of "
        f"{base.REPEATS} runs.",
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
        "The dashboard's review scores and calibration fit are cached under a fingerprint of "
        "the reviews, assignments and memberships, so only the first page after a change pays "
        "for reading every review and fitting. Query counts do not depend on the number of "
        "papers (tests assert it at 1 and 10). The machine was shared with other jobs while "
        "this ran, so times are upper bounds.",
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


if __name__ == "__main__":
    main()
