"""Celery task of the affinity computation (found by autodiscovery, see mlsys/celery.py)."""

from celery import shared_task

from reviews.affinity import services
from reviews.models import AffinityRun


# Longer limits than the default: a large conference takes minutes (docs/benchmarks.md).
@shared_task(
    name="reviews.compute_affinities", acks_late=True, soft_time_limit=1800, time_limit=1900
)
def compute_affinities(*, run_id: int) -> str | None:
    """Run one affinity computation (see ``reviews.affinity.services.compute_affinities``).

    Returns the run's final status; quietly ``None`` when the run no longer exists.
    """
    run = AffinityRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    return services.compute_affinities(run).status
