"""A PostgreSQL restart must not answer a 500 per web worker (issue 13).

With ``CONN_MAX_AGE=60`` each gunicorn worker keeps its database connection between requests.
When PostgreSQL restarts (or fails over, or an idle-connection killer fires) that connection is
dead, and without ``CONN_HEALTH_CHECKS`` the next request on each worker fails with a 500 before
Django notices and reconnects. The restart is reproduced for real: gunicorn (one sync worker,
``gunicorn.conf.py``, production settings) serves the test database, and between two requests
the server ends the worker's backend, exactly what a restart does to it.
"""

import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from mlsys.accounts.models import ApiToken
from tests.factories import UserFactory
from tests.integration.conftest import ROOT, app_env, closed_port, stop_process, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

GUNICORN = Path(sys.executable).with_name("gunicorn")


class Gunicorn:
    def __init__(self, port: int, env: dict[str, str], log_path: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "mlsys.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: self._answers() or self.process.poll() is not None,
            timeout=60,
            message=f"gunicorn did not start:\n{self.log()}",
        )
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited at start-up:\n{self.log()}")

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.base}/healthz", timeout=5)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    def get(self, path: str, token: str) -> int:
        request = urllib.request.Request(
            self.base + path, headers={"Authorization": f"Bearer {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)
        self._log.close()


@pytest.fixture
def start_web(tmp_path) -> Iterator[Callable[..., Gunicorn]]:
    """Start gunicorn on the test database; stopped before the database is flushed."""
    started: list[Gunicorn] = []

    def start(*, health_checks: str) -> Gunicorn:
        port = closed_port()
        env = app_env(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS="1",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            CONN_MAX_AGE="60",
            CONN_HEALTH_CHECKS=health_checks,
            # gunicorn's control socket goes here, not into a ~/.gunicorn shared with others.
            XDG_RUNTIME_DIR=str(tmp_path),
        )
        web = Gunicorn(port, env, tmp_path / f"gunicorn-{len(started)}.log")
        started.append(web)
        return web

    yield start
    for web in started:
        web.stop()


@pytest.fixture
def token() -> str:
    """An API token: each request reads it from the database (so it needs the connection)."""
    key = ApiToken.generate_key()
    ApiToken.objects.create(
        user=UserFactory(),
        name="restart test",
        key_hash=ApiToken.hash_key(key),
        key_prefix=key[:10],
    )
    return key


def end_other_backends() -> int:
    """What a PostgreSQL restart does to every connection the app holds: the server ends it.
    Waits until those backends are gone, so the next request meets a dead connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (ended,) = cursor.fetchone()

    def gone() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0] == 0

    wait_until(gone, timeout=10, message="the terminated backends did not go away")
    return ended


def test_a_database_restart_costs_no_500_with_connection_health_checks(start_web, token):
    web = start_web(health_checks="true")
    assert web.get("/api/v1/conferences/", token) == 200
    assert end_other_backends() >= 1, "gunicorn's worker kept no connection to end"

    statuses = [web.get("/api/v1/conferences/", token) for _ in range(3)]

    assert statuses == [200, 200, 200], web.log()


def test_without_health_checks_the_same_restart_answers_a_500(start_web, token):
    """The fault as issue 13 found it: proves the restart above is real, and that the setting
    (not luck) is what keeps the 500 away."""
    web = start_web(health_checks="false")
    assert web.get("/api/v1/conferences/", token) == 200
    assert end_other_backends() >= 1

    statuses = [web.get("/api/v1/conferences/", token) for _ in range(2)]

    # One 500, then Django drops the connection that errored and the next request reconnects.
    assert statuses == [500, 200]
