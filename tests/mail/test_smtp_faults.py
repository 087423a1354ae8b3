"""The outbox against a real SMTP server that is down, busy, refusing or hanging (issue 13).

Django's SMTP backend talks to an aiosmtpd server on loopback (tests/smtp_server.py); the clock
is moved with time-machine, so "four minutes down, then back" takes no real minutes.
"""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from mlsys.mail import schedule, services, tasks
from mlsys.mail.models import OutboundEmail
from tests.smtp_server import hanging_port

pytestmark = pytest.mark.django_db(transaction=True)
T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _queue(subject="Receipt for paper #7") -> OutboundEmail:
    """Queue an email the way the services do; the on-commit task makes the first attempt."""
    with transaction.atomic():
        email = services.queue_email(to=["ada@example.org"], subject=subject, body="Body.")
    email.refresh_from_db()
    return email


def _sweep_every_minute(clock, start: datetime, minutes: int, until=None) -> None:
    for minute in range(1, minutes + 1):
        clock.move_to(start + timedelta(minutes=minute))
        tasks.sweep_outbox()
        if until is not None and until():
            return


@pytest.fixture
def worker_like_errors(monkeypatch):
    """Task errors are logged, not raised into the caller, as in a worker (the suite's eager
    mode propagates them)."""
    from mlsys.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_four_minutes_of_smtp_down_loses_nothing(smtp, worker_like_errors):
    """SMTP refuses connections for four minutes, then comes back: the email is delivered,
    once. (Before, the task's retries and the sweep spent 8 attempts in 3 min 45 s, marked the
    row failed, and nothing ever retried it.)"""
    smtp.stop()
    with time_machine.travel(T0, tick=False) as clock:
        email = _queue()
        assert email.status == OutboundEmail.Status.PENDING
        assert "ConnectionRefusedError" in email.last_error

        _sweep_every_minute(clock, T0, 4)
        smtp.start()
        _sweep_every_minute(
            clock,
            T0 + timedelta(minutes=4),
            60,
            until=lambda: OutboundEmail.objects.filter(status="sent").exists(),
        )

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.last_error == ""
    # Attempts at 0, 1 and 3 minutes (backoff 1, 2, 5) failed; the one at 8 minutes got through.
    assert email.attempts == 4
    assert email.sent_at == T0 + timedelta(minutes=8)
    assert smtp.subjects() == ["Receipt for paper #7"]
    assert [m["to"] for m in smtp.messages] == [["ada@example.org"]]


def test_backoff_spends_attempts_by_time_and_gives_up_after_the_budget(smtp, settings):
    settings.MAIL_GIVE_UP_AFTER = 6 * 3600
    smtp.mode = "tempfail"
    with time_machine.travel(T0, tick=False) as clock:
        email = _queue()
        tries = [T0]
        while True:
            email.refresh_from_db()
            if email.status != OutboundEmail.Status.PENDING:
                break
            clock.move_to(email.next_attempt_at)
            tasks.sweep_outbox()
            tries.append(email.next_attempt_at)

    waits = [round((b - a).total_seconds() / 60) for a, b in zip(tries, tries[1:], strict=False)]
    assert waits[:7] == [1, 2, 5, 10, 20, 40, 60]
    assert set(waits[6:]) == {60}
    assert email.status == OutboundEmail.Status.FAILED
    # Given up at the first attempt after six hours, not after a count of attempts.
    assert tries[-1] >= T0 + timedelta(hours=6)
    assert tries[-2] < T0 + timedelta(hours=6)
    assert "451 4.3.0 Mailbox temporarily unavailable" in email.last_error
    assert smtp.messages == []


@pytest.mark.parametrize(
    ("mode", "code"),
    [("tempfail", "451 4.3.0"), ("busy", "421 4.7.0")],
)
def test_a_4xx_reply_is_transient_and_the_email_is_sent_once_the_server_accepts(smtp, mode, code):
    smtp.mode = mode
    email = _queue()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.last_error.startswith("SMTPRecipientsRefused: ada@example.org: " + code)
    smtp.mode = "accept"
    assert tasks.sweep_outbox(now=email.next_attempt_at) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)
    assert len(smtp.messages) == 1


def test_a_5xx_reply_fails_the_email_at_once_with_the_servers_words(smtp):
    smtp.mode = "reject"
    email = _queue()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 1)
    assert email.last_error == (
        "SMTPRecipientsRefused: ada@example.org: 550 5.1.1 No such user here"
    )
    smtp.mode = "accept"
    assert tasks.sweep_outbox(now=email.created_at + timedelta(days=3)) == 0
    assert smtp.messages == []


def test_a_resent_failed_email_gets_a_fresh_schedule_and_is_delivered(smtp):
    smtp.mode = "reject"
    email = _queue()
    assert email.status == OutboundEmail.Status.FAILED
    smtp.mode = "accept"  # the address was fixed on the receiving side
    with transaction.atomic():
        assert services.resend(OutboundEmail.objects.all()) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)
    assert smtp.subjects() == ["Receipt for paper #7"]
    # Resending a sent row does nothing.
    assert services.resend(OutboundEmail.objects.all()) == 0


def test_a_hanging_server_fails_the_send_within_the_timeout_as_transient(settings):
    settings.EMAIL_TIMEOUT = 1
    with hanging_port() as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        started = time.monotonic()
        email = _queue()
        took = time.monotonic() - started
    assert took < 5, f"the send took {took:.1f} s despite EMAIL_TIMEOUT=1"
    assert email.status == OutboundEmail.Status.PENDING
    assert "timed out" in email.last_error
    assert email.next_attempt_at > email.created_at


def test_the_setting_default_bounds_every_smtp_exchange():
    from django.conf import settings

    assert 0 < settings.EMAIL_TIMEOUT <= 30


def test_a_sweep_against_a_dead_server_stops_after_a_few_failures(smtp):
    smtp.stop()
    for n in range(6):
        services.queue_email(to=[f"a{n}@example.org"], subject="s", body="b")
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert tasks.sweep_outbox(now=later) == 0
    tried = OutboundEmail.objects.filter(attempts=2).count()
    assert tried == tasks.SWEEP_STOPS_AFTER_FAILURES
    smtp.start()
    assert tasks.sweep_outbox(now=later + timedelta(minutes=1)) == 6 - tried
    assert mail.outbox == []  # delivered by SMTP, not the in-memory backend
    assert len(smtp.messages) == 6 - tried


def test_schedule_backoff_and_classification():
    import smtplib

    assert [schedule.backoff(n).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        5,
        10,
        20,
        40,
        60,
        60,
    ]
    assert schedule.is_permanent(smtplib.SMTPSenderRefused(553, b"no", "x@y"))
    assert schedule.is_permanent(smtplib.SMTPDataError(554, b"spam"))
    assert not schedule.is_permanent(smtplib.SMTPDataError(452, b"full"))
    assert not schedule.is_permanent(
        smtplib.SMTPRecipientsRefused({"a@x": (550, b"no"), "b@x": (451, b"later")})
    )
    assert not schedule.is_permanent(smtplib.SMTPServerDisconnected("gone"))
    assert not schedule.is_permanent(ConnectionResetError())
    assert not schedule.is_permanent(TimeoutError())
    # A login refused is the server's configuration, not the message's: not permanent.
    assert not schedule.is_permanent(smtplib.SMTPAuthenticationError(535, b"bad password"))
