"""The Celery application. Configuration lives in settings under the ``CELERY_`` prefix.

Without ``CELERY_BROKER_URL`` tasks run eagerly in the calling process (``task_always_eager``),
which is how ``make run`` and the default test suite work.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings")

app = Celery("mlsys")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
