"""Steps shared by the browser journeys: logging in and out through the real pages, screenshots,
and a stand-in Celery worker for watching a page update by itself."""

import os
import re
from pathlib import Path

from django.urls import reverse

from tests import factories

#: Where journeys leave screenshots of their key steps (for people, not for assertions).
SHOTS = Path(os.environ.get("MLSYS_E2E_SHOTS", "/tmp/e2e-shots"))


def login(page, email: str, password: str = factories.PASSWORD) -> None:
    """Log in through the login page, as a person would, and wait until the page says so."""
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").wait_for()


def shot(page, name: str) -> None:
    """A full-page screenshot of the current step in ``SHOTS`` (for looking at, never asserted)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def mark_page(page) -> None:
    """Tag the loaded document; :func:`same_page` tells later whether the browser reloaded it."""
    page.evaluate("window.__e2eMark = 'still here'")


def same_page(page) -> bool:
    return page.evaluate("window.__e2eMark === 'still here'")


class DeferredWorker:
    """Stands in for a Celery worker for one task: while installed (``monkeypatch.setattr`` on
    the module-level enqueue function), calls are recorded instead of run eagerly, and
    :meth:`run` performs them later from the test thread, off the request path, exactly as a
    worker would."""

    def __init__(self, task) -> None:
        self.task = task
        self.queued: list[dict] = []

    def enqueue(self, **kwargs) -> None:
        self.queued.append(kwargs)

    def run(self) -> int:
        done = 0
        while self.queued:
            self.task(**self.queued.pop(0))
            done += 1
        return done


def write_file(tmp_path, name: str, data: bytes):
    """``data`` written to ``tmp_path / name``, for a file input to pick."""
    path = tmp_path / name
    path.write_bytes(data)
    return path
