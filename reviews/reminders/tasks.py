"""Beat task: reminders for unfinished reviews (found by autodiscovery, see mlsys/celery.py).
Runs hourly; reviews.reminders.services keeps it to one email per reviewer per day."""

from celery import shared_task
from django.utils import timezone

from mlsys.conferences import archive
from mlsys.conferences.queries import with_schedule
from reviews.reminders.services import reminder_window, send_review_reminders


@shared_task(name="reviews.remind_reviewers")
def remind_reviewers() -> int:
    """Remind late reviewers at every conference inside its reminder window."""
    now = timezone.now()
    sent = 0
    for conference in with_schedule(archive.active_conferences()):
        if reminder_window(conference, now) is not None:
            sent += send_review_reminders(conference, now=now)
    return sent
