"""The non-Docker deployment files (deploy/systemd/*, deploy/nginx.conf) say what the docs say.

The units run the same commands as docker-compose.yml (one gunicorn.conf.py, the checks and mail
queues, exactly one beat), as an unprivileged user with the environment file and hardening;
`systemd-analyze verify` and `nginx -t` check the syntax where this machine has them.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
SERVICES = ("mlsys-web", "mlsys-worker", "mlsys-mail-worker", "mlsys-beat")
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "CapabilityBoundingSet": "",
    "UMask": "0027",
}


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file; every key keeps all its values (systemd keys repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


def one(service: dict[str, list[str]], key: str) -> str:
    (value,) = service[key]
    return value


def test_every_long_running_service_is_hardened_and_reads_the_environment_file():
    for name in SERVICES:
        service = unit(f"{name}.service")["Service"]
        assert one(service, "User") == "mlsys", name
        assert one(service, "EnvironmentFile") == "/etc/mlsys/mlsys.env", name
        assert one(service, "WorkingDirectory") == "/srv/mlsys", name
        assert one(service, "Restart") == "always", name
        for key, value in HARDENING.items():
            assert one(service, key) == value, (name, key)
        assert "/var/lib/mlsys" in one(service, "ReadWritePaths").split(), name
        assert unit(f"{name}.service")["Install"]["WantedBy"] == ["mlsys.target"], name
    wanted = set(one(unit("mlsys.target")["Unit"], "Wants").split())
    assert wanted == {f"{name}.service" for name in SERVICES}


def test_the_units_run_what_compose_runs():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web = one(unit("mlsys-web.service")["Service"], "ExecStart")
    assert web.split()[1:] == ["-c", "gunicorn.conf.py", "mlsys.wsgi:application"]
    assert web.split()[1:] == compose["web"]["command"][1:]
    for name, service in (("mlsys-worker", "worker"), ("mlsys-mail-worker", "mail-worker")):
        argv = one(unit(f"{name}.service")["Service"], "ExecStart").split()
        queues = argv[argv.index("-Q") + 1]
        assert queues == compose[service]["command"][compose[service]["command"].index("-Q") + 1]
    worker = unit("mlsys-worker.service")["Service"]
    assert "--concurrency=${WORKER_CONCURRENCY}" in one(worker, "ExecStart")
    assert "WORKER_CONCURRENCY=2" in worker["Environment"]
    # systemd expands %h itself: Celery's placeholder must be escaped as %%h.
    assert re.search(r"-n checks@%%h\b", one(worker, "ExecStart"))


def test_exactly_one_beat_writes_its_schedule_where_it_may():
    beats = [
        p.name for p in UNITS.iterdir() if "celery" in p.read_text() and " beat" in p.read_text()
    ]
    assert beats == ["mlsys-beat.service"]
    service = unit("mlsys-beat.service")["Service"]
    schedule = re.search(r"--schedule=(\S+)", one(service, "ExecStart")).group(1)
    assert schedule.startswith("/var/lib/mlsys/")


def test_the_nightly_backup_runs_bin_backup_into_a_private_directory():
    service = unit("mlsys-backup.service")["Service"]
    assert one(service, "Type") == "oneshot"
    assert one(service, "ExecStart") == "/srv/mlsys/bin/backup /var/lib/mlsys-backups"
    assert "mlsys-backups" in service["StateDirectory"]
    assert one(service, "StateDirectoryMode") == "0700"
    assert (ROOT / "bin" / "backup").stat().st_mode & 0o111
    timer = unit("mlsys-backup.timer")["Timer"]
    assert one(timer, "Persistent") == "true"


def test_systemd_accepts_the_units(tmp_path):
    """`systemd-analyze verify` with /srv/mlsys pointed at this checkout (so the commands exist)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    if not (ROOT / ".venv" / "bin" / "celery").exists():
        pytest.skip("no .venv in the checkout to point the units at")
    for path in UNITS.iterdir():
        (tmp_path / path.name).write_text(path.read_text().replace("/srv/mlsys", str(ROOT)))
    result = subprocess.run(
        [analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [line for line in result.stderr.splitlines() if "mlsys" in line]
    assert result.returncode == 0 and not problems, result.stderr


# --- nginx ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nginx_conf() -> str:
    return (ROOT / "deploy" / "nginx.conf").read_text()


def test_the_proxy_sets_the_headers_the_app_reads(nginx_conf):
    for header in (
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        'proxy_set_header X-Request-Start "t=${msec}";',
        "proxy_set_header Host $host;",
    ):
        assert header in nginx_conf
    assert re.search(r"client_max_body_size \d+m;", nginx_conf)
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", nginx_conf).group(1))
    gunicorn_timeout = re.search(
        r'GUNICORN_TIMEOUT"\s*,\s*"?(\d+)', (ROOT / "gunicorn.conf.py").read_text()
    )
    if gunicorn_timeout:
        assert read_timeout > int(gunicorn_timeout.group(1)), "gunicorn, not nginx, should time out"


def test_nginx_accepts_the_config(nginx_conf, tmp_path):
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=papers.example.org", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        check=True,
    )
    site = (
        nginx_conf.replace("/etc/letsencrypt/live/papers.example.org/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/papers.example.org/privkey.pem", str(key))
        .replace("/var/log/nginx/mlsys.access.log", str(tmp_path / "access.log"))
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [
            nginx,
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
