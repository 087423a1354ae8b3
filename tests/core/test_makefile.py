"""`make run PORT=…` points the links in emails at the port it serves on (issue 8)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(*args: str, **env: str) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "HOST"}}
    environ.update(env)
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "runserver" in line]


def test_run_derives_site_url_from_the_port():
    assert dry_run("PORT=8123") == [
        "SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py runserver 127.0.0.1:8123"
    ]


def test_run_keeps_the_default_port_8000():
    assert dry_run() == [
        "SITE_URL=http://127.0.0.1:8000 .venv/bin/python manage.py runserver 127.0.0.1:8000"
    ]


def test_site_url_from_the_environment_wins():
    assert dry_run("PORT=8123", SITE_URL="https://papers.example.org") == [
        "SITE_URL=https://papers.example.org .venv/bin/python manage.py runserver 127.0.0.1:8123"
    ]
