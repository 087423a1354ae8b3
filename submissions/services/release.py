"""A chair's explicit release of a paper version that failed the anonymity check.

Reviewers never get such a version (``Submission.reviewer_paper`` skips it) until a chair who
is not conflicted with the paper releases it here, e.g. after deciding the finding is harmless
(a cited namesake). The release is audited and can be given only once per version.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mlsys.conferences.viewer import acting
from mlsys.core import audit
from submissions import enums, pipeline
from submissions.models import Submission, SubmissionFile


def release_to_reviewers(
    *, file: SubmissionFile, actor, now: datetime | None = None
) -> SubmissionFile:
    """Let reviewers download ``file`` (a paper version whose anonymity check failed).

    Raises PermissionDenied unless ``actor`` holds ``submissions.release_for_reviewers`` on the
    submission (chairs, not when conflicted); ValidationError when the file is not a paper,
    did not fail the anonymity check, or is already released. The submission's reviewer
    version then moves to the newest version reviewers may get (this one, unless a newer one
    passed).
    """
    viewer, actor = acting(actor)
    if not viewer.has_perm("submissions.release_for_reviewers", file.submission):
        raise PermissionDenied("Only a chair without a conflict with this paper can release it.")
    with transaction.atomic():
        submission = Submission.objects.select_for_update(of=("self",)).get(pk=file.submission_id)
        locked = SubmissionFile.objects.select_for_update(of=("self",)).get(pk=file.pk)
        if locked.kind != enums.FileKind.PAPER:
            raise ValidationError("Only paper versions are served to reviewers.")
        if not locked.anonymity_failed:
            raise ValidationError("This version passed the anonymity check; nothing to release.")
        if locked.released_at is not None:
            raise ValidationError("This version was already released to reviewers.")
        locked.released_at = now or timezone.now()
        locked.released_by = actor
        locked.save(update_fields=["released_at", "released_by", "updated_at"])
        changes = pipeline.recompute_current(submission, locked.kind)
        audit.record(
            "submissions.released_for_reviewers",
            actor=actor,
            target=locked,
            conference=submission.conference,
            changes={"released_at": [None, locked.released_at.isoformat()], **changes},
            note="; ".join(
                e.get("message", "")
                for e in (locked.report or {}).get("errors") or []
                if str(e.get("code", "")).startswith("anonymity_")
            )[:1000],
        )
    return locked
