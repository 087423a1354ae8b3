"""Whether a review is late: unfinished after the conference's review deadline, or submitted
after it. Reviews may still be written late (reviews.reviewing.services); pages mark them with
"late by N days", counted in whole days rounded up (an hour late is one day late)."""

import math
from datetime import datetime, timedelta


def days_late(due: datetime | None, at: datetime | None) -> int:
    """Days ``at`` is past ``due`` (rounded up); 0 when on time or either is unknown."""
    if due is None or at is None or at <= due:
        return 0
    return math.ceil((at - due) / timedelta(days=1))
