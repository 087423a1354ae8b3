"""Outbox delivery claims a row with a conditional update, commits, talks SMTP outside any
transaction, then records the result: an email is sent once even when two workers race."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from mlsys.mail import tasks
from mlsys.mail.models import OutboundEmail
from tests import factories

BACKEND = "tests.mail.test_delivery.RecordingBackend"


class RecordingBackend(EmailBackend):
    """The locmem backend, noting whether a transaction was open while it sent, and able to run
    code in the middle of a send (``during_send``) or to block there (``hold``)."""

    in_atomic: list[bool] = []
    during_send = None
    hold: threading.Barrier | None = None

    def send_messages(self, messages):
        RecordingBackend.in_atomic.append(connection.in_atomic_block)
        if RecordingBackend.during_send is not None:
            action, RecordingBackend.during_send = RecordingBackend.during_send, None
            action()
        if RecordingBackend.hold is not None:
            RecordingBackend.hold.wait(timeout=10)
        return super().send_messages(messages)


@pytest.fixture
def backend(settings):
    settings.EMAIL_BACKEND = BACKEND
    RecordingBackend.in_atomic = []
    RecordingBackend.during_send = None
    RecordingBackend.hold = None
    yield RecordingBackend
    RecordingBackend.during_send = None
    RecordingBackend.hold = None


def pending_email() -> OutboundEmail:
    return factories.OutboundEmailFactory(to=["a@example.org"], subject="s", body="b")


@pytest.mark.django_db(transaction=True)
def test_smtp_is_called_with_no_open_transaction(backend):
    email = pending_email()
    assert tasks.deliver(email.pk) == "sent"
    assert backend.in_atomic == [False]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claimed_at) == (OutboundEmail.Status.SENT, 1, None)
    assert email.sent_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_arriving_mid_send_skips_the_claimed_row(backend):
    """Sequential race (runs on SQLite): while the first delivery talks SMTP, a second delivery
    of the same row finds it claimed and sends nothing."""
    email = pending_email()
    second = []
    backend.during_send = lambda: second.append(tasks.deliver(email.pk))

    assert tasks.deliver(email.pk) == "sent"

    assert second == ["skipped"]
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_the_row_is_claimed_and_committed_before_smtp(backend):
    email = pending_email()
    seen = []
    backend.during_send = lambda: seen.append(
        OutboundEmail.objects.values_list("status", "attempts").get(pk=email.pk)
    )
    tasks.deliver(email.pk)
    assert seen == [(OutboundEmail.Status.SENDING, 1)]


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_once(backend):
    """Two threads (two database connections) deliver the same row at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writers")
    email = pending_email()
    start = threading.Barrier(2)
    results = []

    def worker():
        try:
            start.wait(timeout=10)
            results.append(tasks.deliver(email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    assert backend.in_atomic == [False]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_transport_error_releases_the_claim_for_a_retry(backend, monkeypatch):
    email = pending_email()

    def refuse():
        raise smtplib.SMTPServerDisconnected("down")

    backend.during_send = refuse
    assert tasks.deliver(email.pk) == "retry"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claimed_at) == (
        OutboundEmail.Status.PENDING,
        1,
        None,
    )
    assert email.last_error == "SMTPServerDisconnected: down"
    assert email.next_attempt_at > timezone.now()
    assert mail.outbox == []

    assert tasks.deliver(email.pk) == "sent"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.SENT, 2, "")


@pytest.mark.django_db(transaction=True)
def test_a_transient_failure_past_the_time_budget_marks_the_email_failed(backend):
    email = pending_email()
    OutboundEmail.objects.filter(pk=email.pk).update(give_up_at=timezone.now())

    def refuse():
        raise smtplib.SMTPServerDisconnected("down")

    backend.during_send = refuse
    assert tasks.deliver(email.pk) == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claimed_at) == (
        OutboundEmail.Status.FAILED,
        1,
        None,
    )
    assert email.last_error == "SMTPServerDisconnected: down"


@pytest.mark.django_db
def test_sweep_requeues_a_stale_claim_and_sends_it(backend):
    """A worker died mid-send: after the timeout the sweep puts the row back and delivers it."""
    stale = pending_email()
    fresh = pending_email()
    long_ago = timezone.now() - tasks.CLAIM_TIMEOUT - timedelta(seconds=1)
    OutboundEmail.objects.filter(pk=stale.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=long_ago, attempts=1
    )
    OutboundEmail.objects.filter(pk=fresh.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )

    assert tasks.sweep_outbox() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.attempts) == (OutboundEmail.Status.SENT, 2)
    assert (fresh.status, fresh.attempts) == (OutboundEmail.Status.SENDING, 1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_send_outliving_its_claim_is_recorded_and_not_sent_again(backend):
    """The sweep took a very slow send for a dead worker and re-queued the row; the send then
    succeeds: the row is recorded as sent, so the next sweep does not send it a second time."""
    email = pending_email()

    def sweep_requeues_meanwhile():
        OutboundEmail.objects.filter(pk=email.pk).update(
            claimed_at=timezone.now() - tasks.CLAIM_TIMEOUT - timedelta(seconds=1)
        )
        assert tasks.requeue_stale_claims() == 1

    backend.during_send = sweep_requeues_meanwhile
    assert tasks.deliver(email.pk) == "sent"
    email.refresh_from_db()
    assert (email.status, email.claimed_at) == (OutboundEmail.Status.SENT, None)
    assert tasks.sweep_outbox() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_an_email_deleted_before_delivery_is_skipped(backend):
    email = pending_email()
    OutboundEmail.objects.filter(pk=email.pk).delete()
    assert tasks.deliver(email.pk) == "skipped"
    assert mail.outbox == []
