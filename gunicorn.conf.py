"""gunicorn settings shared by every deployment shape: the Docker image, docker-compose, the
systemd units in docs/deploy.md, bin/smoke-production and ``make bench-rush``.

gunicorn reads this file from its working directory (or ``-c gunicorn.conf.py``). Each value
can be overridden from the environment, so operators size the web tier without editing code.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")

# --- Threads (issue 13, deadline rush; docs/reliability.md "Rush benchmark") ---------------
# With one thread per process, every request waits in the listen queue behind the requests
# ahead of it: in a rush those are logins (0.2 s of CPU each), and an upload that needs 50 ms
# waited 10+ s. With threads, each request starts at once; the login gate
# (mlsys.accounts.middleware) makes the hashes take turns so uploads keep the CPU they need.
# Threads only wait (on the gate, the database, the disk), so many are cheap, but each may
# hold a database connection: with CONN_MAX_AGE > 0 every thread keeps one open, so keep
# WEB_CONCURRENCY × GUNICORN_THREADS under PostgreSQL's max_connections, or set
# CONN_MAX_AGE=0 (or a pooler) as docs/deploy.md says.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A gthread process accepts up to worker_connections clients (gunicorn's default: 1000) and
# queues their requests for its threads, so in a rush one process could take more clients than
# it has threads while another idled: their pages then waited behind logins queued at the login
# gate (page p95 50 s at 200 authors). At most one client per thread leaves the rest in the
# listen queue for whichever process has a thread free.
if threads > 1:
    worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(threads)))
