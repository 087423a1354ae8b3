"""The production-shaped stack (docker-compose.yml, Dockerfile) hangs together.

No Docker engine runs in CI, so these read the files: every service the deploy docs name is
there with the right command, web/worker/beat share one environment and the media volume,
and what the Dockerfile runs exists in the project.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def command(service: dict) -> list[str]:
    cmd = service["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def test_every_service_of_the_stack_is_defined(services):
    assert {"migrate", "web", "worker", "beat", "postgres", "redis", "mailpit"} <= set(services)


def test_app_services_run_gunicorn_the_worker_and_beat(services):
    assert command(services["web"])[:2] == ["gunicorn", "mlsys.wsgi:application"]
    assert command(services["worker"])[:4] == ["celery", "-A", "mlsys", "worker"]
    assert command(services["beat"])[:4] == ["celery", "-A", "mlsys", "beat"]
    assert command(services["migrate"]) == ["python", "manage.py", "migrate", "--no-input"]
    assert "replicas" not in services["beat"].get("deploy", {}), "beat must run exactly once"


def test_app_services_share_one_environment_and_the_media_volume(services):
    environments = [services[name]["environment"] for name in (*APP_SERVICES, "migrate")]
    assert all(env == environments[0] for env in environments)
    env = environments[0]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert "smtp://mailpit:1025" in env["EMAIL_URL"]
    assert env["DEBUG"] == "false"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    media = {f"media:{env['MEDIA_ROOT']}"}
    for name in APP_SERVICES:
        assert media <= set(services[name]["volumes"]), name


def test_app_services_wait_for_migrations_and_healthy_backing_services(services):
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
    for name in ("postgres", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_database_and_mail_services_are_the_documented_ones(compose, services):
    assert services["postgres"]["image"] == "postgres:16"
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert {"media", "pgdata"} <= set(compose["volumes"])
    ports = " ".join(services["mailpit"]["ports"])
    assert ":1025" in ports and ":8025" in ports


def test_dockerfile_runs_what_exists_as_a_non_root_user(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert re.search(r"^USER app$", dockerfile, re.M)
    assert "pip install ." in dockerfile
    assert "collectstatic" in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in dockerfile
    cmd = re.search(r"^CMD (\[.*?\])$", dockerfile, re.M | re.S).group(1)
    assert "mlsys.wsgi:application" in cmd
    assert (ROOT / "mlsys" / "wsgi.py").exists()
    assert (ROOT / "manage.py").exists()


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "db.sqlite3", "var"} <= ignored
