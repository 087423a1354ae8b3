"""The Celery application. Configuration lives in settings under the ``CELERY_`` prefix.

Without ``CELERY_BROKER_URL`` tasks run eagerly in the calling process (``task_always_eager``),
which is how ``make run`` and the default test suite work.
"""

import logging
import os

from celery import Celery
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings")

log = logging.getLogger(__name__)
app = Celery("mlsys")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py, then each workflow package's (reviews/<package>/tasks.py).
# Task names are explicit (``name=``) and never change: beat schedules and queued messages
# hold them.
WORKFLOW_PACKAGES = [
    "decisions.camera_ready",
    "decisions.dashboard",
    "decisions.proceedings",
    "reviews.affinity",
    "reviews.assignment",
    "reviews.bidding",
    "reviews.reminders",
    "decisions.letters",
    "decisions.release",
    "artifacts.registration",
    "artifacts.assignment",
    "artifacts.evaluation",
    "artifacts.badges",
]
app.autodiscover_tasks()
app.autodiscover_tasks(lambda: WORKFLOW_PACKAGES)


def enqueue_on_commit(task_name: str, **kwargs) -> None:
    """Queue the task registered as ``task_name`` once the current transaction commits.

    Services enqueue by name, so a service never imports the tasks module that imports it.
    A process that has not loaded its task modules yet (the web app) autodiscovers them first.

    A broker outage never fails the request that committed: the task is not queued, which is
    logged, and the work it stands for stays in the database for a sweep or a retry (the
    request's own changes are committed either way).
    """

    def send() -> None:
        if task_name not in app.tasks:
            app.loader.import_default_modules()
        try:
            app.tasks[task_name].delay(**kwargs)
        except OperationalError as exc:
            log.warning(
                "Broker unavailable; task %s(%s) was not queued and is left for a sweep: %s",
                task_name,
                kwargs,
                exc,
            )

    transaction.on_commit(send)
