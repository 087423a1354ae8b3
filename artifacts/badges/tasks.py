"""Celery task of the badges package (found through WORKFLOW_PACKAGES in mlsys/celery.py)."""

from celery import shared_task

from artifacts.badges import services
from artifacts.models import StampedPaper


# The PDF work runs in a child process with its own limits (artifacts.badges.stamping); these
# are the outer bounds.
@shared_task(
    name="artifacts.stamp_camera_ready", acks_late=True, soft_time_limit=300, time_limit=360
)
def stamp_camera_ready(*, stamped_id: int) -> str | None:
    """Stamp one camera-ready (``services.run_stamp``); returns the stamp's final status, or
    quietly ``None`` when it no longer exists."""
    stamp = StampedPaper.objects.filter(pk=stamped_id).first()
    if stamp is None:
        return None
    return services.run_stamp(stamp).status
