"""Tests against the real broker and a real Celery worker process.

They need ``CELERY_BROKER_URL`` (Redis) and PostgreSQL (the worker is a separate process and
must share the test database, which an SQLite in-memory test database can't). Without either
they are skipped, unless ``MLSYS_REQUIRE_INTEGRATION=1`` (CI's PostgreSQL run) makes that a
failure. Each test commits its rows (``transaction=True``) so the worker can see them.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def _unavailable() -> str | None:
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return "CELERY_BROKER_URL is not set (integration tests need a real Redis broker)"
    if connection.vendor != "postgresql":
        return (
            "integration tests need PostgreSQL (DATABASE_URL=postgres://...) so the worker "
            "process can share the test database"
        )
    return None


@pytest.fixture(autouse=True)
def _require_services():
    reason = _unavailable()
    if reason is None:
        return
    if os.environ.get("MLSYS_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"MLSYS_REQUIRE_INTEGRATION=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def broker_url() -> str:
    return settings.CELERY_BROKER_URL


@pytest.fixture
def live_tasks(monkeypatch):
    """Publish tasks to the broker from this process instead of running them in-process."""
    from mlsys.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    return app


def database_url() -> str:
    """The URL of the database the tests use right now (``test_<name>``, not ``<name>``)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}{port}/{s['NAME']}"


def app_env(**overrides: str) -> dict[str, str]:
    """Environment for a separate app process: production-like settings on the test database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mlsys.settings",
        MLSYS_IGNORE_DOTENV="1",
        MLSYS_TESTING="false",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(32),
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        LOG_LEVEL="WARNING",
        # The files this process stores (the test storage) are where the app process looks.
        MEDIA_ROOT=str(settings.STORAGES["default"]["OPTIONS"]["location"]),
    )
    env.pop("CELERY_RESULT_BACKEND", None)
    env.update(overrides)
    return env


def wait_until(condition: Callable[[], bool], *, timeout: float = 30, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout:.0f} s: {message}")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: The queues production consumes (settings.CELERY_TASK_ROUTES): a worker started without
#: ``-Q`` would consume only the default queue and never run a PDF check or send an email.
ALL_QUEUES = "checks,celery,mail"


def stop_process(process: subprocess.Popen, *, grace: float = 20) -> None:
    """SIGTERM, then SIGKILL after ``grace`` seconds: how every test process is stopped."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def run_with_broker_down(script: str) -> subprocess.CompletedProcess:
    """Run ``script`` (Python, after ``django.setup()``) in a separate app process whose broker
    is a closed port: another web process during a Redis outage. It must succeed."""
    down = f"redis://127.0.0.1:{closed_port()}/0"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        cwd=ROOT,
        env=app_env(CELERY_BROKER_URL=down, CELERY_RESULT_BACKEND=down),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


class Worker:
    """One ``celery worker`` subprocess (solo pool) on the test database and real broker,
    consuming ``queues`` (all of them unless told)."""

    def __init__(self, env: dict[str, str], log_path: Path, *, queues: str = ALL_QUEUES) -> None:
        self.env = env
        self.log_path = log_path
        self.queues = queues
        self.process: subprocess.Popen | None = None

    def start(self, *, purge: bool = False) -> None:
        command = [str(CELERY), "-A", "mlsys", "worker", "--pool=solo", "-l", "info"]
        command += ["-Q", self.queues, "-n", f"{self.log_path.stem}-{os.getpid()}@%h"]
        command += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        if purge:
            command.append("--purge")
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        wait_until(
            lambda: "ready." in self.log() or self.process.poll() is not None,
            timeout=60,
            message=f"celery worker did not start:\n{self.log()}",
        )
        if self.process.poll() is not None:
            raise AssertionError(f"celery worker exited at start-up:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker node, as an OOM kill or a lost host would: no warm shutdown, no
        acknowledgement of the task it is running."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        self._log.close()

    def stop(self) -> None:
        if self.process is None:
            return
        stop_process(self.process)
        self._log.close()


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "sent-mail"
    path.mkdir()
    return path


@pytest.fixture
def worker_factory(tmp_path, mail_dir) -> Iterator[Callable[..., Worker]]:
    """Start workers on demand; every one is stopped (before the test DB is flushed) at teardown.

    The worker writes email with Django's file backend into ``mail_dir``, so a delivered email
    is visible both as a row marked sent and as a file.
    """
    started: list[Worker] = []

    def start(*, purge: bool = True, queues: str = ALL_QUEUES, **env: str) -> Worker:
        worker = Worker(
            app_env(**{"EMAIL_URL": f"filemail:///{mail_dir}", **env}),
            tmp_path / f"worker-{len(started)}.log",
            queues=queues,
        )
        started.append(worker)
        worker.start(purge=purge)
        return worker

    yield start
    for worker in started:
        worker.stop()
