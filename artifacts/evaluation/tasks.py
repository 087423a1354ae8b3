"""Beat task: the evaluation's time-driven moves (found through WORKFLOW_PACKAGES in
mlsys/celery.py). Runs hourly; artifacts.evaluation.decide.advance_evaluations is idempotent."""

from celery import shared_task
from django.utils import timezone

from artifacts.evaluation.decide import advance_evaluations as advance
from mlsys.conferences import archive
from mlsys.conferences.queries import with_schedule


@shared_task(name="artifacts.advance_evaluations")
def advance_evaluations() -> int:
    """Move the artifacts of every active (not archived) conference whose kick-the-tires
    window opened or closed or whose evaluations are due. Returns the number moved."""
    now = timezone.now()
    return sum(
        advance(conference, now=now)
        for conference in with_schedule(
            archive.active_conferences().filter(ae_settings__isnull=False)
        )
    )
