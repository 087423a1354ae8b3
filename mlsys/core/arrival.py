"""When a request arrived, so a deadline judges the moment the author sent it.

In a deadline rush the web workers are busy: a request can wait seconds in the proxy's and
gunicorn's queues before a worker reads the clock. Judged by that clock, uploads sent 2.5–2.9 s
before the deadline (plus grace) were refused as late (issue 13). The proxy knows when it
received the request; nginx says so with ``proxy_set_header X-Request-Start "t=${msec}";``.

:class:`ArrivalTimeMiddleware`, first in ``MIDDLEWARE``, sets ``request.arrived_at``:

- the proxy's time when the request came through one of ``TRUSTED_PROXIES``
  (:mod:`mlsys.core.proxy`); the header from anyone else is ignored, since a client could
  claim any time;
- clamped to the server's own clock: never in the future (a proxy clock running ahead gains
  nothing), never more than ``ARRIVAL_MAX_QUEUE_SECONDS`` (60 s) in the past (a longer queue
  is not credible: gunicorn's own timeout is 60 s, so the header is more likely a skewed clock);
- otherwise the server's time read here, before any other middleware runs (sessions, auth):
  the earliest point inside Django. Time spent queued before a worker picks the request up is
  invisible to the server, which is why the proxy's header is the real answer.

The request's viewer carries this time (``viewer.now``, :mod:`mlsys.conferences.viewer`); the
services and rules that judge a deadline read it from there.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone

from mlsys.core.proxy import from_trusted_proxy

_REQUEST_START = re.compile(r"^\s*(?:t=)?(\d+(?:\.\d+)?)\s*$")


def parse_request_start(value: str) -> dt.datetime | None:
    """The time in an ``X-Request-Start`` header, or None if it is not one.

    Accepted: ``t=1700000000.123`` (seconds, nginx's ``${msec}``), ``t=1700000000123``
    (milliseconds) and ``t=1700000000123456`` (microseconds, as Apache's ``%t`` and several
    load balancers send it); the ``t=`` is optional. Told apart by size: any time after 2001
    has ten digits before the point in seconds, 13 in milliseconds, 16 in microseconds.
    """
    match = _REQUEST_START.match(value or "")
    if not match:
        return None
    number = float(match.group(1))
    if "." not in match.group(1):
        if number >= 1e15:
            number /= 1_000_000
        elif number >= 1e12:
            number /= 1_000
    try:
        return dt.datetime.fromtimestamp(number, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def arrival_time(request, server_now: dt.datetime) -> dt.datetime:
    """When ``request`` arrived: the trusted proxy's time, clamped, else ``server_now``."""
    if not from_trusted_proxy(request):
        return server_now
    claimed = parse_request_start(request.META.get("HTTP_X_REQUEST_START", ""))
    if claimed is None:
        return server_now
    earliest = server_now - dt.timedelta(seconds=settings.ARRIVAL_MAX_QUEUE_SECONDS)
    return min(max(claimed, earliest), server_now)


class ArrivalTimeMiddleware:
    """Sets ``request.arrived_at`` (first in ``MIDDLEWARE``, so the server's fallback time is
    read before any other middleware's work)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = arrival_time(request, timezone.now())
        return self.get_response(request)
