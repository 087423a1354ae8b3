"""Celery task of the threshold helper: setting many decisions from a cut-off off the request."""

from celery import shared_task

from decisions.dashboard.threshold import apply_cutoff as _apply_cutoff
from decisions.models import Outcome
from mlsys.accounts.models import User
from mlsys.conferences.models import Conference


@shared_task(name="decisions.apply_cutoff")
def apply_cutoff(
    *,
    conference_id: int,
    user_id: int,
    cutoff: float,
    digest: str,
    accept_id: int,
    reject_id: int,
) -> int:
    """Record the pending decisions a chair confirmed; idempotent: once they are recorded the
    plan (hence its digest) changes and a second run sets nothing. Returns the papers set."""
    conference = Conference.objects.filter(pk=conference_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    outcomes = {o.pk: o for o in Outcome.objects.filter(pk__in=[accept_id, reject_id])}
    if conference is None or user is None or len(outcomes) != 2:
        return 0
    result = _apply_cutoff(
        conference=conference,
        actor=user,
        cutoff=cutoff,
        digest=digest,
        accept=outcomes[accept_id],
        reject=outcomes[reject_id],
    )
    return 0 if result is None else len(result[0].done) + len(result[1].done)
