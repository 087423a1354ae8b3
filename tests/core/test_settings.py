"""Start-up fails loudly on bad configuration, naming the variable (STYLE.md §10).

Each case starts a fresh interpreter with ``django.setup()``: settings are read once per
process, and the test process has already read its own.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'debug': s.DEBUG, "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'secret': s.SECRET_KEY, "
    "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], 'email': s.EMAIL_BACKEND, "
    "'upload_temp': s.FILE_UPLOAD_TEMP_DIR}))"
)
# Variables the settings read; each case starts from none of them, so the developer's
# environment (or CI's DATABASE_URL) can't leak in.
SETTINGS_VARS = {
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CELERY_RESULT_BACKEND",
    "EMAIL_URL",
    "CACHE_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "FILE_UPLOAD_TEMP_DIR",
    "MLSYS_TESTING",
}


def start(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    environ.update(
        DJANGO_SETTINGS_MODULE="mlsys.settings",
        MLSYS_IGNORE_DOTENV="1",
        MLSYS_TESTING="false",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_of(**env: str) -> dict:
    result = start(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DEBUG": "maybe"},
            "Environment variable DEBUG='maybe' is malformed: expected a boolean",
        ),
        (
            {"SECRET_KEY": "k", "DATABASE_URL": "nonsense://x"},
            "Environment variable DATABASE_URL='nonsense://x' is not a database URL",
        ),
        (
            {"SECRET_KEY": "k", "CONN_MAX_AGE": "abc"},
            "Environment variable CONN_MAX_AGE='abc' is malformed: expected int",
        ),
        ({"DEBUG": "false"}, "SECRET_KEY is required when DEBUG is off"),
        (
            {"SECRET_KEY_FILE": "/nonexistent/secret"},
            "SECRET_KEY_FILE points at /nonexistent/secret, which can't be read",
        ),
    ],
    ids=["debug-maybe", "database-url-scheme", "conn-max-age", "no-secret-key", "missing-file"],
)
def test_bad_configuration_stops_start_up_naming_the_variable(env, message):
    result = start(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in last_line(result)
    assert message in last_line(result)


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-mounted-secret\n")

    assert settings_of(SECRET_KEY_FILE=str(secret))["secret"] == "from-a-mounted-secret"


def test_secret_key_in_the_environment_wins_over_the_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-the-file")

    values = settings_of(SECRET_KEY="from-the-env", SECRET_KEY_FILE=str(secret))

    assert values["secret"] == "from-the-env"


def test_defaults_are_sqlite_in_the_project_eager_tasks_and_debug_off():
    values = settings_of(SECRET_KEY="k")

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["eager"] is True
    assert values["debug"] is False
    assert values["conn_max_age"] == 0
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_debug_on_runs_without_a_secret_key():
    values = settings_of(DEBUG="on")

    assert values["debug"] is True
    assert values["secret"]


def test_database_and_broker_urls_are_read():
    values = settings_of(
        SECRET_KEY="k",
        DATABASE_URL="postgres://app:pw@db.internal:5432/mlsys",
        CONN_MAX_AGE="60",
        CELERY_BROKER_URL="redis://redis.internal:6379/0",
    )

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "mlsys"
    assert values["conn_max_age"] == 60
    assert values["eager"] is False


def test_uploads_are_received_in_the_system_temp_dir_unless_told_otherwise():
    assert settings_of(SECRET_KEY="k")["upload_temp"] is None
    told = settings_of(SECRET_KEY="k", FILE_UPLOAD_TEMP_DIR="/srv/mlsys/upload-tmp")
    assert told["upload_temp"] == "/srv/mlsys/upload-tmp"


def _documented(path: Path) -> str:
    return (ROOT / path).read_text()


def _variables_read_by_settings() -> set[str]:
    source = (ROOT / "mlsys" / "settings.py").read_text()
    return set(re.findall(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def test_every_variable_the_settings_read_is_in_env_example_and_the_docs():
    variables = _variables_read_by_settings()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= variables

    example = _documented(Path(".env.example"))
    reference = _documented(Path("docs/configuration.md"))
    missing_example = {v for v in variables if not re.search(rf"^#? ?{v}=", example, re.M)}
    missing_docs = {v for v in variables if f"`{v}`" not in reference}
    assert not missing_example, f"add to .env.example: {sorted(missing_example)}"
    assert not missing_docs, f"add to docs/configuration.md: {sorted(missing_docs)}"


def test_env_example_as_written_starts_once_a_secret_key_is_set():
    values = {}
    for line in _documented(Path(".env.example")).splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    values["SECRET_KEY"] = "a-real-secret"

    settings = settings_of(**values)

    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["eager"] is True
    assert settings["debug"] is False


def _start_without_testing_flag(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    environ.update(DJANGO_SETTINGS_MODULE="mlsys.settings", MLSYS_IGNORE_DOTENV="1", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_process_that_imports_pytest_gets_no_insecure_key():
    result = _start_without_testing_flag("import pytest\n" + PRINT_SETTINGS)

    assert result.returncode == 1
    assert last_line(result) == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is required when DEBUG is off. "
        "Set it in the environment or in .env (`make run` writes a random one for local use)."
    )


def test_a_process_that_imports_pytest_is_not_in_test_mode():
    result = _start_without_testing_flag(
        "import pytest, django; django.setup(); from django.conf import settings as s; "
        "print(s.TESTING, s.EMAIL_BACKEND)",
        SECRET_KEY="k",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.core.mail.backends.console.EmailBackend"]


def test_the_suite_runs_on_the_test_settings_module():
    from django.conf import settings

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "mlsys.settings_test"
    assert settings.TESTING is True
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_env_example_loads_into_a_shell_as_docs_deploy_says():
    """docs/deploy.md (without Docker) loads the env file with ``set -a; . mlsys.env``: the
    unquoted ``DEFAULT_FROM_EMAIL=MLSys Conference <noreply@localhost>`` stopped the shell with
    a syntax error, and every variable after it was missing from collectstatic and migrate."""
    shell = subprocess.run(
        ["bash", "-c", 'set -a; . ./.env.example; set +a; printf %s "$DEFAULT_FROM_EMAIL"'],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
    )
    assert shell.stderr == ""
    assert shell.stdout == "MLSys Conference <noreply@localhost>"
    # The app's own reader (django-environ, in a clean process) takes the quotes away too.
    app = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, environ; environ.Env.read_env('.env.example'); "
            "print(os.environ['DEFAULT_FROM_EMAIL'], end='')",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
    )
    assert app.stdout == "MLSys Conference <noreply@localhost>", app.stderr
