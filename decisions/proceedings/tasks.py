"""Celery task of the proceedings builds (found through WORKFLOW_PACKAGES in mlsys/celery.py)."""

from celery import shared_task

from decisions.models import ProceedingsBuild
from decisions.proceedings import services


# A booklet of thousands of papers takes minutes (docs/benchmarks.md).
@shared_task(
    name="decisions.build_proceedings", acks_late=True, soft_time_limit=3600, time_limit=3700
)
def build_proceedings(*, build_id: int) -> str | None:
    """Build one booklet or ZIP (``services.run_build``); returns its final status, or quietly
    ``None`` when the build no longer exists."""
    build = ProceedingsBuild.objects.filter(pk=build_id).first()
    if build is None:
        return None
    return services.run_build(build).status
