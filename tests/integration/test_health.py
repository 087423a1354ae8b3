"""/healthz against the real broker, and against a broker address where nothing listens."""

import pytest

from tests.integration.conftest import closed_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker_checked(settings, live_tasks):
    """/healthz pings the broker only when tasks are not eager (as in production)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return live_tasks


def test_healthz_reports_the_real_broker_ok(client, broker_checked, broker_url):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "database": {"ok": True, "vendor": "postgresql"},
        "broker": {"ok": True, "mode": "redis"},
    }


def test_healthz_answers_503_naming_the_broker_when_it_is_unreachable(
    client, broker_checked, monkeypatch
):
    down = f"redis://127.0.0.1:{closed_port()}/0"
    # Celery reads the CELERY_BROKER_URL environment variable before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", down)
    monkeypatch.setitem(broker_checked.conf, "broker_url", down)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["broker"]["ok"] is False
    assert body["broker"]["error"]
