"""The demo's clock: while a step of the demo year runs, ``django.utils.timezone.now()`` answers
the moment that step happened, so every row, audit event, file version and email the services
write carries a time consistent with the conference's deadlines.

The code base reads the time only through ``timezone.now()`` (model ``auto_now`` fields too), so
setting that one function is enough. It is process-wide: use it only in the single-threaded
``seed_demo`` command and its tests, never in a request.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone


@contextmanager
def at(when: datetime) -> Iterator[None]:
    """Within the block, ``timezone.now()`` is ``when`` (an aware datetime)."""
    if timezone.is_naive(when):
        raise ValueError("The demo clock needs an aware datetime.")
    previous = timezone.now
    timezone.now = lambda: when
    try:
        yield
    finally:
        timezone.now = previous
