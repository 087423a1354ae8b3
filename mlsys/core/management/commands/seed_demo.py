"""``manage.py seed_demo``: build the MLSys 2027 demo conference (see docs/demo.md)."""

import json
import logging
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mlsys.core.demo import build
from mlsys.core.demo.plan import CONFERENCE_SLUG, PASSWORD, make_plan


class Command(BaseCommand):
    help = "Create the MLSys 2027 demo conference with its committee, authors and papers."

    def add_arguments(self, parser):
        parser.add_argument("--papers", type=int, default=54, help="Submissions (default 54).")
        parser.add_argument(
            "--reviewers", type=int, default=24, help="PC members, half ML, half Systems."
        )
        parser.add_argument("--seed", type=int, default=2027, help="Same seed, same demo.")
        parser.add_argument("--manifest", type=Path, help="Write accounts and papers as JSON.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If the demo conference exists, only print its accounts (and the manifest).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo conference and its users first."
        )
        parser.add_argument(
            "--processes", type=int, default=2, help="Processes rendering PDFs (default 2)."
        )

    def handle(self, *args, **options):
        if options["papers"] < 1 or options["reviewers"] < 2:
            raise CommandError("Use at least 1 paper and 2 reviewers.")
        if options["reset"]:
            deleted = build.reset()
            self.stdout.write(f"Deleted the demo conference and {deleted} demo accounts.")
        conference = build.demo_conference()
        if conference is not None and not options["if_empty"]:
            raise CommandError(
                f"The demo conference {CONFERENCE_SLUG} exists; use --reset to rebuild it "
                "or --if-empty to keep it."
            )
        if conference is None:
            started = time.monotonic()
            build.reset()  # accounts left behind by an interrupted run
            plan = make_plan(
                papers=options["papers"], reviewers=options["reviewers"], seed=options["seed"]
            )
            # Eager tasks log one line per checked file; the account table is what matters.
            trace = logging.getLogger("celery.app.trace")
            level = trace.level
            trace.setLevel(logging.WARNING)
            try:
                conference = build.build(plan, processes=options["processes"])
            finally:
                trace.setLevel(level)
            self.stdout.write(
                f"Seeded {conference.name} ({len(plan.papers)} papers, "
                f"{len(plan.pc)} PC members) in {time.monotonic() - started:.1f} s."
            )
        else:
            self.stdout.write(f"The demo conference {conference.slug} already exists.")
        doc = build.manifest(conference)
        if options["manifest"]:
            path = options["manifest"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(f"Wrote the demo manifest to {path}.")
        self._print_accounts(doc)

    def _print_accounts(self, doc) -> None:
        rows = build.key_accounts(doc)
        width = max(len(label) for label, _, _ in rows)
        who_width = max(len(who) for _, who, _ in rows)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (every account's password: {PASSWORD})")
        for label, who, password in rows:
            self.stdout.write(f"  {label:<{width}}  {who:<{who_width}}  {password}")
        self.stdout.write(
            f"  …and {len(doc['accounts']) - len(rows)} more PC members and authors "
            "(see the manifest or docs/demo.md)."
        )
