"""Deliver the outbox. ``send_outbound`` makes the first attempt at one email, queued when its
row commits; ``sweep_outbox`` (beat, every minute) is the only retry loop: it sends the pending
rows whose ``next_attempt_at`` has passed (after a transient SMTP fault, a broker outage or a
worker crash), after putting back the rows a dead worker had claimed. When to try again and what
is permanent is mlsys.mail.schedule's.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mlsys.mail import schedule
from mlsys.mail.models import OutboundEmail

log = logging.getLogger(__name__)
# A claim older than this is taken to be a worker that died mid-send. Far longer than an SMTP
# exchange (EMAIL_TIMEOUT), so a slow send is not sent twice.
CLAIM_TIMEOUT = timedelta(minutes=15)


@shared_task(name="mail.send_outbound", acks_late=True)
def send_outbound(*, email_id: int) -> str:
    """One attempt; a transient failure is left on the row for the sweep (no task retries: two
    retry loops spent the same attempts and gave up in minutes, issue 13)."""
    return deliver(email_id)


def deliver(email_id: int, *, now: datetime | None = None) -> str:
    """Try to send one pending email; a row already sent, being sent, or gone is left alone.

    Three short steps, so no row lock or transaction is held while SMTP talks: claim the row with
    a conditional update (only one worker can move it from ``pending`` to ``sending``), send, then
    record the result: ``sent``; ``failed`` for a permanent refusal or once ``give_up_at`` has
    passed; else ``pending`` again with ``next_attempt_at`` set by the backoff. Returns "sent",
    "skipped", "failed" or "retry" and never raises for a failed send.
    """
    claimed_at = now or timezone.now()
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
        return _record_failure(email, claimed_at, exc)
    _record(
        email_id,
        None,  # it was sent: record that even if the sweep re-queued the claim meanwhile
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return "sent"


def _record_failure(email: OutboundEmail, claimed_at: datetime, exc: Exception) -> str:
    error = schedule.describe(exc)
    if schedule.is_permanent(exc):
        log.error("Email %s refused for good: %s", email.pk, error)
        _record(email.pk, claimed_at, status=OutboundEmail.Status.FAILED, last_error=error)
        return "failed"
    give_up_at = email.give_up_at or (email.created_at + schedule.give_up_after())
    if claimed_at >= give_up_at:
        log.error("Giving up on email %s after %s attempts: %s", email.pk, email.attempts, error)
        _record(email.pk, claimed_at, status=OutboundEmail.Status.FAILED, last_error=error)
        return "failed"
    if not isinstance(exc, OSError):  # smtplib's errors are OSErrors; anything else is a bug
        log.exception("Unexpected error sending email %s; it will be retried.", email.pk)
    else:
        log.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, error)
    _record(
        email.pk,
        claimed_at,
        status=OutboundEmail.Status.PENDING,
        next_attempt_at=claimed_at + schedule.backoff(email.attempts),
        last_error=error,
    )
    return "retry"


def _record(email_id: int, claimed_at: datetime | None, *, status: str, **fields) -> None:
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


def requeue_stale_claims(now: datetime | None = None) -> int:
    """Put back to ``pending`` the rows claimed longer than CLAIM_TIMEOUT ago (worker died),
    due at once."""
    now = now or timezone.now()
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(
        status=OutboundEmail.Status.PENDING, claimed_at=None, next_attempt_at=now, updated_at=now
    )


def due(now: datetime):
    """The pending rows the sweep should try at ``now``, oldest schedule first."""
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")


#: A sweep stops after this many transient failures in a row: the server is down, and trying
#: every due row against it (each up to EMAIL_TIMEOUT) would only hold the mail worker. The rows
#: not tried stay due and go first next minute.
SWEEP_STOPS_AFTER_FAILURES = 3


@shared_task(name="mail.sweep_outbox")
def sweep_outbox(*, limit: int = 500, now: datetime | None = None) -> int:
    """Send the pending emails that are due (``next_attempt_at`` passed). Returns how many were
    sent. ``now`` is for tests (a sweep at a chosen moment); beat passes nothing."""
    requeued = requeue_stale_claims(now)
    if requeued:
        log.warning("Re-queued %s email(s) whose worker stopped while sending.", requeued)
    ids = list(due(now or timezone.now()).values_list("pk", flat=True)[:limit])
    sent = failures_in_a_row = 0
    for email_id in ids:
        outcome = deliver(email_id, now=now)
        sent += outcome == "sent"
        failures_in_a_row = failures_in_a_row + 1 if outcome == "retry" else 0
        if failures_in_a_row >= SWEEP_STOPS_AFTER_FAILURES:
            log.warning("Sweep stopped after %s failed sends in a row.", failures_in_a_row)
            break
    return sent
