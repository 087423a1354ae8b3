"""The workers' heartbeat, which /healthz?full=1 reads (mlsys.core.health.workers)."""

from celery import shared_task
from django.utils import timezone

from mlsys.core.models import Heartbeat


@shared_task(name="core.heartbeat", bind=True, ignore_result=True)
def heartbeat(self, *, queue: str = "celery") -> None:
    """Record that a worker consuming ``queue`` ran this task now. Queued by beat every
    ``HEALTH_HEARTBEAT_SECONDS`` to that queue: a fresh row proves beat and a worker alive."""
    Heartbeat.objects.update_or_create(
        queue=queue, defaults={"at": timezone.now(), "hostname": self.request.hostname or ""}
    )
