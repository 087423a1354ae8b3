"""Issue 13: /healthz said 200 while the worker was dead, checks stalled, mail failed or every
page failed. Each signal here, and who may read it (mlsys.core.health)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.core.models import Heartbeat
from mlsys.mail.models import OutboundEmail
from submissions.enums import CheckStatus
from submissions.models import SubmissionFile
from tests import factories

pytestmark = pytest.mark.django_db

FULL = "/healthz?full=1"


@pytest.fixture
def with_workers(settings):
    """As in production: tasks go to a broker and workers (the heartbeat is read). The broker
    is the suite's own (in-memory, or CI's Redis)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HEALTH_HEARTBEAT_QUEUES = ["celery"]
    settings.HEALTH_WORKER_STALE_AFTER = 180


def beat(seconds_ago: int, queue: str = "celery") -> None:
    Heartbeat.objects.update_or_create(
        queue=queue,
        defaults={"at": timezone.now() - timedelta(seconds=seconds_ago), "hostname": "w1"},
    )


def age(model, pk, **delta) -> None:
    model.objects.filter(pk=pk).update(created_at=timezone.now() - timedelta(**delta))


def test_a_fresh_heartbeat_is_healthy(client, with_workers):
    beat(30)
    response = client.get(FULL)
    assert response.status_code == 200
    workers = response.json()["workers"]
    assert workers["ok"] is True
    assert workers["queues"]["celery"]["hostname"] == "w1"


def test_a_stale_heartbeat_answers_503_to_the_monitor_not_the_balancer(client, with_workers):
    beat(181)
    response = client.get(FULL)
    assert response.status_code == 503
    body = response.json()
    assert body["workers"]["ok"] is False
    assert body["workers"]["queues"]["celery"]["last_seen_s"] >= 181
    assert (
        "over the 180 s limit: check beat running and a worker consuming the 'celery' queue"
        in (body["workers"]["queues"]["celery"]["problem"])
    )
    # The balancer's check: this web node can still serve pages, so it stays in rotation.
    assert client.get("/healthz").status_code == 200


def test_no_heartbeat_ever_answers_503(client, with_workers):
    response = client.get(FULL)
    assert response.status_code == 503
    celery = response.json()["workers"]["queues"]["celery"]
    assert celery["last_seen_s"] is None
    # Said in words: expected for a minute after a first start, else beat or the worker is down.
    assert celery["problem"].startswith("no heartbeat yet: beat sends one every 60 s")


def test_a_healthy_queue_has_no_problem_text(client, with_workers):
    beat(30)
    assert "problem" not in client.get(FULL).json()["workers"]["queues"]["celery"]


def test_a_check_pending_too_long_answers_503(client, settings):
    settings.HEALTH_CHECK_PENDING_AFTER = 600
    file = factories.SubmissionFileFactory(check_status=CheckStatus.PENDING)
    age(SubmissionFile, file.pk, minutes=5)
    assert client.get(FULL).json()["checks"]["ok"] is True

    age(SubmissionFile, file.pk, minutes=11)
    response = client.get(FULL)
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "ok": False,
        "pending": 1,
        "oldest_pending_s": pytest.approx(660, abs=5),
        "limit_s": 600,
    }
    assert client.get("/healthz").status_code == 200


def mail(status, **fields):
    return OutboundEmail.objects.create(
        to=["a@example.org"], subject="s", body="b", status=status, **fields
    )


def test_failed_mail_is_reported_as_degraded_with_200(client):
    mail(OutboundEmail.Status.FAILED, last_error="SMTPServerDisconnected")
    response = client.get(FULL)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["degraded"] == ["mail"]
    assert body["mail"]["failed_last_24h"] == 1


def test_mail_waiting_past_its_limit_is_reported(client, settings):
    settings.HEALTH_MAIL_PENDING_AFTER = 900
    fresh = mail(OutboundEmail.Status.PENDING)
    assert client.get(FULL).json()["mail"]["ok"] is True
    age(OutboundEmail, fresh.pk, minutes=16)
    body = client.get(FULL).json()
    assert body["mail"]["ok"] is False
    assert body["mail"]["oldest_unsent_s"] >= 960
    assert body["degraded"] == ["mail"]


def test_due_mail_nobody_tries_is_reported_as_overdue(client):
    """The sweep (beat, or the mail worker) is not running: an email due 10 minutes ago and
    never tried, although it is young enough not to have waited past the limit."""
    mail(OutboundEmail.Status.PENDING, next_attempt_at=timezone.now() - timedelta(minutes=10))
    body = client.get(FULL).json()
    assert body["mail"]["overdue"] == 1
    assert body["mail"]["ok"] is False
    assert body["degraded"] == ["mail"]


def test_a_broken_static_manifest_fails_the_balancers_check(client, settings, tmp_path):
    """A deploy that skipped collectstatic: every page would raise on {% static %}."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["pages"]["ok"] is False
    assert "manifest" in body["pages"]["error"]


def test_anonymous_callers_get_only_ok(client, with_workers):
    beat(600)
    mail(OutboundEmail.Status.FAILED)
    response = client.get(FULL, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 503
    assert response.json() == {"ok": False}


def test_a_client_named_by_our_proxy_is_judged_by_its_own_address(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.HEALTHZ_TRUSTED_IPS = ["192.0.2.10"]
    trusted = client.get(FULL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert "database" in trusted.json()
    outsider = client.get(FULL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert outsider.json() == {"ok": True}
    # Our proxy's host itself, asking directly (an operator's curl): judged by its address.
    settings.HEALTHZ_TRUSTED_IPS = ["10.0.0.2"]
    assert "database" in client.get(FULL, REMOTE_ADDR="10.0.0.2").json()
    # The proxy relaying an outsider is not the outsider.
    relayed = client.get(FULL, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert relayed.json() == {"ok": True}
    settings.HEALTHZ_TRUSTED_IPS = ["192.0.2.10"]
    # The same header from a peer that is not our proxy is not believed.
    forged = client.get(FULL, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert forged.json() == {"ok": True}


@pytest.mark.parametrize("rows", [1, 10])
def test_query_count_does_not_grow_with_the_data(
    client, with_workers, django_assert_num_queries, rows
):
    beat(10)
    for _ in range(rows):
        factories.SubmissionFileFactory(check_status=CheckStatus.PENDING)
        mail(OutboundEmail.Status.FAILED)
    # database, heartbeat, pending checks, outbox
    with django_assert_num_queries(4):
        assert client.get(FULL, REMOTE_ADDR="203.0.113.9").status_code == 200
