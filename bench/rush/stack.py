"""The stack as deployed, started on loopback for one benchmark and stopped afterwards.

gunicorn (``-c gunicorn.conf.py``, DEBUG off, production settings), a Celery worker for the
``checks,celery`` queues, one for ``mail``, beat, a fresh PostgreSQL database (dropped and
created again on every run) and a flushed Redis database. Each process runs in a session of its
own and is stopped by its process group id (TERM, then KILL after a grace period), also when the
benchmark fails or is interrupted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


class StackError(RuntimeError):
    pass


class Stack:
    """``with Stack(...) as stack:`` the services are up; ``stack.base`` is gunicorn's URL."""

    def __init__(
        self,
        *,
        pg: str,
        database: str,
        redis: str,
        port: int,
        smtp_port: int,
        keep: bool = False,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.pg, self.database, self.redis, self.port = pg, database, redis, port
        self.base = f"http://127.0.0.1:{port}"
        self.keep = keep
        self.work = Path(tempfile.mkdtemp(prefix="mlsys-rush."))
        self.static = ROOT / "var" / "rush-static"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.work),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "mlsys.settings",
            "PYTHONPATH": str(ROOT),
            "MLSYS_IGNORE_DOTENV": "1",
            "MLSYS_TESTING": "false",
            "DEBUG": "false",
            "SECRET_KEY": "bench-rush-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.base,
            "DATABASE_URL": f"{pg}/{database}",
            "CONN_MAX_AGE": "60",
            "CELERY_BROKER_URL": redis,
            "CACHE_URL": redis.replace("redis:", "rediscache:", 1),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "STATIC_ROOT": str(self.static),
            "MEDIA_ROOT": str(self.work / "media"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            # The authors play the reverse proxy: each sends its own X-Forwarded-For address,
            # which the app believes from 127.0.0.1 only (docs/deploy.md, "Proxy"), so the
            # login limits count per author as behind a real proxy. Plain HTTP on loopback.
            "TRUSTED_PROXIES": "127.0.0.1",
            "SECURE_HTTPS": "false",
        }
        # Sizing knobs pass through, so the benchmark measures what an operator would set.
        for name in (
            "WEB_CONCURRENCY",
            "GUNICORN_THREADS",
            "GUNICORN_TIMEOUT",
            "WORKER_CONCURRENCY",
            "LOGIN_CONCURRENCY",
            "CONN_MAX_AGE",
        ):
            if name in os.environ:
                self.env[name] = os.environ[name]
        self.env.update(extra_env or {})
        self.worker_nice = os.environ.get("WORKER_NICE", "10")

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        try:
            self.prepare()
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def run(self, *args: str, timeout: float = 600) -> str:
        """Run a command with the stack's environment; its standard output."""
        done = subprocess.run(
            list(args), cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise StackError(f"{' '.join(args[:4])}… failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def manage(self, *args: str, timeout: float = 600) -> str:
        return self.run(str(VENV_BIN / "python"), "manage.py", *args, timeout=timeout)

    def psql(self, *commands: str, database: str = "postgres") -> str:
        args = ["psql", f"{self.pg}/{database}", "-v", "ON_ERROR_STOP=1", "-q", "-At"]
        for command in commands:
            args += ["-c", command]
        done = subprocess.run(args, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise StackError(f"psql failed: {done.stderr}")
        return done.stdout.strip()

    def prepare(self) -> None:
        """A fresh database and Redis database, static files collected, migrations applied.

        Migrating from scratch takes minutes on a busy machine, so the migrated schema is kept
        in a template database (``<database>_template``), rebuilt whenever the migrations
        change; the benchmark's database is dropped and created from it on every run."""
        template = f"{self.database}_template"
        fingerprint = migrations_fingerprint()
        current = self.psql(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            f"WHERE datname = '{template}'"
        )
        if current != fingerprint:
            self.psql(
                f"DROP DATABASE IF EXISTS {template} WITH (FORCE)",
                f"CREATE DATABASE {template}",
            )
            url = self.env["DATABASE_URL"]
            self.env["DATABASE_URL"] = f"{self.pg}/{template}"
            try:
                self.manage("migrate", "--no-input", "-v", "0", timeout=1200)
            finally:
                self.env["DATABASE_URL"] = url
            self.psql(f"COMMENT ON DATABASE {template} IS '{fingerprint}'")
        self.psql(
            f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)",
            f"CREATE DATABASE {self.database} TEMPLATE {template}",
        )
        import redis

        redis.Redis.from_url(self.redis).flushdb()
        # Collected again only when the project's static files or the packages changed: with
        # hashing and compression it takes minutes on a busy machine.
        stamp = self.static / ".rush-fingerprint"
        fingerprint = static_fingerprint()
        if not stamp.exists() or stamp.read_text() != fingerprint:
            self.manage("collectstatic", "--no-input", "-v", "0")
            stamp.write_text(fingerprint)
        # Nothing to do unless the template is stale; proves the schema is complete.
        self.manage("migrate", "--no-input", "-v", "0")

    def spawn(self, name: str, *args: str) -> None:
        log = open(self.work / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> None:
        celery = str(VENV_BIN / "celery")
        concurrency = self.env.get("WORKER_CONCURRENCY", "2")
        self.spawn(
            "gunicorn",
            str(VENV_BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "mlsys.wsgi:application",
        )
        common = ["-A", "mlsys", "worker", "-l", "info", "--without-gossip", "--without-mingle"]
        # docs/deploy.md: on a host shared with the web tier the checks worker runs at a lower
        # CPU priority (checks can wait a few seconds; a person's request should not).
        nice = ["nice", "-n", self.worker_nice] if self.worker_nice != "0" else []
        self.spawn(
            "worker",
            *nice,
            celery,
            *common,
            "-Q",
            "checks,celery",
            f"--concurrency={concurrency}",
            "-n",
            f"rush-checks-{os.getpid()}@%h",
        )
        self.spawn(
            "mail-worker",
            celery,
            *common,
            "-Q",
            "mail",
            "--concurrency=1",
            "-n",
            f"rush-mail-{os.getpid()}@%h",
        )
        self.spawn(
            "beat",
            celery,
            "-A",
            "mlsys",
            "beat",
            "-l",
            "info",
            f"--schedule={self.work / 'celerybeat-schedule'}",
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        pending = {"gunicorn", "worker", "mail-worker"}
        while pending:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise StackError(f"{name} exited: {self.tail(name)}")
            if "gunicorn" in pending and self.healthy():
                pending.discard("gunicorn")
            for name in ("worker", "mail-worker"):
                if name in pending and b" ready." in self.log(name):
                    pending.discard(name)
            if time.monotonic() > deadline:
                raise StackError(f"not ready after {timeout:.0f} s: {sorted(pending)}")
            time.sleep(0.5)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def log(self, name: str) -> bytes:
        path = self.work / f"{name}.log"
        return path.read_bytes() if path.exists() else b""

    def tail(self, name: str, lines: int = 30) -> str:
        return "\n".join(self.log(name).decode(errors="replace").splitlines()[-lines:])

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes.items()}

    def stop(self, grace: float = 15) -> None:
        """TERM every process group this stack started, KILL what is left after ``grace``."""
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        # Pool children outlive a leader killed late; the group id still reaches them.
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        self.processes.clear()
        if self.keep:
            print(f"rush: work directory kept: {self.work}", file=sys.stderr)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def migrations_fingerprint() -> str:
    """A digest of every migration file of the project and of the installed Django apps."""
    import importlib.metadata

    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("**/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    for package in ("django", "django-allauth", "django-celery-beat"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{package}={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def static_fingerprint() -> str:
    """A digest of the project's static files (names, sizes, times) and installed packages."""
    import importlib.metadata

    digest = hashlib.sha256()
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            info = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{info.st_size}:{info.st_mtime_ns}".encode())
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        digest.update(f"{dist.metadata['Name']}={dist.version}".encode())
    return digest.hexdigest()


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
