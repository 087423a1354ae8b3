"""``manage.py compute_affinities <conference> [--backend NAME]``: compute affinity scores now,
in this process, with a progress bar on stderr.

It makes the same ``AffinityRun`` as the chairs' button (``services.start_run``, so a run that
is already queued or running for the conference refuses this one) and runs
``services.compute_affinities`` on it here instead of in a Celery worker: for a first large
computation, or a deployment whose worker lacks the embedding extra. Exit codes: 0 ready,
1 the run failed (its message goes to stderr), 2 unknown conference or backend, or refused.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from mlsys.conferences.models import Conference
from reviews.affinity import services
from reviews.affinity.backends import configured_backend_name
from reviews.enums import ProposalStatus

BAR_WIDTH = 30


class ProgressBar:
    """A one-line bar redrawn in place on a terminal; elsewhere (a log, a pipe) one line per
    tenth, so the output stays readable."""

    def __init__(self, stream: OutputWrapper, label: str):
        self.stream, self.label = stream, label
        self.tty = stream.isatty()
        self.shown = -1

    def __call__(self, fraction: float) -> None:
        percent = int(max(0.0, min(fraction, 1.0)) * 100)
        step = percent if self.tty else percent // 10 * 10
        if step <= self.shown:
            return
        self.shown = step
        filled = BAR_WIDTH * percent // 100
        bar = f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%"
        self.stream.write(
            f"\r{bar}" if self.tty else bar, style_func=str, ending="" if self.tty else "\n"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.shown >= 0:
            self.stream.write("")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Compute affinity scores for a conference in this process (the same run as the chairs' "
        "'Compute affinities' button), with a progress bar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("conference", help="The conference's slug (as in its URLs).")
        parser.add_argument(
            "--backend",
            help=f"Backend name (default: AFFINITY_BACKEND, {configured_backend_name()!r}).",
        )

    def handle(self, *args, conference: str, backend: str | None, **options) -> None:
        found = Conference.objects.filter(slug=conference).first()
        if found is None:
            raise CommandError(f"No conference with the slug {conference!r}.", returncode=2)
        try:
            run = services.start_run(found, actor=None, backend=backend, enqueue=False)
        except services.RunRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        bar = ProgressBar(self.stderr, f"{found.slug} ({run.backend})")
        try:
            run = services.compute_affinities(run, on_progress=bar)
            if run.status == ProposalStatus.READY:
                bar(1.0)
        finally:
            bar.close()
        if run.status != ProposalStatus.READY:
            raise CommandError(f"Run {run.pk} {run.get_status_display().lower()}: {run.message}")
        stats = run.stats
        self.stdout.write(
            f"Run {run.pk} ready: {stats['papers']} papers × {stats['reviewers']} reviewers, "
            f"{stats['pairs']} pairs stored under {run.backend!r} "
            f"({stats['seconds']['score']} s scoring, {stats['seconds']['store']} s storing). "
            "Bidding and the assignment solver now read these scores (chairs can choose "
            "others on the affinity page)."
        )
