"""Benchmark of the proceedings: the program booklet (WeasyPrint) and the ZIP of final PDFs at
100 and 1,000 accepted papers; the chairs' page and the JSON/CSV exports at 10,000.

Run: ``.venv/bin/python bench/proceedings.py [--papers 100 1000]``. Builds each conference with
``bulk_create`` in a throwaway database (see bench/submissions_list.py), papers with 3 authors,
2 topics, a ~170-word abstract and a released "Accept (poster)" decision. Times the same
functions the Celery task runs (``booklet.render``, ``bundle.write``) and the page's export
view. Replaces the "## Proceedings" section of docs/benchmarks.md.
"""

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

SECTION = "## Proceedings"


def build(n: int, slug: str, seed: int = 2027):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from decisions.models import Decision
    from decisions.outcomes import outcomes_of
    from mlsys.conferences import enums as conf_enums
    from submissions.models import Submission, SubmissionFile
    from tests import factories
    from tests.submissions import pdfs

    rng = random.Random(seed)
    conference = factories.conference_in_submission_phase(slug=slug, name=f"Bench {slug[-4:]}")
    chair = factories.UserFactory(name="Bench Chair")
    factories.MembershipFactory(
        conference=conference, user=chair, role=conf_enums.Role.PROGRAM_CHAIR
    )
    topics = list(conference.topics.all())
    poster = outcomes_of(conference)[1]
    subs = common.bulk_accepted_papers(conference, n, rng, abstract_words=170)
    now = timezone.now()
    Decision.objects.bulk_create(
        [
            Decision(
                submission=s, outcome=poster, status="released", decided_at=now, released_at=now
            )
            for s in subs
        ],
        batch_size=2000,
    )
    common.bulk_authors(subs, domain="u")
    through = Submission.topics.through
    through.objects.bulk_create(
        [
            through(submission=s, topic=topics[(s.number + k) % len(topics)])
            for s in subs
            for k in (0, 2)
        ],
        batch_size=2000,
    )
    body = pdfs.paper(pages=1, references=False)
    shared = SubmissionFile(
        submission=subs[0],
        kind="camera_ready",
        original_name="final.pdf",
        sha256="0" * 64,
        size=len(body),
        check_status="passed",
        pages=1,
    )
    shared.file.save("final.pdf", ContentFile(body), save=False)
    SubmissionFile.objects.bulk_create(
        [
            SubmissionFile(
                submission=s,
                kind="camera_ready",
                file=shared.file.name,
                original_name="final.pdf",
                sha256="0" * 64,
                size=len(body),
                check_status="passed",
                pages=1,
            )
            for s in subs
            if s.number % 50  # every 50th paper has no final PDF
        ],
        batch_size=2000,
    )
    return conference, chair


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def run(sizes: list[int], keep: str = "") -> list[dict]:
    from decisions.proceedings import booklet, bundle

    rows = []
    for n in sizes:
        conference, chair = build(n, slug=f"bench{n}x2027")
        result, seconds = timed(lambda c=conference: booklet.render(c))
        rows.append(
            {
                "what": f"Booklet, {n:,} papers",
                "seconds": seconds,
                "detail": f"{result.pages:,} pages, {len(result.pdf) / 1e6:.1f} MB",
            }
        )
        zipped, seconds = timed(lambda c=conference: bundle.write(c))
        size = zipped.file.seek(0, 2)
        zipped.file.close()
        rows.append(
            {
                "what": f"ZIP of final PDFs, {n:,} papers",
                "seconds": seconds,
                "detail": f"{zipped.included:,} PDFs + README ({len(zipped.missing)} missing), "
                f"{size / 1e6:.1f} MB",
            }
        )
        if keep:
            Path(keep).write_bytes(result.pdf)
            keep = ""
    return rows


def run_page_and_exports(n: int) -> list[dict]:
    """The chairs' page and the streamed exports at ``n`` papers, through the real views."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    # Its own slug: `--exports` may equal one of `--papers` (same throwaway database).
    conference, chair = build(n, slug=f"bench{n}e2027")
    client = Client()
    client.force_login(chair)
    kwargs = {"conference": conference.slug}
    rows = []

    def page():
        response = client.get(reverse("decisions:proceedings", kwargs=kwargs))
        assert response.status_code == 200
        return response

    page()  # warm-up: the first request loads templates
    with CaptureQueriesContext(connection) as captured:
        _, seconds = timed(page)
    rows.append(
        {
            "what": f"Chairs' proceedings page, {n:,} papers",
            "seconds": seconds,
            "detail": f"{len(captured.captured_queries)} SQL queries",
        }
    )
    for fmt in ("json", "csv"):
        url = reverse("decisions:proceedings_export", kwargs=kwargs) + f"?format={fmt}"

        def export(u=url):
            return sum(len(chunk) for chunk in client.get(u).streaming_content)

        size, seconds = timed(export)
        rows.append(
            {
                "what": f"{fmt.upper()} export, {n:,} papers (streamed)",
                "seconds": seconds,
                "detail": f"{size / 1e6:.1f} MB",
            }
        )
    return rows


def write_section(rows: list[dict], max_n: int) -> str:
    machine = (
        f"{platform.system()} {platform.release()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        f"`bench/proceedings.py`, {dt.date.today().isoformat()}, {machine}; SQLite (temporary "
        "file). Accepted papers with 3 authors, 2 topics and a ~170-word abstract; every 50th "
        f"without a final PDF. One run each; load average {load:.1f} at the end (the machine "
        "was shared with other jobs, so times are upper bounds).",
        "",
        "| measurement | seconds | result |",
        "|---|---:|---|",
    ]
    lines += [f"| {r['what']} | {r['seconds']:.1f} | {r['detail']} |" for r in rows]
    lines += [
        "",
        f"Peak RSS of the whole run (the largest booklet and the {max_n:,}-paper data "
        f"included): {peak:,.0f} MB. WeasyPrint lays the booklet out in one pass over the "
        "whole document, so its time and memory grow with the paper count; the booklet and "
        "the ZIP are built by the `decisions.build_proceedings` Celery task (time limit one "
        "hour), never in a request.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--exports", type=int, default=10_000, help="papers for page/exports")
    parser.add_argument("--keep", default="", help="write the first booklet to this path")
    parser.add_argument("--no-write", action="store_true", help="print, don't edit the docs")
    args = parser.parse_args()
    with common.throwaway_database():
        rows = run(args.papers, keep=args.keep) + run_page_and_exports(args.exports)
    section = write_section(rows, args.exports)
    print(section)
    if not args.no_write:
        common.replace_section(SECTION, section)
        print("Wrote the section to docs/benchmarks.md")


if __name__ == "__main__":
    main()
