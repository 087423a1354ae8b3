"""Whether a review is late: unfinished after the conference's review deadline, or submitted
after it. Reviews may still be written late (reviews.reviewing.services); pages mark them with
"late by N days", counted in whole days elapsed (6 days 20 hours late is "6 days"), and "less
than a day" before the first whole day is over."""

from datetime import datetime, timedelta

from django.template.defaultfilters import pluralize


def is_late(due: datetime | None, at: datetime | None) -> bool:
    """Whether ``at`` is past ``due``; False when either is unknown."""
    return due is not None and at is not None and at > due


def days_late(due: datetime | None, at: datetime | None) -> int:
    """Whole days ``at`` is past ``due`` (rounded down); 0 when on time, less than a day late
    or either is unknown (use ``is_late`` to tell those apart)."""
    if not is_late(due, at):
        return 0
    return (at - due) // timedelta(days=1)


def late_by(due: datetime | None, at: datetime | None) -> str:
    """How late, as pages say it after "late by": "" when on time, "less than a day", or
    "N day(s)" in whole days."""
    if not is_late(due, at):
        return ""
    days = days_late(due, at)
    return f"{days} day{pluralize(days)}" if days else "less than a day"
