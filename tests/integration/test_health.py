"""/healthz against the real broker, and against a broker address where nothing listens; the
workers' heartbeat with a real beat and a real worker, and with the worker killed."""

import subprocess

import pytest

from tests.integration.conftest import CELERY, ROOT, app_env, closed_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker_checked(settings, live_tasks):
    """/healthz pings the broker only when tasks are not eager (as in production)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return live_tasks


def test_healthz_reports_the_real_broker_ok(client, broker_checked, broker_url):
    response = client.get("/healthz?full=1")

    body = response.json()
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["broker"] == {"ok": True, "mode": "redis"}


def test_healthz_answers_503_naming_the_broker_when_it_is_unreachable(
    client, broker_checked, monkeypatch
):
    down = f"redis://127.0.0.1:{closed_port()}/0"
    # Celery reads the CELERY_BROKER_URL environment variable before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", down)
    monkeypatch.setitem(broker_checked.conf, "broker_url", down)

    response = client.get("/healthz?full=1")

    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["broker"]["ok"] is False
    assert body["broker"]["error"]
    # The web node itself can still serve pages: the balancer keeps it.
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def beat(tmp_path, broker_checked):
    """A real ``celery beat`` queueing the heartbeat every second (stopped at teardown)."""
    log = (tmp_path / "beat.log").open("ab")
    process = subprocess.Popen(
        [str(CELERY), "-A", "mlsys", "beat", "-l", "info", "-s", str(tmp_path / "schedule")],
        cwd=ROOT,
        env=app_env(HEALTH_HEARTBEAT_SECONDS="1"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)
    log.close()


def test_heartbeat_from_a_real_beat_and_worker_then_stale_when_the_worker_dies(
    client, settings, beat, worker_factory
):
    settings.HEALTH_HEARTBEAT_QUEUES = ["celery"]
    settings.HEALTH_WORKER_STALE_AFTER = 3
    worker = worker_factory()

    def workers_ok() -> bool:
        return client.get("/healthz?full=1").json()["workers"]["ok"]

    wait_until(workers_ok, timeout=60, message=f"no heartbeat recorded:\n{worker.log()}")
    assert client.get("/healthz?full=1").status_code == 200

    worker.process.kill()  # kill -9: the worker node is gone
    worker.process.wait(timeout=10)
    worker._log.close()  # Worker.stop() leaves a dead worker's log open

    wait_until(lambda: not workers_ok(), timeout=30, message="the heartbeat never went stale")
    response = client.get("/healthz?full=1")
    assert response.status_code == 503
    assert response.json()["workers"]["queues"]["celery"]["last_seen_s"] > 3
    assert client.get("/healthz").status_code == 200  # the balancer keeps serving pages
