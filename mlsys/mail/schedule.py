"""When an unsent email is tried again, and which SMTP failures are worth trying again at all.

One schedule, spent by time: the first attempt is the task queued when the row commits; every
later attempt is the sweep's (``mail.sweep_outbox``, every minute), once ``next_attempt_at`` has
passed. The waits grow (1, 2, 5, 10, 20, 40 minutes, then hourly) so an SMTP server down for
minutes or hours is retried often at first and cheaply later; the row is given up (``failed``)
only once ``MAIL_GIVE_UP_AFTER`` (48 h by default) has passed since it was queued.

A reply in the 5xx range for this message (recipient or sender refused, data refused) is
permanent: trying again sends the same message to the same server and gets the same answer, so
the row is ``failed`` at once with the server's words. Everything else (4xx replies, connection
refused or reset, timeouts, a dropped connection) is transient.
"""

import smtplib
from datetime import datetime, timedelta

from django.conf import settings

#: Minutes to wait after the 1st, 2nd, … failed attempt; after the last, hourly.
BACKOFF_MINUTES = (1, 2, 5, 10, 20, 40)
HOURLY = timedelta(hours=1)
#: A freshly queued row has a task on its way; the sweep leaves it alone this long.
FIRST_ATTEMPT_GRACE = timedelta(seconds=30)


def give_up_after() -> timedelta:
    return timedelta(seconds=settings.MAIL_GIVE_UP_AFTER)


def backoff(failed_attempts: int) -> timedelta:
    """How long to wait after the ``failed_attempts``-th failed attempt (1-based)."""
    if failed_attempts < 1:
        return timedelta(0)
    if failed_attempts > len(BACKOFF_MINUTES):
        return HOURLY
    return timedelta(minutes=BACKOFF_MINUTES[failed_attempts - 1])


def fresh_schedule(now: datetime) -> dict[str, datetime]:
    """The fields of a row that (again) starts waiting to be sent at ``now``."""
    return {"next_attempt_at": now + FIRST_ATTEMPT_GRACE, "give_up_at": now + give_up_after()}


def is_permanent(exc: BaseException) -> bool:
    """Whether ``exc``, raised while sending one message, means the message can never be sent.

    Only the replies about the message itself count: a 5xx to MAIL FROM, to every RCPT TO or to
    DATA. A 5xx greeting, HELO or login refusal is the server's configuration, not the
    message's: failing every queued email at once for it would lose the whole outbox to one
    wrong password, so those stay transient and show in the outbox with their error.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def describe(exc: BaseException) -> str:
    """The error as stored on the row: the exception's name and the server's own words."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{address}: {code} {_text(message)}"
            for address, (code, message) in sorted(exc.recipients.items())
        ]
        text = "; ".join(parts)
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {_text(exc.smtp_error)}"
    else:
        text = str(exc) or repr(exc)
    return f"{type(exc).__name__}: {text}"[:2000]


def _text(message) -> str:
    if isinstance(message, bytes):
        return message.decode("utf-8", errors="replace")
    return str(message)
