"""Releasing decisions off the request path."""

from celery import shared_task

from decisions.models import ReleaseRun
from decisions.release import services


@shared_task(name="decisions.release_decisions")
def release_decisions(*, run_id: int) -> str:
    run = (
        ReleaseRun.objects.filter(pk=run_id)
        .select_related("conference", "track", "requested_by")
        .first()
    )
    if run is None:
        return "gone"
    return "done" if services.run_release(run) else "skipped"
