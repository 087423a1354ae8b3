"""The outbox's part of /healthz?full=1 (registered in ``MailConfig.ready``), built on the
outbox's own figures (:func:`mlsys.mail.queries.outbox_health`)."""

from django.conf import settings

from mlsys.mail.queries import outbox_health


def outbox() -> dict:
    """Not healthy when an email has waited longer than ``HEALTH_MAIL_PENDING_AFTER`` (SMTP has
    been failing that long), when a due email is not being tried (the sweep or the mail worker
    is not running), or when an email failed in the last 24 hours. Not essential: the site works
    while SMTP is down and the outbox keeps every email, so this degrades /healthz?full=1
    instead of failing it. One query."""
    figures = outbox_health()
    limit = settings.HEALTH_MAIL_PENDING_AFTER
    oldest = figures["oldest_unsent_seconds"]
    waited_too_long = oldest is not None and oldest > limit
    return {
        "ok": not waited_too_long and not figures["overdue"] and not figures["failed_last_day"],
        "retrying": figures["retrying"],
        "overdue": figures["overdue"],
        "oldest_unsent_s": oldest,
        "failed": figures["failed"],
        "failed_last_24h": figures["failed_last_day"],
        "limit_s": limit,
    }
