import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mlsys.mail import schedule, services, tasks
from mlsys.mail.models import OutboundEmail
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_after_commit(conference):
    services.queue_email(
        to=["Someone@Example.org"],
        key="generic.message",
        conference=conference,
        context={"subject": "Hello", "message": "The body."},
    )
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.SENT
    assert email.to == ["someone@example.org"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[MLSYS2027] Hello"
    assert "The body." in mail.outbox[0].body


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(
    conference, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.queue_email(to=["a@example.org"], subject="s", body="b")
    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_conference_override_wins_and_placeholders_cannot_reach_attributes(conference):
    factories.EmailTemplateFactory(
        conference=conference,
        key="generic.message",
        subject="{conference}: {subject}",
        body="{message} {message.__class__} {unknown}",
    )
    email = services.queue_email(
        to=["a@example.org"],
        key="generic.message",
        conference=conference,
        context={"subject": "S", "message": "M"},
    )
    assert email.subject == "MLSYS2027: S"
    assert email.body == "M {message.__class__} {unknown}"


@pytest.mark.django_db
def test_failed_smtp_keeps_the_email_pending_and_the_sweep_delivers_it(
    conference, settings, monkeypatch
):
    email = factories.OutboundEmailFactory(to=["a@example.org"], subject="s", body="b")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert tasks.deliver(email.pk) == "retry"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 1)
    assert "down" in email.last_error

    monkeypatch.undo()
    assert tasks.sweep_outbox() == 0  # not due yet: the backoff's first wait is a minute
    assert tasks.sweep_outbox(now=timezone.now() + timedelta(minutes=1)) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_deliver_never_sends_twice(conference):
    email = factories.OutboundEmailFactory(to=["a@example.org"], subject="s", body="b")
    assert tasks.deliver(email.pk) == "sent"
    assert tasks.deliver(email.pk) == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_broker_outage_leaves_the_email_for_the_sweep(conference, monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.send_outbound, "delay", broker_down)
    services.queue_email(to=["a@example.org"], subject="s", body="b")
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING
    assert tasks.sweep_outbox() == 0  # the queued task's grace period
    assert tasks.sweep_outbox(now=timezone.now() + schedule.FIRST_ATTEMPT_GRACE) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
