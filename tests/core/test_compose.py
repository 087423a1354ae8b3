"""The production-shaped stack (docker-compose.yml, Dockerfile) hangs together.

No Docker engine runs in CI, so these read the files: every service the deploy docs name is
there with the right command, web/worker/beat share one environment and the media volume,
and what the Dockerfile runs exists in the project.
"""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "mail-worker", "beat")


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
    assert {
        "migrate",
        "web",
        "worker",
        "mail-worker",
        "beat",
        "postgres",
        "redis",
        "mailpit",
    } <= set(services)


def test_app_services_run_gunicorn_the_worker_and_beat(services):
    assert command(services["web"]) == [
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "mlsys.wsgi:application",
    ]
    assert (ROOT / "gunicorn.conf.py").exists()
    assert command(services["worker"])[:4] == ["celery", "-A", "mlsys", "worker"]
    assert command(services["mail-worker"])[:4] == ["celery", "-A", "mlsys", "worker"]
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
    for name in ("postgres", "redis", "web", "worker", "mail-worker", "mailpit"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_database_and_mail_services_are_the_documented_ones(compose, services):
    assert re.fullmatch(r"postgres:16\.\d+(-bookworm)?", services["postgres"]["image"])
    assert re.fullmatch(r"redis:7\.\d+(\.\d+)?(-bookworm)?", services["redis"]["image"])
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


# --- Issue 13: one image, queues, concurrency from the environment, Mailpit locked down --


def option(cmd: list[str], name: str) -> str:
    """The value of ``-Q x`` / ``--concurrency=x`` style options in a command."""
    for i, part in enumerate(cmd):
        if part == name:
            return cmd[i + 1]
        if part.startswith(f"{name}="):
            return part.split("=", 1)[1]
    raise AssertionError(f"{name} not in {cmd}")


def test_the_app_image_is_built_once_and_shared(services):
    """Only web builds; the other app services run the very tag web's build produces, so
    ``docker compose up --build`` builds one image instead of one per service."""
    built = [name for name, service in services.items() if "build" in service]
    assert built == ["web"]
    image = services["web"]["image"]
    assert "mlsys-conference" in image
    for name in ("migrate", "worker", "mail-worker", "beat"):
        assert services[name]["image"] == image, name


def test_checks_and_mail_have_their_own_workers(services):
    worker = command(services["worker"])
    mail = command(services["mail-worker"])
    assert option(worker, "-Q").split(",") == ["checks", "celery"]
    assert option(worker, "--concurrency") == "${WORKER_CONCURRENCY:-2}"
    assert option(mail, "-Q") == "mail"
    assert option(mail, "--concurrency") == "1"
    # Distinct node names, each pinged by its own service's health check.
    assert option(worker, "-n").startswith("checks@")
    assert option(mail, "-n").startswith("mail@")
    assert "checks@" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "mail@" in " ".join(services["mail-worker"]["healthcheck"]["test"])


def test_web_is_sized_from_the_environment_and_survives_a_database_restart(services):
    env = services["web"]["environment"]
    assert env["WEB_CONCURRENCY"] == "${WEB_CONCURRENCY:-3}"
    assert env["GUNICORN_THREADS"].startswith("${GUNICORN_THREADS:-")
    assert env["CONN_MAX_AGE"] == "60"
    assert env["CONN_HEALTH_CHECKS"] == "true"


def test_published_ports_listen_on_loopback_only(services):
    """Mailpit shows every email sent (sign-up and reset links); gunicorn must only be reached
    through the proxy, whose X-Forwarded-For and X-Request-Start the app trusts."""
    for name in ("web", "mailpit"):
        for port in services[name]["ports"]:
            assert re.match(r"(\$\{\w+:-127\.0\.0\.1\}|127\.0\.0\.1):", port), (name, port)
    for name, service in services.items():
        if name not in ("web", "mailpit"):
            assert "ports" not in service, f"{name} publishes a port"


def test_mailpit_is_pinned_and_can_require_a_login(services):
    image = services["mailpit"]["image"]
    assert re.fullmatch(r"axllent/mailpit:v\d+\.\d+\.\d+", image), image
    assert "MAILPIT_UI_AUTH" in services["mailpit"]["environment"]["MP_UI_AUTH"]


def test_no_image_floats_on_latest(services):
    for name, service in services.items():
        image = service.get("image", "")
        if "mlsys-conference" in image:
            continue
        assert ":" in image and not image.endswith(":latest"), (name, image)


def test_backup_and_restore_services_are_operations_only(services):
    """``docker compose up`` never starts them; they run the scripts from bin/ against the
    stack's database and media volume with the server's own pg_dump."""
    for name in ("backup", "restore"):
        service = services[name]
        assert service["profiles"] == ["ops"]
        assert service["image"] == services["postgres"]["image"]
        assert service["entrypoint"] == [f"/opt/mlsys/bin/{name}"]
        assert (ROOT / "bin" / name).exists()
        assert service["environment"]["MEDIA_ROOT"] == "/media"
    assert "media:/media:ro" in services["backup"]["volumes"]
    assert "media:/media" in services["restore"]["volumes"]


def _compose_cli() -> list[str] | None:
    """``docker compose`` (v2 plugin) or ``docker-compose`` (v1), if this machine has one."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def compose_config(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``<compose> -f docker-compose.yml <args> config …`` with a minimal environment (skips
    without a compose CLI): what compose makes of the file, without a Docker engine."""
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    environ = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "SECRET_KEY": "x" * 50,
        "HOME": str(tmp_path),
    }
    return subprocess.run(
        [*cli, "-f", str(ROOT / "docker-compose.yml"), *args],
        cwd=tmp_path,
        env={**environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_compose_itself_accepts_the_file(tmp_path):
    """``config`` validates the file against the compose schema without a Docker engine."""
    result = compose_config(tmp_path, "--profile", "ops", "config", "-q")
    assert result.returncode == 0, result.stderr
