"""The artifact appendix PDF: uploaded through the submissions pipeline (kind
``artifact_appendix``), checked as a valid PDF within the conference's page limit
(``AESettings.appendix_page_limit``; no anonymity check, the paper is accepted).

Every upload is kept; ``Artifact.appendix`` points at the newest version that passed (with or
without warnings), so a failing upload never replaces the good one. Served through
mlsys.core.files as "artifact-appendix" (artifacts.download_appendix).
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from artifacts.models import AESettings, Artifact
from mlsys.conferences.viewer import require
from mlsys.core import audit
from submissions import pipeline
from submissions.enums import CheckStatus, FileKind
from submissions.models import SubmissionFile
from submissions.pdfcheck import FormatSpec
from submissions.services.uploads import check_upload, check_waiting_versions

MAX_MB = 20
GOOD = (CheckStatus.PASSED, CheckStatus.WARNINGS)


def appendix_spec(stored: SubmissionFile, spec: FormatSpec) -> FormatSpec:
    """Registered with the pipeline: only the appendix page limit (no format, no anonymity)."""
    row = AESettings.objects.filter(conference_id=stored.submission.conference_id).first()
    return FormatSpec(page_limit=row.appendix_page_limit if row else 4)


def versions(artifact) -> list[SubmissionFile]:
    """Every appendix upload of the artifact's paper, newest first."""
    return list(
        SubmissionFile.objects.filter(
            submission_id=artifact.submission_id, kind=FileKind.ARTIFACT_APPENDIX
        ).order_by("-created_at", "-pk")
    )


def upload_appendix(*, artifact, actor, upload: UploadedFile) -> SubmissionFile:
    """Store a new appendix version and start its check. Refused (ValidationError keyed
    ``appendix``) for an empty, oversized or non-PDF file, or while ``MAX_UNCHECKED_VERSIONS``
    earlier uploads still wait for their check; a refusal stores nothing."""
    _viewer, user = require(
        actor,
        "artifacts.edit_registration",
        artifact,
        "The registration of this artifact cannot be changed now.",
    )
    check_upload(upload, limit_mb=MAX_MB, limit="the appendix may be", field="appendix")
    with transaction.atomic():
        locked = Artifact.objects.select_for_update().get(pk=artifact.pk)
        # A version uploaded while another is checked queues behind it (the newest that passes
        # counts), up to a few, as for the paper and the camera-ready.
        check_waiting_versions(locked.submission, FileKind.ARTIFACT_APPENDIX, field="appendix")
        stored = pipeline.store_file(
            submission=artifact.submission,
            kind=FileKind.ARTIFACT_APPENDIX,
            name=upload.name or "",
            data_or_file=upload,
            uploaded_by=user,
        )
        audit.record(
            "artifacts.appendix_uploaded",
            actor=user,
            target=stored,
            conference=artifact.conference,
            changes={"sha256": [None, stored.sha256], "size": [None, stored.size]},
        )
    return stored


def on_file_checked(sender, file, status, **kwargs) -> None:
    """``submissions.pipeline.file_checked`` receiver: point the artifact at the newest
    appendix that passed."""
    if file.kind != FileKind.ARTIFACT_APPENDIX:
        return
    with transaction.atomic():
        artifact = (
            Artifact.objects.select_for_update().filter(submission_id=file.submission_id).first()
        )
        if artifact is None:
            return
        newest = (
            SubmissionFile.objects.filter(
                submission_id=file.submission_id,
                kind=FileKind.ARTIFACT_APPENDIX,
                check_status__in=GOOD,
            )
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if newest != artifact.appendix_id:
            before = artifact.appendix_id
            Artifact.objects.filter(pk=artifact.pk).update(
                appendix_id=newest, updated_at=timezone.now()
            )
            audit.record(
                "artifacts.appendix_current",
                target=artifact,
                changes={"appendix": [before, newest]},
            )
