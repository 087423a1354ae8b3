"""The outbox's part of /healthz?full=1 (registered in ``MailConfig.ready``)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from mlsys.core.health import age_seconds
from mlsys.mail.models import OutboundEmail

FAILED_WINDOW = timedelta(hours=24)


def outbox() -> dict:
    """Mail waiting longer than ``HEALTH_MAIL_PENDING_AFTER`` and mail that failed in the last
    24 hours, in one query. Not essential: the site works while SMTP is down and the outbox
    keeps every email, so this degrades /healthz?full=1 instead of failing it."""
    now = timezone.now()
    limit = settings.HEALTH_MAIL_PENDING_AFTER
    waiting = Q(status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING])
    found = OutboundEmail.objects.aggregate(
        overdue=Count("pk", filter=waiting & Q(created_at__lt=now - timedelta(seconds=limit))),
        oldest=Min("created_at", filter=waiting),
        failed=Count(
            "pk",
            filter=Q(status=OutboundEmail.Status.FAILED, updated_at__gte=now - FAILED_WINDOW),
        ),
    )
    return {
        "ok": found["overdue"] == 0 and found["failed"] == 0,
        "overdue": found["overdue"],
        "oldest_unsent_s": age_seconds(found["oldest"]),
        "failed_last_24h": found["failed"],
        "limit_s": limit,
    }
