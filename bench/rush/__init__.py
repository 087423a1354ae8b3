"""The deadline rush benchmark: ``make bench-rush`` (``python -m bench.rush``).

Starts the stack as deployed on this machine (gunicorn with gunicorn.conf.py and DEBUG off, a
Celery worker for ``checks,celery``, a mail worker for ``mail``, beat, PostgreSQL, Redis and an
SMTP sink), drives N concurrent authors that log in and upload a PDF, and verifies in the
database and at the sink that every acknowledged upload was stored, checked and receipted once.
See docs/reliability.md, "Rush benchmark".

Modules: :mod:`.stack` (processes), :mod:`.sink` (SMTP sink), :mod:`.db` (seeding and
verification, run inside Django), :mod:`.authors` (the simulated authors), :mod:`.report`
(figures and the docs table), :mod:`.__main__` (the command line).
"""
