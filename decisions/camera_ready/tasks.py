"""Beat task: reminders for incomplete camera-readies (found through WORKFLOW_PACKAGES in
mlsys/celery.py). Runs hourly; decisions.camera_ready.services sends each paper's reminder once
per threshold."""

from celery import shared_task
from django.utils import timezone

from decisions.camera_ready.services import send_reminders
from mlsys.conferences import archive
from mlsys.conferences.queries import with_schedule


@shared_task(name="decisions.remind_camera_ready")
def remind_camera_ready() -> int:
    """Remind the authors of incomplete camera-readies at every active conference whose
    camera-ready deadline is 7 or 2 days away. Returns the number of emails queued."""
    now = timezone.now()
    return sum(
        send_reminders(conference, now=now)
        for conference in with_schedule(archive.active_conferences())
    )
