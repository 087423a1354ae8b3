"""Password checks take turns, so a crowd logging in cannot starve every other request.

A login costs one PBKDF2 hash (a million iterations, about 0.2 s of CPU). ``hashlib`` releases
the GIL while hashing, so every thread of every web process can hash at once: when 200 authors
log in at the deadline, the cores are shared among 200 hashes, and an upload that needs 50 ms
of CPU waits seconds for its share. The gate lets ``LOGIN_CONCURRENCY`` password submissions
per process (default 1) through at a time, before any database work: the others wait their
turn without using CPU or a database connection, and every other request keeps its latency.
Logins as a whole finish no later (the CPU was the limit anyway), and the hash is unchanged.

A request that has waited ``LOGIN_GATE_TIMEOUT`` seconds is answered 503 with the branded
"try again in a minute" page (``503.html``, and ``Retry-After``) instead of going through:
letting the backlog through ungated would put every waiting hash on the CPU at once and open
a database connection for each, which on a busy deadline exhausted PostgreSQL's connections
(500s). Nothing is lost: the person submits the form again.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

# The page's heading already says "Many people are signing in right now" (503.html).
BUSY = "Your password was not checked yet: please go back and try again in a minute."
RETRY_AFTER_SECONDS = 30

#: allauth's forms that check or set a password (URL names).
GATED_URLS = (
    "account_login",
    "account_signup",
    "account_reauthenticate",
    "account_change_password",
    "account_set_password",
)


class LoginGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.gate = threading.BoundedSemaphore(getattr(settings, "LOGIN_CONCURRENCY", 1))
        self.timeout = getattr(settings, "LOGIN_GATE_TIMEOUT", 50.0)
        self._paths: frozenset[str] | None = None

    def gated_paths(self) -> frozenset[str]:
        if self._paths is None:
            paths = set()
            for name in GATED_URLS:
                try:
                    paths.add(reverse(name))
                except NoReverseMatch:
                    continue
            self._paths = frozenset(paths)
        return self._paths

    def __call__(self, request):
        if request.method != "POST" or request.path_info not in self.gated_paths():
            return self.get_response(request)
        if not self.gate.acquire(timeout=self.timeout):
            return busy()
        try:
            return self.get_response(request)
        finally:
            self.gate.release()


def busy() -> HttpResponse:
    # Rendered without the request, like the other error pages (error_base.html): the gate
    # answers before sessions and context processors have run.
    response = HttpResponse(render_to_string("503.html", {"message": BUSY}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
