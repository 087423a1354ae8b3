"""Celery task for conflict detection (kept apart from tasks.py, which holds the PDF pipeline)."""

from celery import shared_task

from mlsys.conferences.models import Conference
from submissions.conflicts import recompute_conflicts


@shared_task(name="submissions.recompute_conflicts")
def recompute_conflicts_task(*, conference_id: int) -> dict | None:
    """Recompute the detected conflicts of one conference; quietly nothing if it is gone."""
    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None:
        return None
    result = recompute_conflicts(conference)
    return {"created": result.created, "updated": result.updated, "deleted": result.deleted}
