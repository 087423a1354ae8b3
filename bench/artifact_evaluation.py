"""Benchmark of the artifact-evaluation pages at the size of a 10,000-paper conference's AE: 2,000
artifacts of accepted papers and 300 AE evaluators.

Run: ``.venv/bin/python bench/artifact_evaluation.py [--artifacts 2000] [--evaluators 300]``.
Builds the conference with ``bulk_create`` in a throwaway database (bench/common.py): AE
settings and the default badges (``artifacts.defaults.ensure_settings``); artifacts spread over
the statuses (a quarter published with awarded badges, the rest submitted, kick-the-tires,
evaluating or in discussion), each asking for two badges; three evaluators each (aliases A/B/C)
except a few hundred submitted ones that have none yet (what the assignment run fills); every
evaluator with a hardware profile, some bids and messages. Times the pages through Django's test
client (one warm-up request first) with their SQL query counts, and the assignment run
(`artifacts.assignment.solving.propose`: the solver problem built and solved). Replaces the "##
Artifact evaluation" section of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 (after the path is set)

SECTION = "## Artifact evaluation"
#: (status, share of the artifacts); the artifacts without evaluators are taken from the
#: submitted ones.
STATUSES = (
    ("published", 0.25),
    ("submitted", 0.25),
    ("kick_the_tires", 0.15),
    ("evaluating", 0.20),
    ("discussion", 0.15),
)


def build(n: int, m: int, seed: int = 2027):
    """The conference, its AE chair, an evaluator and the number of unassigned artifacts."""
    from django.utils import timezone

    from artifacts.defaults import ensure_settings
    from artifacts.models import (
        Artifact,
        ArtifactBid,
        ArtifactMessage,
        Badge,
        EvaluatorAssignment,
        HardwareProfile,
        RequestedBadge,
    )
    from mlsys.accounts.models import User
    from mlsys.conferences import enums as ce
    from mlsys.conferences.models import CommitteeMembership
    from tests import factories

    rng = random.Random(seed)
    now = timezone.now()
    conference = factories.conference_in_submission_phase(slug="benchae2027", name="Bench AE")
    ensure_settings(conference)
    chair = factories.UserFactory(email="ae-chair@bench.example.org", name="Bench AE Chair")
    factories.MembershipFactory(
        conference=conference, user=chair, role=ce.Role.AE_CHAIR, status="accepted"
    )
    users = User.objects.bulk_create(
        [User(email=f"ae{i}@u{i % 200}.edu", name=f"Evaluator {i:04d}") for i in range(m)],
        batch_size=2000,
    )
    # Loads large enough for the existing assignments plus the run's (3 × n / m each).
    max_load = 3 * n // m + 6
    CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(
                conference=conference,
                user=u,
                role=ce.Role.AE_EVALUATOR,
                status=ce.InvitationStatus.ACCEPTED,
                max_load=max_load,
            )
            for u in users
        ],
        batch_size=2000,
    )
    HardwareProfile.objects.bulk_create(
        [
            HardwareProfile(
                user=u,
                gpus=[{"model": "NVIDIA A100 80GB", "count": 4}] if i % 2 else [],
                cpu_cores=32,
                ram_gb=256,
                disk_gb=2000,
                cloud_gpus=i % 5 == 0,
                testbeds=["CloudLab"] if i % 7 == 0 else [],
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    subs = common.bulk_accepted_papers(conference, n, rng, abstract_words=120)
    common.bulk_authors(subs, domain="v")
    statuses = []
    for status, share in STATUSES:
        statuses += [status] * round(share * n)
    statuses = (statuses + ["submitted"] * n)[:n]
    rng.shuffle(statuses)
    artifacts = Artifact.objects.bulk_create(
        [
            Artifact(
                conference=conference,
                submission=s,
                status=st,
                summary=" ".join(rng.choice(common.WORDS) for _ in range(40)),
                repository_url=f"https://github.com/bench/artifact-{s.number}",
                version=f"{s.number:040x}",
                doi=f"10.5281/zenodo.{1000000 + s.number}",
                licence="MIT",
                packaging="container",
                gpu_model="A100" if s.number % 3 == 0 else "",
                gpu_count=1 if s.number % 3 == 0 else 0,
                cpu_cores=8,
                ram_gb=32,
                disk_gb=100,
                experiments=[{"name": "Figure 3", "human_minutes": 10, "compute_hours": 2.5}],
                submitted_at=now,
                decided_at=now if st == "published" else None,
                published_at=now if st == "published" else None,
            )
            for s, st in zip(subs, statuses, strict=True)
        ],
        batch_size=2000,
    )
    badges = {b.key: b for b in Badge.objects.filter(conference=conference)}
    RequestedBadge.objects.bulk_create(
        [
            RequestedBadge(
                artifact=a,
                badge=badges[key],
                proposal="award" if a.status == "published" else "",
                outcome="awarded" if a.status == "published" else "pending",
                decided_at=now if a.status == "published" else None,
                decided_by=chair if a.status == "published" else None,
            )
            for a in artifacts
            for key in ("available", "functional" if a.pk % 2 else "reproduced")
        ],
        batch_size=2000,
    )
    # The submitted artifacts beyond the first few hundred, and all the others, have their
    # three evaluators; the unassigned ones are what the assignment run fills.
    submitted = [a for a in artifacts if a.status == "submitted"]
    unassigned = {a.pk for a in submitted[: min(300, len(submitted))]}
    assigned = [a for a in artifacts if a.pk not in unassigned]
    rows = []
    for i, a in enumerate(assigned):
        # GPU artifacts get evaluators with GPUs (odd indexes) when there are enough.
        gpu_only = bool(a.gpu_count) and m >= 6
        picked: list[int] = []
        j = 3 * i
        while len(picked) < 3:
            u = j % m
            if u not in picked and (not gpu_only or u % 2 == 1):
                picked.append(u)
            j += 1
        rows += [
            EvaluatorAssignment(artifact=a, evaluator=users[u], alias="ABC"[k], assigned_by=chair)
            for k, u in enumerate(picked)
        ]
    EvaluatorAssignment.objects.bulk_create(rows, batch_size=2000)
    prefs = ("eager", "willing", "reluctant", "willing")
    ArtifactBid.objects.bulk_create(
        [
            ArtifactBid(artifact=a, user=users[(a.pk * 7 + k * 31) % m], preference=prefs[k])
            for a in artifacts
            if a.status != "published"
            for k in range(4)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    ArtifactMessage.objects.bulk_create(
        [
            ArtifactMessage(
                artifact=r.artifact,
                thread="authors" if k == 0 else "evaluators",
                sender=r.evaluator,
                sender_role="evaluator",
                alias=f"Evaluator {r.alias}",
                body="The container starts; Figure 3 runs in 20 minutes on one A100.",
            )
            for r in rows[::2]
            for k in range(2)
        ],
        batch_size=2000,
    )
    # An evaluator with a full list on "My artifacts".
    evaluator = users[1]
    return conference, chair, evaluator, len(unassigned)


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def run(n: int, m: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from artifacts.assignment import solving

    conference, chair, evaluator, unassigned = build(n, m)
    kwargs = {"conference": conference.slug}
    chair_client, evaluator_client = Client(), Client()
    chair_client.force_login(chair)
    evaluator_client.force_login(evaluator)
    rows: list[dict] = []

    def measure(what, client, name, query="", streamed=False, detail=""):
        url = reverse(f"artifacts:{name}", kwargs=kwargs) + query

        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if streamed:
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.content)

        get()  # warm-up: the first request loads templates
        with CaptureQueriesContext(connection) as captured:
            size, seconds = timed(get)
        rows.append(
            {
                "what": what,
                "seconds": seconds,
                "detail": f"{len(captured.captured_queries)} SQL queries, {size / 1e3:,.0f} kB"
                + (f"; {detail}" if detail else ""),
            }
        )

    measure("AE chairs' overview, page 1", chair_client, "overview")
    measure(
        "AE chairs' overview, filtered (status, badge, search)",
        chair_client,
        "overview",
        "?status=evaluating&badge=functional&q=compiler",
    )
    measure("Public results page, page 1", chair_client, "results")
    measure("Badge export, CSV (streamed)", chair_client, "badge_export", "?format=csv", True)
    measure("Badge export, JSON (streamed)", chair_client, "badge_export", "?format=json", True)
    measure("Evaluator's bidding page, page 1", evaluator_client, "bidding")
    measure('Evaluator\'s "My artifacts"', evaluator_client, "mine")
    measure("AE chairs' assignment page, page 1", chair_client, "assignment")
    measure("AE committee page, page 1", chair_client, "committee")

    # The first run in a process also imports the solver's SciPy (about a second); the
    # second is what every later run in a worker costs.
    for when in ("first in the process", "again"):
        with CaptureQueriesContext(connection) as captured:
            proposal, seconds = timed(lambda: solving.propose(conference, actor=chair))
        rows.append(
            {
                "what": f"Assignment run, {unassigned} artifacts without evaluators ({when})",
                "seconds": seconds,
                "detail": f"{len(captured.captured_queries)} SQL queries; "
                f"{len(proposal.pairs):,} pairs proposed for {proposal.considered} artifacts, "
                f"{len(proposal.shortfalls)} short",
            }
        )
    return rows


def write_section(rows: list[dict], n: int, m: int) -> str:
    machine = (
        f"{platform.system()} {platform.release()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    shares = ", ".join(f"{int(share * 100)}% {status}" for status, share in STATUSES)
    lines = [
        SECTION,
        "",
        f"`bench/artifact_evaluation.py`, {dt.date.today().isoformat()}, {machine}; SQLite "
        f"(temporary file). {n:,} artifacts of accepted papers ({shares}; the published ones "
        f"with their badges awarded), two requested badges each, three evaluators (A/B/C) "
        f"each except 300 submitted ones; {m:,} AE evaluators with hardware profiles, four "
        "bids per unpublished artifact, two messages on every other assignment. Pages through "
        "Django's test client after one warm-up request; one run each; load average "
        f"{load:.1f} at the end (the machine was shared with other jobs, so times are upper "
        "bounds).",
        "",
        "| measurement | seconds | result |",
        "|---|---:|---|",
    ]
    lines += [f"| {r['what']} | {r['seconds']:.2f} | {r['detail']} |" for r in rows]
    lines += [
        "",
        f"Peak RSS of the whole run: {peak:,.0f} MB. The list pages show 100 rows a page with a "
        "fixed number of queries; the exports stream every artifact. The assignment run is "
        '`artifacts.assignment.solving.propose`, what the chairs\' "Run" button does '
        "(nothing stored until the preview is confirmed): its first call in a process also "
        "imports SciPy for the solver. Its quality matrix checks hardware once per distinct "
        "set of needs and evaluator and takes bids, conflicts and existing assignments from "
        "the pool's sparse data (before, a Python call per artifact × evaluator took the "
        "repeated run to about 1.2 s here).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", type=int, default=2000)
    parser.add_argument("--evaluators", type=int, default=300)
    parser.add_argument("--no-write", action="store_true", help="print, don't edit the docs")
    args = parser.parse_args()
    with common.throwaway_database():
        rows = run(args.artifacts, args.evaluators)
    section = write_section(rows, args.artifacts, args.evaluators)
    print(section)
    if not args.no_write:
        common.replace_section(SECTION, section)
        print("Wrote the section to docs/benchmarks.md")


if __name__ == "__main__":
    main()
