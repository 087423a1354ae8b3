"""A real broker that cannot be reached: a Redis URL on a closed port, as a web process sees
Redis during an outage (issue 13). Publishing to it raises kombu's ``OperationalError`` after
Celery's publish retries, exactly as in production."""

import socket
from contextlib import contextmanager

from mlsys.celery import app


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_connections() -> None:
    # Celery caches its connection and producer pools per app; drop them so the next publish
    # connects to the broker URL configured now.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def outage(monkeypatch):
    """Within the block, tasks are published (not run eagerly) to an unreachable broker.

    Enter it before changing ``settings.CELERY_*`` in a test: Celery reads its configuration
    from Django's settings, and the value saved here is restored when the block ends."""
    with monkeypatch.context() as patched:
        patched.setitem(app.conf, "task_always_eager", False)
        down = f"redis://127.0.0.1:{closed_port()}/0"
        patched.setitem(app.conf, "broker_url", down)
        # Celery reads the CELERY_BROKER_URL environment variable before its configuration
        # (CI's PostgreSQL run sets it to the real Redis).
        patched.setenv("CELERY_BROKER_URL", down)
        _reset_connections()
        try:
            yield
        finally:
            patched.undo()
            _reset_connections()
