"""Getting every uploaded file checked, whatever the broker or the workers do.

A file's check is handed to the broker after the upload commits (:func:`queue_check`). Two
faults can lose that hand-over, and the periodic sweep (``submissions.sweep_checks``, every
minute on the beat) undoes both:

- the broker is down when the upload commits: the upload still succeeds, the file stays
  ``pending`` with ``check_queued_at`` empty, and the next sweep that reaches the broker queues
  it;
- the worker running the check dies as a whole (kill -9, OOM, a lost host): with ``acks_late``
  Redis returns the message only after its visibility timeout (an hour, longer than the longest
  task), so the sweep queues again every check still pending :data:`REQUEUE_AFTER` after it was
  last queued.

Queuing a check twice is harmless: ``process_file`` yields the same report when re-run, and a
sweep's message (``only_if_pending``) returns at once when the first run already finished.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError

from submissions import enums
from submissions.models import SubmissionFile

log = logging.getLogger(__name__)

#: A sweep queues at most this many checks per run (the oldest first), so a long outage is
#: recovered over a few minutes instead of flooding the queue at once.
SWEEP_LIMIT = 200


def requeue_after() -> timedelta:
    """How long after it was last queued a still-pending check counts as lost:
    ``CHECK_REQUEUE_AFTER`` seconds (default: the task's hard time limit, 360 s, after which no
    worker can still be running it; see docs/pdf-checks.md)."""
    return timedelta(seconds=settings.CHECK_REQUEUE_AFTER)


def queue_check(file_id: int) -> bool:
    """Hand the check of one file to the broker. If the broker cannot be reached, log it, mark
    the file as not queued (the sweep takes it) and return False: an upload never fails for
    it."""
    # Imported here: submissions.tasks imports the pipeline, which imports this module.
    from submissions.tasks import process_file

    try:
        process_file.delay(file_id=file_id)
    except OperationalError as exc:
        log.warning(
            "Broker unavailable; the check of file %s is left for the sweep: %s", file_id, exc
        )
        SubmissionFile.objects.filter(pk=file_id, check_status=enums.CheckStatus.PENDING).update(
            check_queued_at=None
        )
        return False
    return True


def stale_checks(
    *, older_than: timedelta, now: datetime | None = None
) -> "QuerySet[SubmissionFile]":
    """Files still ``pending`` that were never handed to the broker, or were handed over more
    than ``older_than`` ago; the oldest upload first."""
    cutoff = (now or timezone.now()) - older_than
    return SubmissionFile.objects.filter(
        Q(check_queued_at__isnull=True) | Q(check_queued_at__lte=cutoff),
        check_status=enums.CheckStatus.PENDING,
    ).order_by("created_at", "pk")


@dataclass
class Requeued:
    """What :func:`requeue_stale_checks` found and did."""

    found: list[int] = field(default_factory=list)
    queued: list[int] = field(default_factory=list)
    broker_down: bool = False


def requeue_stale_checks(
    *,
    older_than: timedelta | None = None,
    limit: int | None = None,
    conference=None,
    dry_run: bool = False,
) -> Requeued:
    """Queue again the stale checks (:func:`stale_checks`, optionally of one conference, at
    most ``limit``, default :data:`SWEEP_LIMIT`) and record when. Stops at the first broker
    failure: the rest stay pending, for the next sweep. ``dry_run`` only reports what it would
    queue."""
    from submissions.tasks import process_file

    files = stale_checks(older_than=requeue_after() if older_than is None else older_than)
    if conference is not None:
        files = files.filter(submission__conference=conference)
    limit = SWEEP_LIMIT if limit is None else limit
    result = Requeued(found=list(files.values_list("pk", flat=True)[:limit]))
    if dry_run:
        return result
    for file_id in result.found:
        try:
            process_file.delay(file_id=file_id, only_if_pending=True)
        except OperationalError as exc:
            log.warning(
                "Broker unavailable; %s stale check(s) stay pending for the next sweep: %s",
                len(result.found) - len(result.queued),
                exc,
            )
            result.broker_down = True
            break
        result.queued.append(file_id)
    if result.queued:
        SubmissionFile.objects.filter(
            pk__in=result.queued, check_status=enums.CheckStatus.PENDING
        ).update(check_queued_at=timezone.now())
    return result
