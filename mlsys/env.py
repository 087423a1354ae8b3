"""Typed environment reads that fail loudly, naming the variable at fault."""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured


class StrictEnv(environ.Env):
    """``environ.Env`` whose parse errors name the variable and the value expected.

    Secrets may also come from a file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when
    ``SECRET_KEY`` itself is unset (Docker and Kubernetes secrets).
    """

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        file_var = f"{var}_FILE"
        if var not in self.ENVIRON and file_var in self.ENVIRON:
            path = Path(self.ENVIRON[file_var])
            try:
                self.ENVIRON[var] = path.read_text().strip()
            except OSError as exc:
                raise ImproperlyConfigured(
                    f"{file_var} points at {path}, which can't be read: {exc}"
                ) from exc
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ImproperlyConfigured:
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            kind = getattr(cast, "__name__", None) or repr(cast)
            raise ImproperlyConfigured(
                f"Environment variable {var}={self.ENVIRON.get(var)!r} is malformed: expected "
                f"{kind} ({exc})."
            ) from exc

    def bool(self, var, default=environ.Env.NOTSET):
        raw = self.ENVIRON.get(var)
        if raw is not None and raw.strip().lower() not in {
            *self.BOOLEAN_TRUE_STRINGS,
            "false",
            "off",
            "no",
            "n",
            "0",
            "",
        }:
            raise ImproperlyConfigured(
                f"Environment variable {var}={raw!r} is malformed: expected a boolean "
                "(true/false, on/off, yes/no, 1/0)."
            )
        return super().bool(var, default=default)

    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=environ.Env.NOTSET, engine=None):
        expected = "such as postgres://user@host:5432/name or sqlite:///path"
        try:
            config = super().db_url(var, default=default, engine=engine)
        except ImproperlyConfigured:
            raise
        except Exception as exc:  # environ raises bare exceptions for unknown schemes
            raise ImproperlyConfigured(
                f"Environment variable {var}={self.ENVIRON.get(var)!r} is not a database URL "
                f"{expected} ({exc})."
            ) from exc
        # environ passes an unknown scheme through as the ENGINE, which Django would only
        # reject later with a message that doesn't name the variable.
        if "." not in config.get("ENGINE", ""):
            raise ImproperlyConfigured(
                f"Environment variable {var}={self.ENVIRON.get(var)!r} is not a database URL "
                f"{expected} (unknown scheme {config.get('ENGINE')!r})."
            )
        return config

    db = db_url


def read_env(base_dir: Path, *, use_dotenv: bool = True) -> StrictEnv:
    """Load ``base_dir/.env`` (if present) under the process environment and return the reader."""
    env = StrictEnv()
    env_file = base_dir / ".env"
    if use_dotenv and env_file.exists() and not os.environ.get("MLSYS_IGNORE_DOTENV"):
        env.read_env(str(env_file), overwrite=False)
    return env
