"""Stamping the camera-ready with the awarded badges: every write of a ``StampedPaper``.

A stamp is queued (a ``StampedPaper`` row, then the ``artifacts.stamp_camera_ready`` task after
commit) when an artifact's badges are published (:func:`stamp_after_publication`, connected to
``artifacts.signals.badges_published``), when a new final camera-ready passes its check after
publication (:func:`stamp_new_final`, connected to ``submissions.pipeline.file_checked``; one
that passed while another stamp ran is stamped when that one ends), and when an unconflicted AE
chair asks (:func:`request_stamp`). The task runs :func:`run_stamp`:
the PDF work happens in a limited child process (``artifacts.badges.stamping``) on a copy of
the final PDF, whose ``SubmissionFile`` is never written; the result is stored as a new file.

The status follows ``decisions.enums.BUILD_TRANSITIONS`` through
``mlsys.core.transitions.transition``, as the proceedings builds do: a stamp silent for
``STALE_AFTER`` is failed by the next start and its worker's late file dropped. When a stamp is
ready, the files of the paper's older stamps are removed (regenerated data; the rows stay).
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from artifacts.badges import queries, stamping
from artifacts.enums import ArtifactStatus
from artifacts.models import Artifact, StampedPaper
from decisions import enums as decision_enums
from decisions.camera_ready.queries import FINAL_OK
from decisions.proceedings.finals import final_pdf
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.viewer import require, user_of
from mlsys.core import audit, transitions
from submissions.enums import FileKind

logger = logging.getLogger(__name__)

B = decision_enums.BuildStatus
#: A queued or running stamp silent this long is taken as abandoned (its worker died).
STALE_AFTER = timedelta(minutes=30)
#: The final PDFs we stamp are camera-readies, at most this large (the pipeline's own caps are
#: per track and lower; this bounds the copy we make).
MAX_BYTES = 200 * 2**20


class StampRefused(Exception):
    """Nothing can be stamped now; the message says why, for people."""


def _transition(stamp: StampedPaper, status: str, *, actor=None, **fields) -> bool:
    return transitions.transition(
        stamp,
        status,
        table=decision_enums.BUILD_TRANSITIONS,
        action="artifacts.stamp_status",
        actor=actor,
        conference=stamp.submission.conference,
        note=fields.get("message", ""),
        **fields,
    )


# --- Queuing -----------------------------------------------------------------------------------


def request_stamp(artifact: Artifact, *, actor) -> StampedPaper:
    """Stamp the paper's current final PDF again, for an unconflicted AE chair (or program
    chair) once the artifact is published (PermissionDenied otherwise). StampRefused says why
    nothing can be stamped: no badge awarded, no final PDF, a stamp already running."""
    require(
        actor,
        "artifacts.stamp_paper",
        artifact,
        "Only an AE chair not conflicted with the paper stamps its camera-ready, once the "
        "badges are published.",
    )
    return _queue(artifact, actor=user_of(actor), reason="requested")


def stamp_after_publication(sender=None, *, artifact: Artifact, actor=None, **kwargs) -> None:
    """``badges_published`` receiver: queue the stamp (inside the move's transaction; the task
    runs after commit). No badge awarded or no final PDF yet: nothing to stamp (the artifact's
    page says so), not an error."""
    try:
        _queue(artifact, actor=user_of(actor) if actor is not None else None, reason="published")
    except StampRefused as exc:
        logger.info("Not stamping the camera-ready of artifact %s: %s", artifact.pk, exc)


def stamp_new_final(sender=None, *, file, status: str, **kwargs) -> None:
    """``file_checked`` receiver: a camera-ready that became the paper's final PDF after its
    artifact was published is stamped too. Anything else is ignored."""
    if file.kind != FileKind.CAMERA_READY or status not in FINAL_OK:
        return
    _stamp_final(file.submission_id, unless=lambda final: final.pk != file.pk)


def _stamp_final(submission_id: int, *, unless) -> None:
    """Queue a stamp of the paper's final PDF when its artifact is published (and not archived)
    and ``unless(final)`` is false; a refusal (another stamp running) is only logged."""
    artifact = (
        Artifact.objects.filter(submission_id=submission_id, status=ArtifactStatus.PUBLISHED)
        .select_related("submission__conference", "conference")
        .first()
    )
    if artifact is None or artifact.conference.archived_at is not None:
        return
    current = final_pdf(artifact.submission)
    if current is None or unless(current):
        return
    with transaction.atomic():
        try:
            _queue(artifact, actor=None, reason="new final PDF")
        except StampRefused as exc:
            logger.info("Not stamping the new final PDF %s: %s", current.pk, exc)


def _queue(artifact: Artifact, *, actor, reason: str) -> StampedPaper:
    with transaction.atomic():
        # Serialises concurrent requests for the same paper.
        locked = (
            Artifact.objects.select_for_update(of=("self",))
            .select_related("submission", "conference")
            .filter(pk=artifact.pk)
            .first()
        )
        if locked is None:
            raise StampRefused("This artifact no longer exists.")
        if locked.status != ArtifactStatus.PUBLISHED:
            raise StampRefused("The badges are not published yet: there is nothing to stamp.")
        submission = locked.submission
        submission.conference = locked.conference
        labels = [rb.badge.label for rb in queries.awarded(locked)]
        if not labels:
            raise StampRefused("No badge was awarded: there is nothing to stamp.")
        source = final_pdf(submission)
        if source is None:
            raise StampRefused(
                "The paper has no final PDF yet (a camera-ready that passed its check); it is "
                "stamped when one arrives."
            )
        _abandon_stale(submission)
        busy = queries.active_stamp(submission)
        if busy is not None:
            raise StampRefused(
                "The camera-ready is already being stamped "
                f"({busy.get_status_display().lower()}). Wait for it to finish."
            )
        stamp = StampedPaper.objects.create(submission=submission, source=source, badges=labels)
        audit.record(
            "artifacts.stamp_queued",
            actor=actor,
            target=stamp,
            conference=locked.conference,
            changes={"source": [None, source.pk], "badges": [None, labels]},
            note=reason,
        )
        enqueue_on_commit("artifacts.stamp_camera_ready", stamped_id=stamp.pk)
    return stamp


def _abandon_stale(submission) -> None:
    cutoff = timezone.now() - STALE_AFTER
    for stamp in StampedPaper.objects.filter(
        submission=submission, status__in=queries.ACTIVE_STAMPS, updated_at__lt=cutoff
    ).select_related("submission__conference"):
        _transition(
            stamp,
            B.FAILED,
            message="Abandoned: the stamp reported nothing for 30 minutes.",
            finished_at=timezone.now(),
        )


# --- Running -----------------------------------------------------------------------------------


def run_stamp(stamp: StampedPaper) -> StampedPaper:
    """Stamp ``stamp.source`` with the artifact's awarded badges and store the result; mark the
    stamp ready (with the labels drawn and any warning as its message) or failed with a message
    for people (a bad PDF is a failed stamp, never an exception).

    Idempotent: a finished stamp is returned unchanged; a running one the queue restarts is
    stamped again from scratch."""
    stamp = StampedPaper.objects.select_related(
        "submission__conference", "submission__artifact", "source"
    ).get(pk=stamp.pk)
    if not _transition(stamp, B.RUNNING, message=""):
        return stamp
    badges = [
        (rb.badge.label, rb.badge.colour) for rb in queries.awarded(stamp.submission.artifact)
    ]
    try:
        stored, answer = _stamp_and_store(stamp, badges)
    except Exception:
        # Whatever went wrong must end the stamp, or its page would wait forever.
        logger.exception("Stamping %s failed", stamp.pk)
        _transition(
            stamp,
            B.FAILED,
            message="The stamp failed unexpectedly; the details are in the worker log.",
            finished_at=timezone.now(),
        )
        _stamp_newer_final(stamp)
        return stamp
    if stored is None:
        _transition(stamp, B.FAILED, message=answer["message"], finished_at=timezone.now())
        _stamp_newer_final(stamp)
        return stamp
    with transaction.atomic():
        moved = _transition(
            stamp,
            B.READY,
            file=stored,
            badges=[label for label, _ in badges],
            message=" ".join(answer.get("warnings") or []),
            finished_at=timezone.now(),
        )
        if moved:
            older = list(
                StampedPaper.objects.filter(submission=stamp.submission)
                .exclude(pk=stamp.pk)
                .exclude(file="")
            )
            StampedPaper.objects.filter(pk__in=[s.pk for s in older]).update(file="")
            transaction.on_commit(lambda: _delete_files(older))
    if not moved:
        logger.warning("Stamp %s finished after it was abandoned; dropped", stamp.pk)
        StampedPaper._meta.get_field("file").storage.delete(stored)
        stamp.refresh_from_db()
    else:
        _stamp_newer_final(stamp)
    return stamp


def _stamp_newer_final(stamp: StampedPaper) -> None:
    """After a stamp ends: a newer final PDF that passed its check while it ran (its own stamp
    refused then, one stamp at a time; camera-ready versions queue behind each other and pass
    back to back) is stamped now, so the newest final does not stay unstamped."""
    _stamp_final(stamp.submission_id, unless=lambda final: final.pk == stamp.source_id)


def _stamp_and_store(stamp: StampedPaper, badges: list[tuple[str, str]]):
    """(stored name, answer) on success, (None, answer) when the PDF could not be stamped."""
    with tempfile.TemporaryDirectory(prefix="stamp-") as scratch:
        source = os.path.join(scratch, "final.pdf")
        target = os.path.join(scratch, "stamped.pdf")
        try:
            _copy(stamp.source.file, source)
        except FileNotFoundError:
            return None, {"message": "The final PDF is missing from storage."}
        except _TooLarge:
            return None, {"message": "The final PDF is too large to be stamped."}
        answer = stamping.stamp(source, target, badges, max_bytes=MAX_BYTES)
        if not answer.get("ok"):
            return None, answer
        field = StampedPaper._meta.get_field("file")
        name = field.generate_filename(stamp, f"paper-{stamp.submission.number}-badges.pdf")
        with open(target, "rb") as handle:
            stored = field.storage.save(name, File(handle), max_length=field.max_length)
    return stored, answer


class _TooLarge(Exception):
    pass


def _copy(stored, path: str) -> None:
    """Copy the stored file (read-only) to ``path``, at most MAX_BYTES + 1 bytes."""
    copied = 0
    with stored.open("rb") as source, open(path, "wb") as target:
        while chunk := source.read(1024 * 1024):
            copied += len(chunk)
            if copied > MAX_BYTES:
                raise _TooLarge
            target.write(chunk)


def _delete_files(stamps: list[StampedPaper]) -> None:
    for old in stamps:
        try:
            old.file.storage.delete(old.file.name)
        except OSError:  # already gone: nothing to free
            logger.warning("Could not delete %s", old.file.name)
