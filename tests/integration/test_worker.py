"""The outbox through a real Redis broker and a real ``celery worker`` process."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mlsys.mail.models import OutboundEmail
from mlsys.mail.services import queue_email
from mlsys.mail.tasks import sweep_outbox
from tests.integration.conftest import run_with_broker_down, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _status(email: OutboundEmail) -> str:
    return OutboundEmail.objects.values_list("status", flat=True).get(pk=email.pk)


def _delivered_files(mail_dir) -> list[str]:
    return [path.read_text() for path in sorted(mail_dir.iterdir())]


def test_queued_email_is_delivered_by_the_worker_through_the_broker(
    live_tasks, worker_factory, mail_dir
):
    worker = worker_factory()

    email = queue_email(to=["Someone@Example.org"], subject="Round trip", body="Through Redis.")

    wait_until(
        lambda: _status(email) == OutboundEmail.Status.SENT,
        message=f"email {email.pk} still {_status(email)}; worker log:\n{worker.log()}",
    )
    email.refresh_from_db()
    assert (email.attempts, email.last_error) == (1, "")
    assert email.sent_at is not None
    # Delivered by the worker process (file backend), not in this process.
    assert mail.outbox == []
    [sent] = _delivered_files(mail_dir)
    assert "Subject: Round trip" in sent
    assert "To: someone@example.org" in sent
    assert "Through Redis." in sent
    assert "mail.send_outbound" in worker.log()


def test_email_queued_while_the_broker_is_down_is_kept_and_the_sweep_sends_it(
    live_tasks, worker_factory, mail_dir
):
    # Another process (a web server, say) queues an email while its broker can't be reached.
    script = (
        "from mlsys.mail.services import queue_email\n"
        "email = queue_email(to=['late@example.org'], subject='Queued in an outage', body='b')\n"
        "print(email.pk)\n"
    )
    result = run_with_broker_down(script)
    assert "left for the sweep" in result.stderr
    email = OutboundEmail.objects.get(pk=int(result.stdout.split()[-1]))
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 0)

    # The broker is back: the periodic sweep, run by the worker, delivers what was kept once
    # its first attempt is due (30 s after queueing: the grace left to the on-commit task).
    assert email.next_attempt_at <= email.created_at + timedelta(seconds=30)
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    worker = worker_factory()
    sweep_outbox.delay()

    wait_until(
        lambda: _status(email) == OutboundEmail.Status.SENT,
        message=f"email {email.pk} still {_status(email)}; worker log:\n{worker.log()}",
    )
    [sent] = _delivered_files(mail_dir)
    assert "Subject: Queued in an outage" in sent
    assert "To: late@example.org" in sent
