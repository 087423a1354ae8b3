"""``seed_demo`` never mails anyone, even on a stack with a real SMTP server and worker
(issue 13): the demo's email stays in the outbox, marked "Not sent (demo)"."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mlsys.mail import services, tasks
from mlsys.mail.models import OutboundEmail
from tests.demo.seeding import SMALL

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_broker_settings(monkeypatch):
    """As on a stack with a broker: tasks are not eager outside the command's own block."""
    from mlsys.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)


def test_seed_demo_sends_nothing_now_or_later(smtp, live_broker_settings, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    call_command("seed_demo", *SMALL, stdout=io.StringIO())

    statuses = Counter(OutboundEmail.objects.values_list("status", flat=True))
    assert statuses[OutboundEmail.Status.SUPPRESSED] > 0, statuses
    assert set(statuses) <= {OutboundEmail.Status.SUPPRESSED, OutboundEmail.Status.HELD}
    # The sweep (beat, every minute on the real stack) and a resend find nothing to send.
    assert tasks.sweep_outbox(now=timezone.now() + timedelta(days=3)) == 0
    assert services.resend(OutboundEmail.objects.all()) == 0
    assert smtp.messages == []
    assert mail.outbox == []  # not even "sent" to the in-memory backend
