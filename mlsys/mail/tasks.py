"""Deliver the outbox. ``send_outbound`` sends one email; ``sweep_outbox`` (beat, every minute)
sends whatever is still pending, e.g. after a broker outage or a worker crash.
"""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from mlsys.mail.models import OutboundEmail

log = logging.getLogger(__name__)
RETRYABLE = (smtplib.SMTPException, OSError)


@shared_task(name="mail.send_outbound", bind=True, max_retries=5, acks_late=True)
def send_outbound(self, *, email_id: int) -> str:
    try:
        return deliver(email_id)
    except RETRYABLE as exc:
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc


def deliver(email_id: int) -> str:
    """Send one pending email exactly once; a row already sent (or gone) is left alone.

    A transport error is recorded on the row (which stays pending until MAX_ATTEMPTS) and then
    re-raised so the task can retry.
    """
    error = None
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboundEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return "skipped"
        email.attempts += 1
        try:
            EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=email.to,
                reply_to=email.reply_to or None,
            ).send()
        except RETRYABLE as exc:
            error = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= OutboundEmail.MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error", "updated_at"])
    if error is None:
        return "sent"
    if email.status == OutboundEmail.Status.FAILED:
        log.error("Giving up on email %s after %s attempts: %s", email.pk, email.attempts, error)
        return "failed"
    raise error


@shared_task(name="mail.sweep_outbox")
def sweep_outbox(*, older_than_seconds: int = 30, limit: int = 500) -> int:
    """Send pending emails older than ``older_than_seconds`` (younger ones have a task queued)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for email_id in ids:
        try:
            sent += deliver(email_id) == "sent"
        except RETRYABLE as exc:
            log.warning("Sweep could not send email %s: %s", email_id, exc)
    return sent
