"""The submissions' part of /healthz?full=1 (registered in ``SubmissionsConfig.ready``)."""

from django.conf import settings
from django.db.models import Count, Min

from mlsys.core.health import age_seconds
from submissions.enums import CheckStatus
from submissions.models import SubmissionFile


def pending_checks() -> dict:
    """The oldest upload whose check has not finished, in one query. Checks take seconds; one
    pending longer than ``HEALTH_CHECK_PENDING_AFTER`` means checks are not running (no worker
    on the ``checks`` queue, a lost message) and its author is waiting, so it fails."""
    found = SubmissionFile.objects.filter(check_status=CheckStatus.PENDING).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    age = age_seconds(found["oldest"])
    limit = settings.HEALTH_CHECK_PENDING_AFTER
    return {
        "ok": age is None or age <= limit,
        "pending": found["count"],
        "oldest_pending_s": age,
        "limit_s": limit,
    }
