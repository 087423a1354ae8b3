"""Deliver the outbox. ``send_outbound`` sends one email; ``sweep_outbox`` (beat, every minute)
sends whatever is still pending, e.g. after a broker outage or a worker crash, after putting back
the rows a dead worker had claimed.
"""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mlsys.mail.models import OutboundEmail

log = logging.getLogger(__name__)
RETRYABLE = (smtplib.SMTPException, OSError)
# A claim older than this is taken to be a worker that died mid-send. Far longer than an SMTP
# exchange (EMAIL_TIMEOUT), so a slow send is not sent twice.
CLAIM_TIMEOUT = timedelta(minutes=15)


@shared_task(name="mail.send_outbound", bind=True, max_retries=5, acks_late=True)
def send_outbound(self, *, email_id: int) -> str:
    try:
        return deliver(email_id)
    except RETRYABLE as exc:
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc


def deliver(email_id: int) -> str:
    """Send one pending email exactly once; a row already sent, being sent, or gone is left alone.

    Three short steps, so no row lock or transaction is held while SMTP talks: claim the row with
    a conditional update (only one worker can move it from ``pending`` to ``sending``), send, then
    record the result. A transport error is recorded on the row, which goes back to ``pending``
    (``failed`` after MAX_ATTEMPTS), and is re-raised so the task can retry.
    """
    claimed_at = timezone.now()
    with transaction.atomic():
        claimed = OutboundEmail.objects.filter(
            pk=email_id, status=OutboundEmail.Status.PENDING
        ).update(
            status=OutboundEmail.Status.SENDING,
            claimed_at=claimed_at,
            attempts=F("attempts") + 1,
            updated_at=claimed_at,
        )
    email = OutboundEmail.objects.filter(pk=email_id).first() if claimed else None
    if email is None:
        return "skipped"
    try:
        EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=email.to,
            reply_to=email.reply_to or None,
        ).send()
    except Exception as exc:
        gave_up = email.attempts >= OutboundEmail.MAX_ATTEMPTS
        _record(
            email_id,
            claimed_at,
            status=OutboundEmail.Status.FAILED if gave_up else OutboundEmail.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        if gave_up and isinstance(exc, RETRYABLE):
            log.error("Giving up on email %s after %s attempts: %s", email_id, email.attempts, exc)
            return "failed"
        raise
    _record(
        email_id,
        None,  # it was sent: record that even if the sweep re-queued the claim meanwhile
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
    )
    return "sent"


def _record(email_id: int, claimed_at, *, status: str, **fields) -> None:
    """Store the outcome of our claim made at ``claimed_at`` (a failure is not recorded over a
    claim the sweep has re-queued meanwhile); ``claimed_at=None`` records it over any unsent
    state."""
    rows = OutboundEmail.objects.filter(pk=email_id)
    if claimed_at is None:
        rows = rows.filter(status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING])
    else:
        rows = rows.filter(status=OutboundEmail.Status.SENDING, claimed_at=claimed_at)
    with transaction.atomic():
        updated = rows.update(status=status, claimed_at=None, updated_at=timezone.now(), **fields)
    if not updated:
        log.warning("Email %s was re-queued by the sweep while a worker was sending it.", email_id)


def requeue_stale_claims(now=None) -> int:
    """Put back to ``pending`` the rows claimed longer than CLAIM_TIMEOUT ago (worker died)."""
    cutoff = (now or timezone.now()) - CLAIM_TIMEOUT
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff
    ).update(status=OutboundEmail.Status.PENDING, claimed_at=None, updated_at=timezone.now())


@shared_task(name="mail.sweep_outbox")
def sweep_outbox(*, older_than_seconds: int = 30, limit: int = 500) -> int:
    """Send pending emails older than ``older_than_seconds`` (younger ones have a task queued)."""
    requeued = requeue_stale_claims()
    if requeued:
        log.warning("Re-queued %s email(s) whose worker stopped while sending.", requeued)
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
