"""Celery tasks of the submissions app: the PDF check of every uploaded file, and conflict
detection."""

import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.files.storage import FileSystemStorage

from mlsys.conferences import archive
from submissions import check_queue, enums, pipeline
from submissions.conflicts import recompute_conflicts
from submissions.models import SubmissionFile
from submissions.pdfcheck import FormatSpec, failure, precheck, run_isolated, status_of
from submissions.pdfcheck.report import empty_report

MB = 1024 * 1024
logger = logging.getLogger(__name__)


@shared_task(
    name="submissions.process_file",
    acks_late=True,
    reject_on_worker_lost=getattr(settings, "CELERY_TASK_REJECT_ON_WORKER_LOST", True),
)
def process_file(*, file_id: int, only_if_pending: bool = False) -> str | None:
    """Check one uploaded file and record the report. Re-running yields the same report.

    ``only_if_pending`` (the sweep's re-queued checks) skips a file whose check has finished
    meanwhile, so a check queued twice costs one run.

    The PDF is parsed only in a child process with memory/CPU/time limits, so a hostile file
    ends as an ``invalid`` report and this task returns normally. For a paper of an anonymous
    track the same child also writes the anonymised review copy, which
    :func:`pipeline.apply_report` stores (rewriting the previous one).
    """
    stored = SubmissionFile.objects.select_related("submission__track").filter(pk=file_id).first()
    if stored is None or (only_if_pending and stored.is_checked):
        return None
    track = stored.submission.track
    limit_mb = (
        track.max_supplement_mb if stored.kind == enums.FileKind.SUPPLEMENT else track.max_paper_mb
    )
    wants_copy = stored.kind == enums.FileKind.PAPER and track.is_anonymous
    with _local_copy(stored, limit_mb * MB) as path, tempfile.TemporaryDirectory() as scratch:
        copy_to = os.path.join(scratch, "review-copy.pdf") if wants_copy else None
        if path is None:
            report = failure("missing", "The stored file is missing; please upload it again.")
        elif stored.kind == enums.FileKind.SUPPLEMENT and not _is_pdf(path):
            report = _unchecked_archive(path, limit_mb * MB)
        else:
            report = precheck(path, limit_mb * MB) or run_isolated(
                path, spec_for(stored), max_bytes=limit_mb * MB, copy_to=copy_to
            )
        made = copy_to is not None and report.get("valid") and os.path.exists(copy_to)
        pipeline.apply_report(stored, report, review_copy=copy_to if made else None)
    return status_of(report)


@shared_task(name="submissions.sweep_checks")
def sweep_checks(*, older_than_seconds: int | None = None) -> int:
    """Queue again every check left pending (beat, every minute): never handed to the broker,
    or handed over longer ago than ``CHECK_REQUEUE_AFTER`` (its worker died). Returns how many
    were queued; a broker outage leaves the rest for the next run."""
    older_than = None if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    result = check_queue.requeue_stale_checks(older_than=older_than)
    if result.queued:
        logger.warning("Re-queued %s PDF check(s) left pending.", len(result.queued))
    return len(result.queued)


@shared_task(name="submissions.recheck_track")
def recheck_track(*, track_id: int) -> int:
    """Queue the check of every checked paper and supplement version of the track's
    submissions again (after its anonymity rule changed: findings, the reviewers' copies and
    which version reviewers get all depend on it). Returns how many were queued."""
    ids = list(
        SubmissionFile.objects.filter(
            submission__track_id=track_id,
            kind__in=[enums.FileKind.PAPER, enums.FileKind.SUPPLEMENT],
            check_status__in=enums.USABLE,
        )
        .order_by("submission_id", "created_at", "pk")
        .values_list("pk", flat=True)
    )
    for file_id in ids:
        process_file.delay(file_id=file_id)
    return len(ids)


def spec_for(stored: SubmissionFile) -> FormatSpec | None:
    """What a file of this kind must satisfy: the track's full spec for papers, anonymity only
        for supplements, format only for the camera-ready (as adjusted by the decisions app: its own
        page limit, see ``pipeline.register_spec``), for artifact appendices what the artifacts app
    registered (their page limit) or, without it, nothing."""
    track = stored.submission.track
    spec = FormatSpec.from_track(track, stored.submission.authors.all())
    if stored.kind == enums.FileKind.PAPER:
        return spec
    if stored.kind == enums.FileKind.SUPPLEMENT:
        return spec.only_anonymity()
    if stored.kind == enums.FileKind.CAMERA_READY:
        spec = spec.without_anonymity()
        adjust = pipeline.SPEC_ADJUSTERS.get(stored.kind)
        return adjust(stored, spec) if adjust is not None else spec
    if stored.kind == enums.FileKind.ARTIFACT_APPENDIX:
        # The artifacts app registers the appendix's page limit; without it, validity only.
        adjust = pipeline.SPEC_ADJUSTERS.get(stored.kind)
        return adjust(stored, spec.without_anonymity()) if adjust is not None else None
    return None


def _is_pdf(path: str) -> bool:
    with open(path, "rb") as handle:
        return b"%PDF-" in handle.read(1024)


def _unchecked_archive(path: str, max_bytes: int) -> dict:
    """A supplement that is not a PDF (a ZIP archive): only its size is checked."""
    bad = precheck(path, max_bytes)
    if bad is not None and bad["errors"][0]["code"] != "not_pdf":
        return bad
    report = empty_report()
    report["metrics"] = {"checked": False, "reason": "not a PDF"}
    return report


@contextmanager
def _local_copy(stored: SubmissionFile, max_bytes: int):
    """A filesystem path to the stored file: the file itself on local storage, else a
    temporary copy of at most ``max_bytes + 1`` bytes (enough to tell it is too large)."""
    storage = stored.file.storage
    if isinstance(storage, FileSystemStorage):
        path = storage.path(stored.file.name)
        yield path if os.path.exists(path) else None
        return
    if not storage.exists(stored.file.name):
        yield None
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        with storage.open(stored.file.name, "rb") as source:
            shutil.copyfileobj(_Capped(source, max_bytes + 1), copy)
        copy.flush()
        yield copy.name


class _Capped:
    def __init__(self, source, limit: int):
        self.source, self.left = source, limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.source.read(size)
        self.left -= len(data)
        return data


@shared_task(name="submissions.recompute_conflicts")
def recompute_conflicts_task(*, conference_id: int) -> dict | None:
    """Recompute the detected conflicts of one conference; quietly nothing if it is gone or
    archived (read-only: a member's profile change must not rewrite, e.g. delete, its
    conflicts and so open its papers to them)."""
    conference = archive.active_conferences().filter(pk=conference_id).first()
    if conference is None:
        return None
    result = recompute_conflicts(conference)
    return {"created": result.created, "updated": result.updated, "deleted": result.deleted}
