"""Celery task of the authors' side: the smoke checks of one artifact (found through
WORKFLOW_PACKAGES in mlsys/celery.py; enqueued by artifacts.registration.services)."""

from celery import shared_task
from django.utils import timezone

from artifacts.models import SmokeCheck
from artifacts.registration import smoke
from decisions.enums import BUILD_TRANSITIONS, BuildStatus
from mlsys.core import transitions


@shared_task(name="artifacts.smoke_check")
def smoke_check(*, id: int) -> str | None:  # noqa: A002 - enqueue_on_commit(…, id=…)
    """Run smoke check ``id`` (queued → running → ready, or failed if the run itself broke;
    unreachable hosts are warnings in a ready check). Returns its final status."""
    check = SmokeCheck.objects.select_related("artifact__conference").filter(pk=id).first()
    if check is None:
        return None
    if not transitions.transition(
        check,
        BuildStatus.RUNNING,
        table=BUILD_TRANSITIONS,
        action="artifacts.smoke_check",
        conference=check.artifact.conference,
    ):
        return check.status
    try:
        results = smoke.run(
            repository_url=check.repository_url, version=check.version, doi=check.doi
        )
    except Exception:  # noqa: BLE001 - a check never crashes the worker
        transitions.transition(
            check,
            BuildStatus.FAILED,
            table=BUILD_TRANSITIONS,
            action="artifacts.smoke_check",
            conference=check.artifact.conference,
            results=[smoke.result("run", False, "The checks could not run; try again later.")],
            finished_at=timezone.now(),
        )
        return BuildStatus.FAILED
    transitions.transition(
        check,
        BuildStatus.READY,
        table=BUILD_TRANSITIONS,
        action="artifacts.smoke_check",
        conference=check.artifact.conference,
        results=results,
        finished_at=timezone.now(),
    )
    return BuildStatus.READY
