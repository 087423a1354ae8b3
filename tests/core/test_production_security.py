"""Production settings are secure by default (issue 13, "Production settings").

`check --deploy` runs in a fresh interpreter under ``mlsys.settings`` with DEBUG off, as an
operator starts the site: the default shape must give no warning at all, and the plain-HTTP
trial shape (``SECURE_HTTPS=false``) must say what it gives up.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from mlsys.core import files
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
# Everything the settings read about security, so the developer's environment can't leak in.
SECURITY_VARS = {
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "MLSYS_TESTING",
    "SECURE_HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SITE_URL",
    "ALLOWED_HOSTS",
}


def production(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set in this process once they are collected)
    # is no production setting: check --deploy rightly refuses it (async.E001).
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in SECURITY_VARS and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="mlsys.settings",
        MLSYS_IGNORE_DOTENV="1",
        MLSYS_TESTING="false",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="papers.example.org",
        **env,
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def deploy_warnings(**env: str) -> list[str]:
    result = production("manage.py", "check", "--deploy", **env)
    assert result.returncode == 0, result.stderr
    return sorted(set(re.findall(r"\((security\.\w+|[\w.]+\.[EW]\d+)\)", result.stderr)))


def test_check_deploy_is_clean_with_the_production_defaults():
    result = production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_plain_http_trial_opts_out_explicitly_and_check_deploy_says_what_it_gives_up():
    assert deploy_warnings(SECURE_HTTPS="false") == [
        "security.W004",  # no HSTS
        "security.W008",  # no redirect to https
        "security.W012",  # session cookie sent over http
        "security.W016",  # CSRF cookie sent over http
    ]


def test_the_production_defaults_are_https_hsts_secure_cookies_and_healthy_connections():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n) for n in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'X_FRAME_OPTIONS', "
        "'SECURE_CROSS_ORIGIN_OPENER_POLICY', 'MAX_REQUEST_BYTES')} | "
        "{'health': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
    )
    result = production("-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "MAX_REQUEST_BYTES": 105 * 1024 * 1024,
        "health": True,
    }


def test_each_secure_default_can_still_be_set_on_its_own():
    warnings = deploy_warnings(SECURE_HSTS_PRELOAD="false", SECURE_HSTS_SECONDS="3600")
    assert warnings == ["security.W021"]  # not eligible for the preload list: said, not hidden


def test_pages_carry_hsts_over_https_and_coop(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_policy_forbids_framing_like_x_frame_options(client, db):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_embedded_paper_pdf_may_be_framed_by_the_site_alone_in_both_headers(
    client, conference, author
):
    submission = factories.SubmissionFactory(conference=conference, authors=[author])
    paper = factories.SubmissionFileFactory(submission=submission)
    client.force_login(author)
    response = client.get(files.url_for("submission-file", paper))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"
    response.close()
