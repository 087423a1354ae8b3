"""Author uploads of the paper PDF and the supplementary material."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import pluralize

from mlsys.conferences.viewer import acting
from mlsys.core import audit
from submissions import enums, pipeline, queries
from submissions.models import Submission, SubmissionFile
from submissions.services.editing import submission_is_editable

PDF_MAGIC = b"%PDF-"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MB = 1024 * 1024
#: At most this many versions of one paper (or supplement) may wait for their check at a time.
#: Co-authors uploading at once are queued as successive versions (the newest usable one counts
#: once checked); the cap only stops one account flooding the checkers.
MAX_UNCHECKED_VERSIONS = 3


def upload_paper(
    *, submission: Submission, actor, upload: UploadedFile, now: datetime | None = None
) -> SubmissionFile:
    """Store a new version of the paper PDF and start its check.

    Refused (ValidationError keyed ``file``) when the file is over the track's size limit, does
    not start with ``%PDF-``, or :data:`MAX_UNCHECKED_VERSIONS` earlier versions still wait for
    their check; refused after the submission deadline (plus grace), exact to the second. A
    refusal stores nothing, so the previous version stays the current one. A version uploaded
    while an earlier one is being checked is queued behind it: the pipeline keeps every version
    and makes the newest usable one current once its check finishes, whichever check finishes
    first. Raises ``pipeline.StorageFailed`` (nothing stored) when the storage cannot keep it.
    """
    return _upload(
        submission=submission,
        actor=actor,
        upload=upload,
        kind=enums.FileKind.PAPER,
        now=now,
    )


def upload_supplement(
    *, submission: Submission, actor, upload: UploadedFile, now: datetime | None = None
) -> SubmissionFile:
    """Store a new version of the supplementary material (a ZIP archive or a PDF).

    Same rules as :func:`upload_paper`, with the track's supplement size limit.
    """
    return _upload(
        submission=submission,
        actor=actor,
        upload=upload,
        kind=enums.FileKind.SUPPLEMENT,
        now=now,
    )


def _upload(*, submission, actor, upload, kind, now) -> SubmissionFile:
    viewer, actor = acting(actor)
    if not viewer.has_perm("submissions.change_submission", submission):
        raise PermissionDenied("Only the authors can upload files for this submission.")
    # Judged at the request's arrival (viewer.now), not when a busy worker got to it.
    now = now or viewer.now
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("conference", "track")
            .get(pk=submission.pk)
        )
        timeline = locked.conference.timeline(now)
        if not submission_is_editable(locked, timeline):
            if not timeline.can_update_submission():
                raise ValidationError(
                    {"file": f"{timeline.submission_closed_words()}; uploads are closed."},
                    code="closed",
                )
            raise ValidationError(
                {"file": f"A {locked.get_status_display().lower()} submission takes no uploads."},
                code="status",
            )
        _check_content(locked.track, kind, upload)
        check_waiting_versions(locked, kind)
        stored = pipeline.store_file(
            submission=locked,
            kind=kind,
            name=upload.name or "",
            data_or_file=upload,
            uploaded_by=actor,
        )
        audit.record(
            f"submissions.{kind}_uploaded",
            actor=actor,
            target=stored,
            conference=locked.conference,
            changes={"sha256": [None, stored.sha256], "size": [None, stored.size]},
        )
    return stored


def check_waiting_versions(submission: Submission, kind: str, *, field: str = "file") -> None:
    """Refuse a version beyond :data:`MAX_UNCHECKED_VERSIONS` waiting for their check, saying
    how long the checkers' queue takes at its recent pace. Call it under the row lock that
    serialises these uploads (the submission's for the paper, supplement and camera-ready, the
    artifact's for its appendix), so co-authors uploading at once are counted one after the
    other. The refusal is keyed ``field``."""
    waiting = SubmissionFile.objects.filter(
        submission=submission, kind=kind, check_status=enums.CheckStatus.PENDING
    ).count()
    if waiting < MAX_UNCHECKED_VERSIONS:
        return
    backlog = queries.check_backlog()
    raise ValidationError(
        {
            field: (
                f"{waiting} earlier versions of this {enums.FileKind(kind).label.lower()} are "
                f"still waiting for their check, and at most {MAX_UNCHECKED_VERSIONS} may wait "
                f"at a time. The server has {backlog.pending} "
                f"check{pluralize(backlog.pending)} queued, which take {backlog.wait_words()}; "
                "upload again once one of yours is checked (this page shows it). Your "
                "current version is unchanged."
            )
        },
        code="pending",
    )


def _check_content(track, kind: str, upload: UploadedFile) -> None:
    if kind == enums.FileKind.PAPER:
        check_upload(upload, limit_mb=track.max_paper_mb, limit=f"the {track} track accepts")
    else:
        check_upload(
            upload,
            limit_mb=track.max_supplement_mb,
            limit=f"the {track} track accepts",
            what="supplementary file",
            zip_ok=True,
        )


def check_upload(
    upload: UploadedFile,
    *,
    limit_mb: int,
    limit: str,
    field: str = "file",
    what: str = "PDF",
    zip_ok: bool = False,
) -> None:
    """Refuse, before anything is stored, an empty or oversized upload, or one that is not a PDF
    (nor a ZIP archive, with ``zip_ok``), with a ValidationError keyed ``field``. ``limit`` says
    whose size limit it is ("the Research track accepts" → "… accepts at most 20 MB.")."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: "The file is empty."}, code="empty")
    if size > limit_mb * MB:
        raise ValidationError(
            {field: f"The {what} is {size / MB:.1f} MB; {limit} at most {limit_mb} MB."},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC) or (zip_ok and head.startswith(ZIP_MAGICS)):
        return
    if zip_ok:
        raise ValidationError(
            {field: "Supplementary material must be a ZIP archive or a PDF."}, code="bad_type"
        )
    raise ValidationError(
        {field: "This is not a PDF file (it does not start with %PDF-)."}, code="not_pdf"
    )
