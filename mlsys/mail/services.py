"""Queue emails in the outbox. Delivery happens after commit, in a Celery task."""

import logging
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from mlsys.mail import defaults, schedule
from mlsys.mail.models import EmailTemplate, OutboundEmail

log = logging.getLogger(__name__)
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_suppression = threading.local()


@contextmanager
def suppressed_mail() -> Iterator[None]:
    """Within the block (in this thread), emails queued are stored ``suppressed``: kept in the
    outbox to read, never sent by the task, the sweep or a resend. ``seed_demo`` seeds inside
    it, so a demo built on a stack with a real worker and SMTP server mails no one. Held rows
    (decision letters) stay held: sending them is a chair's later, deliberate act."""
    previous = getattr(_suppression, "on", False)
    _suppression.on = True
    try:
        yield
    finally:
        _suppression.on = previous


def mail_is_suppressed() -> bool:
    return getattr(_suppression, "on", False)


def render(text: str, context: Mapping[str, object]) -> str:
    """Replace ``{name}`` with ``context[name]``; unknown names stay as written.

    Only plain names are substituted (no attribute or index access), so a chair-edited
    template can never reach into objects.
    """
    return PLACEHOLDER.sub(
        lambda m: str(context[m.group(1)]) if m.group(1) in context else m.group(0), text
    )


def unknown_placeholders(text: str, allowed: Iterable[str]) -> set[str]:
    return set(PLACEHOLDER.findall(text)) - set(allowed)


def template_for(key: str, conference=None) -> tuple[str, str]:
    """(subject, body) for ``key``: the conference's override if it has one, else the default."""
    if conference is not None:
        override = EmailTemplate.objects.filter(conference=conference, key=key).first()
        if override is not None:
            return override.subject, override.body
    default = defaults.get(key)
    return default.subject, default.body


def queue_email(
    *,
    to: Iterable[str],
    key: str | None = None,
    context: Mapping[str, object] | None = None,
    conference=None,
    subject: str | None = None,
    body: str | None = None,
    reply_to: Iterable[str] = (),
    hold: bool = False,
) -> OutboundEmail:
    """Write one email to the outbox and send it once the surrounding transaction commits.

    Either ``key`` (a registered template, rendered with ``context``) or a ready ``subject`` and
    ``body``. If the broker is down the row stays pending and ``mail.sweep_outbox`` sends it.
    With ``hold`` the row is written ``held`` and nothing is sent: a person reads it first, then
    :func:`send_held` sends it (or :func:`discard_held` drops it).
    """
    if key is not None:
        context = {**_conference_context(conference), **(context or {})}
        template_subject, template_body = template_for(key, conference)
        subject = render(template_subject, context)
        body = render(template_body, context)
    if subject is None or body is None:
        raise ValueError("queue_email needs a template key or a subject and body.")
    recipients = sorted({address.strip().lower() for address in to if address and address.strip()})
    timing: dict[str, datetime] = {}
    if hold:
        status = OutboundEmail.Status.HELD
    elif mail_is_suppressed():
        status = OutboundEmail.Status.SUPPRESSED
    else:
        status = OutboundEmail.Status.PENDING
        timing = schedule.fresh_schedule(timezone.now())
    email = OutboundEmail.objects.create(
        conference=conference,
        template_key=key or "",
        to=recipients,
        reply_to=list(reply_to),
        subject=" ".join(subject.split())[:300],
        body=body,
        status=status,
        paper_number=_paper_number(context),
        **timing,
    )
    if status == OutboundEmail.Status.PENDING:
        transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return email


def _paper_number(context: Mapping[str, object] | None) -> int | None:
    """The paper an email is about: its template's ``{number}`` (paper templates name it)."""
    number = (context or {}).get("number")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def send_held(emails) -> int:
    """Send the held rows among ``emails`` (a queryset): each moves ``held`` → ``pending`` with
    a conditional update and is enqueued after commit through the usual path (the sweep sends
    it if the broker is down). Rows no longer held are left alone. Returns how many moved."""
    return _to_pending(emails, OutboundEmail.Status.HELD)


def resend(emails) -> int:
    """Send the failed rows among ``emails`` (a queryset) again, on a fresh schedule: each moves
    ``failed`` → ``pending`` with its attempts counted from zero and a new time budget, and is
    enqueued after commit (the sweep sends it if the broker is down). Pending rows are already
    being retried and sent, held and suppressed rows are not the resender's: all are left
    alone. The last error stays on the row until it is sent. Returns how many moved."""
    return _to_pending(emails, OutboundEmail.Status.FAILED, attempts=0)


def _to_pending(emails, status: str, **fields) -> int:
    """Move the rows of ``emails`` that are in ``status`` to ``pending`` on a fresh schedule
    (a conditional update: a row another request moved meanwhile is left alone) and enqueue
    each after commit. No row lock is needed: a row enqueued twice is claimed once."""
    with transaction.atomic():
        ids = list(emails.filter(status=status).order_by().values_list("pk", flat=True))
        now = timezone.now()
        moved = OutboundEmail.objects.filter(pk__in=ids, status=status).update(
            status=OutboundEmail.Status.PENDING,
            updated_at=now,
            **fields,
            **schedule.fresh_schedule(now),
        )
        for email_id in ids:
            transaction.on_commit(partial(enqueue_delivery, email_id))
    return moved


def discard_held(emails) -> int:
    """Delete the held rows among ``emails`` (never sent, so nothing is lost but a draft).
    Rows already released for sending are left alone. Returns how many were deleted."""
    _, per_model = emails.filter(status=OutboundEmail.Status.HELD).delete()
    return per_model.get(OutboundEmail._meta.label, 0)


def enqueue_delivery(email_id: int) -> None:
    from kombu.exceptions import OperationalError

    from mlsys.mail.tasks import send_outbound

    try:
        send_outbound.delay(email_id=email_id)
    except OperationalError:
        log.warning("Broker unavailable; outbound email %s left for the sweep.", email_id)


def _conference_context(conference) -> dict[str, str]:
    if conference is None:
        return {"conference": "MLSys", "conference_name": "MLSys"}
    return {"conference": str(conference), "conference_name": conference.name}
