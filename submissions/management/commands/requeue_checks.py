"""``manage.py requeue_checks [--older-than SECONDS] [--conference SLUG] [--limit N] [--dry-run]``.

Queues again the PDF checks left pending, like the per-minute sweep (``submissions.sweep_checks``)
but on demand: after a broker outage, or to see what waits. Exit status 0 when everything found
was queued (or listed, with ``--dry-run``), 1 when the broker could not be reached (what was not
queued stays pending for the sweep), 3 for an unknown conference.
"""

import sys
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mlsys.conferences.models import Conference
from submissions import check_queue
from submissions.enums import CheckStatus
from submissions.models import SubmissionFile


class Command(BaseCommand):
    help = "Queue again the PDF checks still pending (never queued, or queued too long ago)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Only checks last queued at least this long ago (default: CHECK_REQUEUE_AFTER, "
            "as the sweep; 0 for every pending check). Never-queued checks always count.",
        )
        parser.add_argument("--conference", help="Only this conference (its slug).")
        parser.add_argument(
            "--limit", type=int, default=1000, help="Queue at most this many (default 1000)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be queued; queue nothing."
        )

    def handle(self, *args, **options) -> None:
        conference = None
        if options["conference"]:
            conference = Conference.objects.filter(slug=options["conference"]).first()
            if conference is None:
                raise CommandError(f"No conference {options['conference']!r}.", returncode=3)
        older_than = (
            check_queue.requeue_after()
            if options["older_than"] is None
            else timedelta(seconds=options["older_than"])
        )
        scope = {"older_than": older_than, "limit": options["limit"], "conference": conference}
        preview = check_queue.requeue_stale_checks(**scope, dry_run=True)
        where = f" in {conference.slug}" if conference else ""
        self.stdout.write(
            f"{len(preview.found)} pending check(s){where} never queued or last queued "
            f"over {older_than.total_seconds():g} s ago."
        )
        self._list(preview.found)
        self._mention_recent(len(preview.found), conference, older_than)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing queued.")
            return
        result = check_queue.requeue_stale_checks(**scope)
        self.stdout.write(f"Queued {len(result.queued)}.")
        if result.broker_down:
            self.stderr.write(
                f"The broker could not be reached: {len(result.found) - len(result.queued)} "
                "check(s) not queued; they stay pending and the sweep will queue them."
            )
            sys.exit(1)

    def _mention_recent(self, found: int, conference, older_than: timedelta) -> None:
        """Say how many pending checks were left out because they were queued recently, so
        "0 pending check(s)" during a rush is not read as "nothing is waiting"."""
        pending = SubmissionFile.objects.filter(check_status=CheckStatus.PENDING)
        if conference is not None:
            pending = pending.filter(submission__conference=conference)
        recent = pending.count() - found
        if recent > 0:
            self.stdout.write(
                f"{recent} other pending check(s) were queued less than "
                f"{older_than.total_seconds():g} s ago and are left to the workers "
                "(--older-than 0 includes them)."
            )

    def _list(self, file_ids: list[int]) -> None:
        files = (
            SubmissionFile.objects.filter(pk__in=file_ids)
            .select_related("submission__conference")
            .order_by("created_at", "pk")
        )
        now = timezone.now()
        for f in files:
            queued = (
                "never queued"
                if f.check_queued_at is None
                else f"queued {(now - f.check_queued_at).total_seconds():.0f} s ago"
            )
            self.stdout.write(
                f"  file {f.pk}: {f.submission.conference.slug} #{f.submission.number} "
                f"{f.kind}, uploaded {f.created_at:%Y-%m-%d %H:%M:%S}, {queued}"
            )
