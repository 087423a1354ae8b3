"""``manage.py seed_demo``: build the MLSys 2027 demo conference (see docs/demo.md)."""

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import build, manifest, reviewing, schedule
from demo.plan import CONFERENCE_SLUG, PASSWORD, make_plan
from mlsys.celery import app as celery_app
from mlsys.mail.services import suppressed_mail


@contextmanager
def emails_kept_in_memory() -> Iterator[None]:
    """Within the block, the outbox stores every email ``suppressed`` ("Not sent (demo)"):
    kept to read on the outbox page, never sent by the task, the worker's sweep or a resend,
    whatever broker, worker and SMTP server the stack has. Anything that still reached an email
    backend here would go to Django's in-memory one, never printed or sent anywhere."""
    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    try:
        with suppressed_mail():
            yield
    finally:
        settings.EMAIL_BACKEND = previous


class Command(BaseCommand):
    help = (
        "Create the MLSys 2027 demo conference with its committee, authors and papers, and play "
        "the year up to --phase: 'artifacts' (the default: decisions released, camera-readies, "
        "the artifact evaluation at every stage), 'decisions' (meta-reviews, pending "
        "decisions), 'response' (nearly all reviews in, discussion, author responses), "
        "'reviewing' (bids, affinities, a released assignment, reviews done and in progress, "
        "discussion), 'bidding' (profiles, affinities, bids) or 'submission' (profiles only; "
        "authors can still edit their papers)."
    )

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
            "--reset",
            action="store_true",
            help="Delete the demo conference and the accounts it created first.",
        )
        parser.add_argument(
            "--processes", type=int, default=2, help="Processes rendering PDFs (default 2)."
        )
        parser.add_argument(
            "--phase",
            choices=schedule.PHASES,
            default=schedule.DEFAULT_PHASE,
            help=f"Phase the demo is left in (default {schedule.DEFAULT_PHASE}). Ignored when "
            "--if-empty keeps an existing demo.",
        )

    def handle(self, *args, **options):
        if options["papers"] < 1 or options["reviewers"] < 2:
            raise CommandError("Use at least 1 paper and 2 reviewers.")
        started = time.monotonic()
        verbose = options["verbosity"] >= 1

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write(f"[{time.monotonic() - started:5.1f} s] {message}")

        if options["reset"]:
            self._print_reset(build.reset())
        conference = build.demo_conference()
        if conference is not None and not options["if_empty"]:
            raise CommandError(
                f"The demo conference {CONFERENCE_SLUG} exists; use --reset to rebuild it "
                "or --if-empty to keep it."
            )
        if conference is None:
            plan = make_plan(
                papers=options["papers"], reviewers=options["reviewers"], seed=options["seed"]
            )
            # Eager tasks log a line per checked file and per affinity run; the account table
            # is what matters.
            quiet = [logging.getLogger(n) for n in ("celery.app.trace", "reviews.affinity")]
            levels = [logger.level for logger in quiet]
            for logger in quiet:
                logger.setLevel(logging.WARNING)
            # Tasks (PDF checks, affinities, solves) run here, even with a broker: on the demo
            # clock, at the moment of the year they belong to, and finished when seeding ends.
            eager = celery_app.conf.task_always_eager
            celery_app.conf.task_always_eager = True
            progress(
                f"Seeding {len(plan.papers)} papers and a PC of {len(plan.pc)} up to the "
                f"{options['phase']} phase."
            )
            try:
                # Releasing the assignment emails each PC member. The emails stay in the outbox,
                # marked "Not sent (demo)": every demo address is fictional.
                with emails_kept_in_memory():
                    conference = build.build(
                        plan,
                        phase=options["phase"],
                        processes=options["processes"],
                        progress=progress,
                    )
            except reviewing.DemoError as exc:
                again = " Run again with --reset." if build.demo_conference() else ""
                raise CommandError(f"{exc}{again}") from exc
            finally:
                celery_app.conf.task_always_eager = eager
                for logger, level in zip(quiet, levels, strict=True):
                    logger.setLevel(level)
            self.stdout.write(
                f"Seeded {conference.name} ({len(plan.papers)} papers, "
                f"{len(plan.pc)} PC members) in {time.monotonic() - started:.1f} s."
            )
        else:
            self.stdout.write(f"The demo conference {conference.slug} already exists.")
        self._print_committee(reviewing.describe(conference))
        doc = manifest.read(conference)
        if options["manifest"]:
            path = options["manifest"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(f"Wrote the demo manifest to {path}.")
        self._print_accounts(doc)

    def _print_reset(self, done: build.Reset) -> None:
        if not done.conference:
            self.stdout.write("There was no demo conference to delete.")
            return
        kept = (
            f" Kept {done.kept} demo account{'s' * (done.kept != 1)} that are members or "
            "authors of another conference."
            if done.kept
            else ""
        )
        self.stdout.write(
            f"Deleted the demo conference ({done.submissions} papers, {done.files} files) and "
            f"{done.accounts} demo account{'s' * (done.accounts != 1)}.{kept}"
        )

    def _print_committee(self, outcome: reviewing.Outcome) -> None:
        self.stdout.write(f"It is in its {outcome.phase.replace('_', ' ')} phase.")
        if outcome.bidders:
            values = ", ".join(
                f"{n} {v.replace('_', ' ')}" for v, n in sorted(outcome.bids.items())
            )
            self.stdout.write(
                f"  {outcome.profiles} PC profiles with expertise, {outcome.affinities} affinity "
                f"scores, {sum(outcome.bids.values())} bids from {outcome.bidders} members "
                f"({values})."
            )
        if outcome.assignments:
            coverage = (
                "every paper has its reviewers, ML and Systems"
                if not outcome.uncovered
                else "short of reviewers: " + ", ".join(f"#{n}" for n in outcome.uncovered)
            )
            self.stdout.write(
                f"  {outcome.assignments} assignments on {outcome.papers} papers "
                f"({outcome.released} released; {coverage})."
            )
        if outcome.reviews:
            parts = [
                f"{outcome.reviews['submitted']} reviews submitted and "
                f"{outcome.reviews['draft']} in progress",
                f"on {outcome.split_papers} papers the ML and Systems reviewers disagree",
                f"{outcome.comments} discussion comments",
            ]
            if outcome.responses:
                parts.append(
                    f"{outcome.responses['submitted']} author responses submitted, "
                    f"{outcome.responses['draft']} drafted"
                )
            self.stdout.write(f"  {'; '.join(parts)}.")
        if outcome.problem:
            self.stdout.write(
                self.style.WARNING(f"  No assignment was committed: {outcome.problem}")
            )

    def _print_accounts(self, doc) -> None:
        rows = manifest.key_accounts(doc)
        width = max(len(label) for label, _, _ in rows)
        who_width = max(len(who) for _, who, _ in rows)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (every account's password: {PASSWORD})")
        for label, who, password in rows:
            self.stdout.write(f"  {label:<{width}}  {who:<{who_width}}  {password}")
        self.stdout.write(
            f"  …and {len(doc['accounts']) - len(rows)} more committee members and authors "
            "(see the manifest or docs/demo.md)."
        )
