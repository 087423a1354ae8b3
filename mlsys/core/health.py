"""What /healthz reports: the parts the site needs, each checked with at most one query.

Two audiences, two questions (docs/deploy.md, "Monitoring"):

- a load balancer (or the container's health check) asks ``/healthz``: can this web process
  serve pages? The database answers and a real template renders (with the static manifest, so
  a broken deploy is caught). Nothing shared by every node besides the database is in it: a
  dead worker, a Redis outage or an SMTP outage must not make the balancer pull every node.
- a monitor asks ``/healthz?full=1``: is the whole system doing its work? It adds the broker,
  the workers' heartbeat (:mod:`mlsys.core.tasks`), the oldest PDF check still pending and the
  mail backlog.

A check returns a dict with ``ok`` and details; an exception is reported as ``ok: false`` with
its message. An essential check that fails answers 503; a failing non-essential one (mail) is
listed under ``degraded`` with 200. Apps above mlsys.core add their checks from their
``AppConfig.ready()`` with :func:`register`, so this module imports no app.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from mlsys.celery import app as celery_app

CheckFn = Callable[[], dict]


@dataclass(frozen=True)
class Check:
    name: str
    run: CheckFn
    #: Failing answers 503; otherwise the check is listed under ``degraded``.
    essential: bool
    #: Part of the plain ``/healthz`` a load balancer polls (else only ``?full=1``).
    for_balancer: bool = False


_checks: dict[str, Check] = {}


def register(name: str, run: CheckFn, *, essential: bool, for_balancer: bool = False) -> None:
    """Add (or replace) the check ``name``; called from an app's ``ready()``."""
    _checks[name] = Check(name, run, essential, for_balancer)


def registered() -> list[Check]:
    return list(_checks.values())


@dataclass
class Report:
    ok: bool
    checks: dict[str, dict]
    degraded: list[str]

    @property
    def status_code(self) -> int:
        return 200 if self.ok else 503


def run(*, full: bool) -> Report:
    """Run the balancer's checks, or every check when ``full``."""
    results: dict[str, dict] = {}
    ok, degraded = True, []
    for check in _checks.values():
        if not (full or check.for_balancer):
            continue
        try:
            result = check.run()
        except Exception as exc:  # noqa: BLE001 - a health check reports any failure
            result = {"ok": False, "error": str(exc)[:200]}
        results[check.name] = result
        if not result["ok"]:
            if check.essential:
                ok = False
            else:
                degraded.append(check.name)
    return Report(ok=ok, checks=results, degraded=degraded)


# what an anonymous caller can make /healthz cost. It learns only ``ok``, so it is answered
# from a report at most HEALTHZ_PUBLIC_CACHE_SECONDS old (per process): with Redis down the
# broker check alone holds a web worker about 2 s, and any client could otherwise keep every
# worker busy with a few requests a second. Staff and trusted addresses always get a fresh run.
_public: dict[bool, tuple[float, Report]] = {}
_public_lock = threading.Lock()


def run_public(*, full: bool) -> Report:
    """:func:`run`, reused for ``HEALTHZ_PUBLIC_CACHE_SECONDS``. While one thread runs the
    checks, the others answer the previous report if there is one instead of queuing behind."""
    max_age = settings.HEALTHZ_PUBLIC_CACHE_SECONDS
    if max_age <= 0:
        return run(full=full)
    cached = _public.get(full)
    if cached and time.monotonic() - cached[0] < max_age:
        return cached[1]
    if not _public_lock.acquire(blocking=cached is None):
        return cached[1]  # type: ignore[index]  # another thread is refreshing it
    try:
        cached = _public.get(full)
        if cached and time.monotonic() - cached[0] < max_age:
            return cached[1]
        report = run(full=full)
        _public[full] = (time.monotonic(), report)
        return report
    finally:
        _public_lock.release()


def age_seconds(moment) -> int | None:
    return None if moment is None else max(0, int((timezone.now() - moment).total_seconds()))


# --- The core's own checks ------------------------------------------------------------------


def database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def pages() -> dict:
    """Render the template every page extends, through the configured engine and static
    storage: a missing template, a template syntax error or a static file absent from the
    manifest (``collectstatic`` not run after a deploy) fail here as every page would."""
    html = render_to_string("base.html", {})
    return {"ok": "</html>" in html, "template": "base.html"}


def broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager (no broker configured)"}
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"ok": True, "mode": "redis"}


def workers() -> dict:
    """The heartbeat of every queue in ``HEALTH_HEARTBEAT_QUEUES``: beat queues
    ``core.heartbeat`` every ``HEALTH_HEARTBEAT_SECONDS`` and a worker of that queue records
    when it ran it, so a fresh row proves beat and a worker alive. Stale past
    ``HEALTH_WORKER_STALE_AFTER`` seconds (or never seen) fails."""
    from mlsys.core.models import Heartbeat

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager (tasks run in the web process)"}
    limit = settings.HEALTH_WORKER_STALE_AFTER
    seen = {row.queue: row for row in Heartbeat.objects.filter(queue__in=_heartbeat_queues())}
    queues = {}
    for queue in _heartbeat_queues():
        row = seen.get(queue)
        age = age_seconds(row.at) if row else None
        queues[queue] = {
            "ok": age is not None and age <= limit,
            "last_seen_s": age,
            "hostname": row.hostname if row else None,
        }
        if not queues[queue]["ok"]:
            queues[queue]["problem"] = _heartbeat_problem(queue, age, limit)
    return {
        "ok": all(q["ok"] for q in queues.values()),
        "stale_after_s": limit,
        "queues": queues,
    }


def _heartbeat_problem(queue: str, age: int | None, limit: int) -> str:
    """What a missing or stale heartbeat means, in words: a bare ``"last_seen_s": null`` in the
    first minute after a fresh start looked like a fault to operators trying the stack."""
    needs = f"beat running and a worker consuming the {queue!r} queue (-Q)"
    if age is None:
        return (
            f"no heartbeat yet: beat sends one every {settings.HEALTH_HEARTBEAT_SECONDS:g} s, so "
            f"right after a first start this is expected for a minute; if it lasts, check {needs}"
        )
    return f"last heartbeat {age} s ago, over the {limit} s limit: check {needs}"


def _heartbeat_queues() -> list[str]:
    return list(settings.HEALTH_HEARTBEAT_QUEUES)


register("database", database, essential=True, for_balancer=True)
register("pages", pages, essential=True, for_balancer=True)
register("broker", broker, essential=True)
register("workers", workers, essential=True)
