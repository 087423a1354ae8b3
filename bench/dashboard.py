"""Benchmark of the chairs' pages at conference scale: the decisions dashboard and the four
pages that list every paper (reviewing progress, assignment overview, discussion leads, an
assignment proposal), each with its CSV export.

Run: ``.venv/bin/python bench/dashboard.py --papers 10000 --reviewers 3000
--reviews-per-paper 4 [--json] [--pages progress,leads,...]``. Builds a synthetic conference
with ``bulk_create`` in a throwaway database — a temporary SQLite file by default, or a
``test_``-prefixed database created through Django's test utilities when ``DATABASE_URL``
points at PostgreSQL (the configured database itself is never written) — then times each page
through the real views as a logged-in chair: server time of the request (median of 3 after one
warm-up) and its SQL query count. With ``--json`` the last line printed is
``{"papers": N, "reviews": R, "seconds": S, "queries": Q}`` for the decisions dashboard page
(``seconds`` and ``queries`` are null while that page is not installed). Without ``--json``
and ``--no-write`` it replaces its section of docs/benchmarks.md (one per database engine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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

SECTION = "## Chair pages at conference scale"
REPEATS = 3
#: Page key -> (URL name, label). The export of each page is "<name>_export".
PAGES = {
    "dashboard": ("decisions:dashboard", "Decisions dashboard"),
    "progress": ("reviews:progress", "Reviewing progress"),
    "assignment": ("reviews:assignment", "Assignment overview"),
    "leads": ("reviews:leads", "Discussion leads"),
    "proposal": ("reviews:proposal", "Assignment proposal (report and changes)"),
    "plots": ("decisions:plots", "Decisions plots"),
    "threshold": ("decisions:threshold", "Threshold helper"),
    "consistency": ("decisions:consistency", "Consistency check"),
    "meeting": ("decisions:meeting", "PC meeting"),
    "camera_ready": ("decisions:camera_ready_overview", "Camera-ready overview"),
    "proceedings": ("decisions:proceedings", "Proceedings"),
}
EXPORTS = {
    "dashboard": "decisions:dashboard_csv",
    "progress": "reviews:progress_export",
    "assignment": "reviews:assignment_export",
    "leads": "reviews:leads_export",
    "proposal": "reviews:proposal_export",
}


def build(n_papers: int, n_reviewers: int, k: int, seed: int = 2027):
    """The synthetic conference; returns (conference, chair, proposal, submitted reviews)."""
    from django.utils import timezone

    from decisions.enums import DEFAULT_OUTCOMES, DecisionStatus
    from decisions.models import Decision, Outcome
    from mlsys.accounts.models import User
    from mlsys.conferences import enums as ce
    from mlsys.conferences.models import CommitteeMembership
    from reviews.enums import ProposalStatus, Recommendation, ReviewState
    from reviews.models import (
        Assignment,
        AssignmentProposal,
        Comment,
        MetaReview,
        ProposedPair,
        Review,
    )
    from reviews.review_forms.defaults import ensure_default_form
    from submissions.models import Author, Submission
    from tests import factories

    rng = random.Random(seed)
    now = timezone.now()
    conference = factories.conference_in_submission_phase(slug="bench2027", name="Bench 2027")
    tracks = list(conference.tracks.order_by("order"))
    for track in tracks:
        track.reviewers_per_paper = k
        track.min_ml_reviewers = 1
        track.min_systems_reviewers = 1
        track.save()
    chair = factories.UserFactory(email="chair@bench.example.org", name="Bench Chair")
    factories.MembershipFactory(conference=conference, user=chair, role=ce.Role.PROGRAM_CHAIR)
    users = User.objects.bulk_create(
        [
            User(email=f"pc{i}@u{i % 400}.edu", name=f"PC Member {i:04d}")
            for i in range(n_reviewers)
        ],
        batch_size=2000,
    )
    sides = [ce.Side.ML if i % 2 else ce.Side.SYSTEMS for i in range(n_reviewers)]
    for i in range(0, n_reviewers, 20):
        sides[i] = ce.Side.BOTH
    CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(
                conference=conference,
                user=user,
                role=ce.Role.AREA_CHAIR if i % 50 == 1 else ce.Role.PC_MEMBER,
                side=sides[i],
                max_load=max(8, 2 * n_papers * k // max(n_reviewers, 1)),
                status=ce.InvitationStatus.ACCEPTED,
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    ml = [u for u, s in zip(users, sides, strict=True) if s != ce.Side.SYSTEMS]
    systems = [u for u, s in zip(users, sides, strict=True) if s != ce.Side.ML]
    words = ["sparse", "tensor", "compiler", "scheduling", "inference", "training", "memory"]
    papers = Submission.objects.bulk_create(
        [
            Submission(
                conference=conference,
                track=tracks[i % len(tracks)],
                number=i + 1,
                title=" ".join(rng.sample(words, 4)).capitalize() + f" {i + 1}",
                abstract=" ".join(rng.choices(words, k=100)),
                status="submitted",
            )
            for i in range(n_papers)
        ],
        batch_size=1000,
    )
    Author.objects.bulk_create(
        [
            Author(
                submission=p,
                order=j,
                name=f"Author {p.number}-{j}",
                email=f"a{p.number}-{j}@lab{p.number % 300}.org",
                is_contact=j == 0,
            )
            for p in papers
            for j in range(3)
        ],
        batch_size=3000,
    )
    proposal = AssignmentProposal.objects.create(
        conference=conference,
        created_by=chair,
        status=ProposalStatus.COMMITTED,
        committed_at=now,
        params={"w_affinity": 1.0, "w_bid": 1.0, "w_topic": 0.5},
        report={"tracks": [_report(conference, n_papers, k)]},
    )
    pairs: list[tuple[int, int]] = []
    reviewers_of: dict[int, list] = {}
    for p in papers:
        half = k // 2
        chosen = rng.sample(ml, half)
        while len(chosen) < k:  # a "Both" reviewer may be drawn on both sides: draw again
            extra = rng.choice(systems)
            if extra not in chosen:
                chosen.append(extra)
        reviewers_of[p.pk] = chosen
        pairs += [(p.pk, u.pk) for u in chosen]
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                conference=conference,
                submission_id=sid,
                reviewer_id=uid,
                kind="solver",
                proposal=proposal,
                released=True,
            )
            for sid, uid in pairs
        ],
        batch_size=4000,
    )
    # A few unfinished extra reviewers (5% of the papers) so that progress has late work.
    extra = Assignment.objects.bulk_create(
        [
            Assignment(
                conference=conference,
                submission=p,
                reviewer=u,
                kind="manual",
                released=True,
            )
            for p in papers[::20]
            if (u := rng.choice(users)).pk not in {r.pk for r in reviewers_of[p.pk]}
        ],
        batch_size=4000,
    )
    ProposedPair.objects.bulk_create(
        [
            ProposedPair(
                proposal=proposal,
                submission_id=a.submission_id,
                user_id=a.reviewer_id,
                change="new",
                quality=round(rng.random(), 3),
            )
            for a in assignments
        ],
        batch_size=4000,
    )
    form = ensure_default_form(conference)
    reviews = Review.objects.bulk_create(
        [
            Review(
                assignment=a,
                submission_id=a.submission_id,
                reviewer_id=a.reviewer_id,
                form=form,
                state=ReviewState.SUBMITTED,
                submitted_at=now,
                answers=_answers(rng),
            )
            for a in assignments
        ],
        batch_size=2000,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                submission=p,
                author=reviewers_of[p.pk][0],
                body=f"I disagree with the second review of #{p.number}.",
                visibility="reviewers",
            )
            for p in papers[::3]
        ],
        batch_size=2000,
    )
    recommendations = list(Recommendation.values)
    MetaReview.objects.bulk_create(
        [
            MetaReview(
                submission=p,
                lead=reviewers_of[p.pk][-1],
                summary="The reviewers agree on the main contribution." if i % 3 else "",
                recommendation=rng.choice(recommendations) if i % 3 else "",
                confidence=rng.randint(1, 4) if i % 3 else None,
                state=ReviewState.SUBMITTED if i % 3 == 1 else ReviewState.DRAFT,
                submitted_at=now if i % 3 == 1 else None,
            )
            for i, p in enumerate(papers[: n_papers // 2])
        ],
        batch_size=2000,
    )
    outcomes = {
        label: Outcome.objects.get_or_create(
            conference=conference, label=label, defaults={"kind": kind, "order": i}
        )[0]
        for i, (label, kind) in enumerate(DEFAULT_OUTCOMES)
    }
    choices = list(outcomes.values())
    Decision.objects.bulk_create(
        [
            Decision(
                submission=p,
                outcome=rng.choice(choices),
                status=DecisionStatus.PENDING,
                decided_by=chair,
                decided_at=now,
            )
            for p in papers[::5]
        ],
        batch_size=2000,
    )
    return conference, chair, proposal, len(reviews), len(extra)


def _answers(rng: random.Random) -> dict:
    merit = min(6, max(1, round(rng.gauss(3.4, 1.2))))
    return {
        "summary": "The paper proposes a scheduler for sparse training.",
        "strengths": "Clear evaluation.",
        "weaknesses": "Limited baselines.",
        "ml_contribution": rng.randint(1, 4),
        "systems_contribution": rng.randint(1, 4),
        "reproducibility": rng.randint(1, 4),
        "overall_merit": merit,
        "confidence": rng.choice([1, 2, 2, 3, 3, 3, 4, 4]),
    }


def _report(conference, n_papers: int, k: int) -> dict:
    return {
        "track": "Whole conference",
        "papers": n_papers,
        "k": k,
        "m_ml": 1,
        "m_sys": 1,
        "objective": 0.61 * n_papers * k,
        "lp_bound": 0.61 * n_papers * k,
        "gap_percent": 0.0,
        "method": "bench (synthetic)",
        "solve_seconds": 0.0,
        "lowest_paper_quality": 0.2,
        "lowest_paper": "#1",
        "quality_threshold": 0.3,
        "below_threshold": [],
        "papers_both_sides_covered": n_papers,
        "side_totals": {"ML": n_papers, "SYSTEMS": n_papers, "BOTH": 0},
        "load_histogram": [{"load": 13, "reviewers": 3000}],
    }


def measure(client, url: str, *, stream: bool = False) -> dict:
    """One warm-up request, then the median of REPEATS timed requests and their query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if getattr(response, "streaming", False):
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        return size

    fetch()
    times, cpu, queries, size = [], [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            size = fetch()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        queries = len(captured.captured_queries)
    return {
        "seconds": statistics.median(times),
        "cpu": statistics.median(cpu),
        "queries": queries,
        "bytes": size,
    }


def page_url(name: str, conference, proposal) -> str | None:
    from django.urls import NoReverseMatch, reverse

    kwargs = {"conference": conference.slug}
    if name.startswith("reviews:proposal"):
        kwargs["pk"] = proposal.pk
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def run(args) -> tuple[list[dict], dict, str]:
    from django.db import connection
    from django.test import Client

    t0 = time.perf_counter()
    conference, chair, proposal, n_reviews, n_extra = build(
        args.papers, args.reviewers, args.reviews_per_paper
    )
    build_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics; production tables have them
        # (autovacuum), and without them PostgreSQL picks nested loops over 40,000 rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(chair)
    rows, dashboard = [], {"seconds": None, "queries": None}
    for key in args.pages:
        name, label = PAGES[key]
        url = page_url(name, conference, proposal)
        if url is None:
            print(f"{label}: {'dashboard page' if key == 'dashboard' else name} not installed")
            continue
        result = measure(client, url)
        rows.append({"label": label, **result})
        if key == "dashboard":
            dashboard = {"seconds": round(result["seconds"], 4), "queries": result["queries"]}
        export = EXPORTS.get(key)
        export_url = page_url(export, conference, proposal) if export else None
        if export_url is not None:
            rows.append({"label": f"{label}: CSV export", **measure(client, export_url)})
        elif export:
            print(f"{label}: no CSV export ({export} not installed)")
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        vendor = f"SQLite {sqlite3.sqlite_version} (temporary file)"
    else:
        vendor = f"PostgreSQL {connection.pg_version // 10000} (test_ database)"
    note = (
        f"{vendor}; {args.papers:,} papers, {args.reviewers:,} PC members, "
        f"{n_reviews:,} submitted reviews + {n_extra:,} unfinished assignments; "
        f"data built in {build_s:.0f} s"
        + ("; ANALYZE run after the build" if connection.vendor == "postgresql" else "")
    )
    summary = {"papers": args.papers, "reviews": n_reviews, **dashboard}
    return rows, summary, note


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| page | median | CPU of this process | SQL queries | size |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['seconds'] * 1000:.0f} ms | {r['cpu'] * 1000:.0f} ms | "
            f"{r['queries']} | {r['bytes'] / 1e3:,.0f} kB |"
        )
    return lines


def write_section(engine: str, rows: list[dict], note: str) -> tuple[str, str]:
    title = f"{SECTION} ({engine})"
    machine = (
        f"{platform.system()} {platform.release()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    lines = [
        title,
        "",
        f"`bench/dashboard.py`, {dt.date.today().isoformat()}, machine: {machine} "
        "(shared with other jobs: times are upper bounds); " + note + ".",
        "Server time of each page through the real views as a logged-in chair, median of "
        f"{REPEATS} requests after a warm-up; first page (100 rows) of each list; the CSV "
        "export is every row, read to the end. CPU is this process's (Django, and SQLite "
        "which runs in it; PostgreSQL's own work is not in it): on a loaded machine it is "
        "closer to what an idle server takes than the wall-clock median.",
        "",
        *table(rows),
        "",
    ]
    return title, "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=3_000)
    parser.add_argument("--reviews-per-paper", type=int, default=4)
    parser.add_argument(
        "--pages",
        type=lambda s: [p.strip() for p in s.split(",") if p.strip()],
        default=list(PAGES),
        help=f"comma-separated, among {', '.join(PAGES)} (default: all)",
    )
    parser.add_argument("--json", action="store_true", help="end with the dashboard JSON line")
    parser.add_argument("--no-write", action="store_true", help="print, don't edit the docs")
    args = parser.parse_args()
    unknown = [p for p in args.pages if p not in PAGES]
    if unknown:
        parser.error(f"unknown page(s): {', '.join(unknown)}; choose among {', '.join(PAGES)}")
    if args.reviewers < args.reviews_per_paper * 2:
        parser.error("--reviewers must be at least twice --reviews-per-paper")
    with common.throwaway_database():
        from django.db import connection

        rows, summary, note = run(args)
        engine = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    title, section = write_section(engine, rows, note)
    print(section)
    if not args.json and not args.no_write:
        common.replace_section(title, section)
        print("Wrote the section to docs/benchmarks.md")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
