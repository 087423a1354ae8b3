"""What an anonymous caller can make /healthz?full=1 cost (issue 13).

``?full=1`` runs every check for anyone, details or not. With the broker unreachable the broker
check alone holds the web worker about 2 s (kombu's connection retry), and the mail check
aggregates the whole outbox table: any client on the internet, through the documented nginx,
can keep every gunicorn worker busy with a few requests a second during a Redis outage (3
workers of 1 thread by default). An anonymous caller only learns ``{"ok": …}``, so it is
answered from a report at most ``HEALTHZ_PUBLIC_CACHE_SECONDS`` old; staff and trusted addresses
get a fresh run.
"""

import pytest

from mlsys.core import health
from tests import broker


@pytest.mark.django_db
def test_anonymous_full_health_checks_run_the_broker_check_once_per_interval(
    client, settings, monkeypatch
):
    settings.HEALTHZ_PUBLIC_CACHE_SECONDS = 10  # the production default (off in the suite)
    health._public.clear()
    calls = []
    real = health.broker

    def counted() -> dict:
        calls.append(1)
        return real()

    monkeypatch.setitem(health._checks, "broker", health.Check("broker", counted, essential=True))

    # A real refusal: nothing listens on the broker's port (no mock of Redis).
    with broker.outage(monkeypatch):
        # After the outage has saved Celery's own setting (which it reads from these settings),
        # so leaving the outage restores eager mode for the next tests.
        settings.CELERY_TASK_ALWAYS_EAGER = False
        for _ in range(3):
            response = client.get("/healthz?full=1", REMOTE_ADDR="203.0.113.9")
            assert response.status_code == 503
            assert response.json() == {"ok": False}

        assert len(calls) == 1
        # A trusted address (loopback: an operator's curl) always gets a fresh run, with details.
        fresh = client.get("/healthz?full=1")
        assert fresh.json()["broker"]["ok"] is False
        assert len(calls) == 2
    health._public.clear()
