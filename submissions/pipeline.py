"""Storing uploaded files and recording their check results.

The web process only stores bytes and enqueues ``submissions.process_file``; the task parses
the PDF in a child process (see :mod:`submissions.pdfcheck`) and calls :func:`apply_report`.
Size limits and deadlines are the caller's business (``submissions.services.uploads``).
"""

import errno
import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from mlsys.core import audit
from submissions import check_queue, enums
from submissions.models import Submission, SubmissionFile
from submissions.pdfcheck import FormatSpec, status_of
from submissions.pdfcheck.report import issue

logger = logging.getLogger(__name__)

#: Sent after commit when a file's check result is first recorded or changes (not when the same
#: report is recorded again): ``file``, ``status`` (a CheckStatus value).
file_checked = Signal()

MAX_NAME = 255
#: Which Submission field points at the version that counts, per file kind.
CURRENT_FIELD = {
    enums.FileKind.PAPER: "current_paper",
    enums.FileKind.SUPPLEMENT: "current_supplement",
}
#: Per file kind, ``adjust(stored_file, track_spec) -> spec``: how the app that owns a kind's
#: rules changes the track's spec for it (decisions: the camera-ready's own page limit and
#: format). Registered with :func:`register_spec`; a kind without one keeps the default.
SPEC_ADJUSTERS: dict[str, Callable[[SubmissionFile, FormatSpec], FormatSpec]] = {}
#: Reports are stored without the extracted text (it has its own column).
REPORT_KEYS = (
    "valid",
    "pages",
    "pages_before_references",
    "errors",
    "warnings",
    "metrics",
    "anonymity",
    "review_copy_removed",
)


def register_spec(kind: str, adjust: Callable[[SubmissionFile, FormatSpec], FormatSpec]) -> None:
    """Let ``adjust`` choose the spec files of ``kind`` are checked against (see
    :data:`SPEC_ADJUSTERS`); called from an app's ``ready``."""
    SPEC_ADJUSTERS[kind] = adjust


def clean_filename(name: str, *, fallback: str = "file") -> str:
    """A readable, harmless version of an uploaded file's name: no directories, no control
    characters, Unicode normalised, at most 255 characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return fallback
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if 0 < len(suffix) <= 10 else ""
        name = name[: MAX_NAME - len(suffix)].rstrip(" .") + suffix
    return name


def store_file(
    *,
    submission: Submission,
    kind: str,
    name: str,
    data_or_file: bytes | IO[bytes] | File,
    uploaded_by: Any,
) -> SubmissionFile:
    """Save a new file version (status pending) and queue its check after commit.

    Streams the data once for the sha256 and size. Never replaces or deletes an earlier
    version; the submission's current version changes only when a check finishes. Raises
    :class:`StorageFailed` (nothing stored) when the storage cannot keep the bytes; a broker
    outage does not fail it (the check is left for the sweep, :mod:`submissions.check_queue`).
    """
    if isinstance(data_or_file, bytes | bytearray):
        content: File = ContentFile(bytes(data_or_file))
    elif isinstance(data_or_file, File):
        content = data_or_file
    else:
        content = File(data_or_file)
    digest = hashlib.sha256()
    size = 0
    head = b""
    content.seek(0)
    for chunk in content.chunks():
        if not head:
            head = chunk[:8]
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    original = clean_filename(name, fallback=f"{kind}.pdf")
    with transaction.atomic():
        stored = SubmissionFile(
            submission=submission,
            kind=kind,
            original_name=original,
            sha256=digest.hexdigest(),
            size=size,
            content_type=_sniff(head),
            uploaded_by=uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None,
            check_status=enums.CheckStatus.PENDING,
            # Set now to spare the upload a second write; cleared if the broker refuses it.
            check_queued_at=timezone.now(),
        )
        stored.file.name = _save_bytes(stored, original, content)
        stored.save()
        transaction.on_commit(lambda: _enqueue(stored.pk))
    return stored


def _enqueue(file_id: int) -> None:
    check_queue.queue_check(file_id)


class StorageFailed(ValidationError):
    """The storage could not keep an upload (disk full, quota, I/O error). Nothing of it is
    left behind and no row is written. A ValidationError, so every upload form shows its
    message; the paper upload page and API answer 503 for it (it is no fault of the input)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="storage_failed")


def _save_bytes(stored: SubmissionFile, original: str, content: File) -> str:
    """Write ``content`` to the storage under a fresh name and return it. On failure, remove
    whatever part of it was written (the storage would leave a truncated file with the
    default mode behind) and raise :class:`StorageFailed`."""
    field = stored.file.field
    storage = stored.file.storage
    name = storage.get_available_name(
        field.generate_filename(stored, original), max_length=field.max_length
    )
    try:
        return storage.save(name, content, max_length=field.max_length)
    except OSError as exc:
        logger.error(
            "Storing an upload for submission %s failed (%s); nothing was kept.",
            stored.submission_id,
            exc,
        )
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Removing the partial upload %s failed", name)
        full = getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
        raise StorageFailed(
            "The server could not store your file"
            + (" (its disk is full)" if full else "")
            + "; your previous version is unchanged. Please try again later: "
            "the error has been logged for the administrators."
        ) from exc


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "application/zip"
    return "application/octet-stream"


def apply_report(
    file: SubmissionFile, report: dict[str, Any], *, review_copy: str | None = None
) -> SubmissionFile | None:
    """Record a check ``report`` on ``file`` and make the newest usable version of its kind the
    submission's current one (an older check finishing late, or an unusable upload, never
    displaces a newer good version). Idempotent: the same report twice changes nothing the
    second time. Writes an audit event when the status or the current version changes, and
    sends :data:`file_checked` after commit when the result changed. Returns None if the file
    is gone.

    ``review_copy`` is the path of the anonymised copy the checker wrote: it is saved to the
    storage under the file's fixed review-copy name, replacing the previous copy (so a re-run
    rewrites the same file). If the storage refuses it, a ``review_copy`` warning is appended
    to ``report`` (in place) instead; the check itself never fails for it."""
    copy_name = _store_review_copy(file, review_copy) if review_copy is not None else None
    if review_copy is not None and copy_name is None:
        report.setdefault("warnings", []).append(
            issue(
                "review_copy",
                "An anonymised copy for reviewers could not be stored; reviewers cannot "
                "download the paper until it is re-checked or a new version is uploaded.",
            )
        )
    text = report.get("text", "") or ""
    stored_report = {key: report.get(key) for key in REPORT_KEYS}
    status = status_of(report)
    anonymity_failed = names_authors(report)
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",)).filter(pk=file.submission_id).first()
        )
        locked = SubmissionFile.objects.select_for_update(of=("self",)).filter(pk=file.pk).first()
        if submission is None or locked is None:
            return None
        before = audit.snapshot(
            locked, ["check_status", "pages", "pages_before_references", "anonymity_failed"]
        )
        changed = (
            locked.check_status != status
            or locked.report != stored_report
            or locked.text != text
            or locked.anonymity_failed != anonymity_failed
        )
        if changed:
            locked.check_status = status
            locked.anonymity_failed = anonymity_failed
            locked.pages = report.get("pages")
            locked.pages_before_references = report.get("pages_before_references")
            locked.text = text
            locked.report = stored_report
            locked.checked_at = timezone.now()
            locked.save(
                update_fields=[
                    "check_status",
                    "pages",
                    "pages_before_references",
                    "text",
                    "report",
                    "checked_at",
                    "anonymity_failed",
                    "updated_at",
                ]
            )
        current_changes = recompute_current(submission, locked.kind)
        if copy_name is not None and locked.review_copy.name != copy_name:
            current_changes["review_copy"] = [locked.review_copy.name or None, copy_name]
            locked.review_copy = copy_name
            locked.save(update_fields=["review_copy", "updated_at"])
        if changed or current_changes:
            audit.record(
                "submissions.file_checked",
                target=locked,
                conference=submission.conference,
                changes={**audit.diff(before, locked), **current_changes},
                note="; ".join(e["message"] for e in stored_report["errors"] or [])[:1000],
            )
        if changed:
            transaction.on_commit(
                lambda: file_checked.send(sender=SubmissionFile, file=locked, status=status)
            )
    return locked


def names_authors(report: dict[str, Any]) -> bool:
    """Did the anonymity check find the authors where reviewers would see them (an
    ``anonymity_*`` error; places the reviewers' copy leaves out are only warnings)?"""
    return any(
        isinstance(error, dict) and str(error.get("code", "")).startswith("anonymity_")
        for error in report.get("errors") or []
    )


def _store_review_copy(file: SubmissionFile, path: str) -> str | None:
    """Save the checker's copy at ``path`` under the file's fixed review-copy name; the stored
    name, or None if the storage failed (logged)."""
    field = SubmissionFile._meta.get_field("review_copy")
    name = field.generate_filename(file, "review-copy.pdf")
    try:
        # Deleted first: storages never overwrite, they would pick another name.
        field.storage.delete(name)
        with open(path, "rb") as handle:
            return field.storage.save(name, File(handle), max_length=field.max_length)
    except OSError:
        logger.exception("Storing the review copy of file %s failed", file.pk)
        return None


def recompute_current(submission: Submission, kind: str) -> dict[str, list]:
    """Point the submission at the newest usable version of ``kind`` and, for papers, at the
    newest usable one reviewers may get (not failing anonymity, or released by a chair): a
    failing upload counts for the author but never replaces what reviewers read. Saves and
    returns ``{field: [old, new]}`` for what changed."""
    field = CURRENT_FIELD.get(kind)
    if field is None:
        return {}
    usable = SubmissionFile.objects.filter(
        submission=submission, kind=kind, check_status__in=enums.USABLE
    ).order_by("-created_at", "-pk")
    wanted = {field: usable.values_list("pk", flat=True).first()}
    if kind == enums.FileKind.PAPER:
        wanted["reviewer_paper"] = (
            usable.exclude(anonymity_failed=True, released_at__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
    changes = {}
    for name, newest in wanted.items():
        old = getattr(submission, f"{name}_id")
        if old != newest:
            setattr(submission, f"{name}_id", newest)
            changes[name] = [old, newest]
    if changes:
        submission.save(update_fields=[*changes, "updated_at"])
    return changes
