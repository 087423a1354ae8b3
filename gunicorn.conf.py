"""gunicorn settings shared by every deployment shape: the Docker image, docker-compose, the
systemd units in docs/deploy.md, bin/smoke-production and ``make bench-rush``.

gunicorn reads this file from its working directory (or ``-c gunicorn.conf.py``). Each value
can be overridden from the environment, so operators size the web tier without editing code.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
