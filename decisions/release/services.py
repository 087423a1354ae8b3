"""Releasing decisions from the release page and the API: the core release
(decisions.services.release_decisions: pending → released, the paper accepted or rejected), then
each released paper's letter PDF rendered in the background, and a report of what was done that
tells a conflicted chair nothing about the decisions of their conflicted papers.

Releasing is a conference-level chair action: a chair conflicted with some papers may release
(the decisions were set by other chairs; releasing changes none of them), and the report counts
those papers without naming their outcome.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from decisions import enums
from decisions.models import Decision, ReleaseRun
from decisions.release.queries import fingerprint
from decisions.services import release_decisions
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.viewer import require
from mlsys.core import audit, transitions
from reviews.rules import conflicted_submission_ids

log = logging.getLogger(__name__)
MANAGE = "decisions.manage_decisions"
REFUSED = "Only the program chairs release decisions."
STALE = (
    "The decisions changed since you opened this page (another chair decided, changed or "
    "released some). Nothing was released: check the new counts and confirm again."
)


@dataclass
class ReleaseReport:
    #: (outcome label, papers released) in outcome order, without conflicted papers.
    released: list[tuple[str, int]] = field(default_factory=list)
    #: (paper number, why) of each skipped paper, without conflicted papers.
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: Released or skipped papers the chair is conflicted with (counted, not described).
    conflicted: int = 0

    @property
    def released_total(self) -> int:
        return sum(n for _, n in self.released)


def release(*, conference, actor, track=None, expected: str | None = None) -> ReleaseReport:
    """Release the pending decisions of ``conference`` (or of one ``track``).

    With ``expected`` (the fingerprint the chair's page showed), a release whose pending
    decisions changed meanwhile is refused with ValidationError and releases nothing."""
    viewer, _ = require(
        actor,
        "decisions.manage_decisions",
        conference,
        "Only the program chairs release decisions.",
    )
    if expected is not None and expected != fingerprint(conference, track, viewer):
        raise ValidationError(STALE)
    result = release_decisions(conference=conference, actor=actor, track=track)
    for submission in result.done:
        enqueue_on_commit("decisions.render_letter", submission_id=submission.pk)
    conflicted = conflicted_submission_ids(viewer, conference)
    released_ids = [s.pk for s in result.done if s.pk not in conflicted]
    by_outcome = Counter(
        Decision.objects.filter(submission_id__in=released_ids)
        .order_by("outcome__order", "outcome_id")
        .values_list("outcome__label", flat=True)
    )
    return ReleaseReport(
        released=list(by_outcome.items()),
        skipped=[(s.number, why) for s, why in result.skipped if s.pk not in conflicted],
        conflicted=sum(1 for s in result.done if s.pk in conflicted)
        + sum(1 for s, _ in result.skipped if s.pk in conflicted),
    )


def as_dict(report: ReleaseReport, *, scope: str) -> dict:
    return {
        "scope": scope,
        "released": [[label, n] for label, n in report.released],
        "released_total": report.released_total,
        "skipped": [[number, why] for number, why in report.skipped],
        "conflicted": report.conflicted,
    }


def request_release(*, conference, actor, track=None, expected: str | None = None) -> ReleaseRun:
    """Check the confirmation now (a stale one is refused with ValidationError, nothing
    queued), then release in the background (``decisions.release_decisions``): at 10,000 papers
    a release takes about a minute."""
    viewer, user = require(actor, MANAGE, conference, REFUSED)
    if expected is not None and expected != fingerprint(conference, track, viewer):
        raise ValidationError(STALE)
    with transaction.atomic():
        run = ReleaseRun.objects.create(conference=conference, track=track, requested_by=user)
        audit.record(
            "decisions.release_requested",
            actor=user,
            target=run,
            conference=conference,
            note=str(track) if track else "all tracks",
        )
        enqueue_on_commit("decisions.release_decisions", run_id=run.pk)
    return run


def run_release(run: ReleaseRun) -> bool:
    """Carry out a queued release as the chair who asked; its report is stored on the run."""
    table, S = enums.RELEASE_RUN_TRANSITIONS, enums.ReleaseRunStatus
    action = "decisions.release_run_status"
    if not transitions.transition(run, S.RUNNING, table=table, action=action):
        return False
    scope = str(run.track) if run.track_id else "all tracks"
    try:
        if run.requested_by is None:
            raise PermissionDenied("The chair who asked for this release no longer exists.")
        report = release(conference=run.conference, actor=run.requested_by, track=run.track)
    except Exception as error:  # recorded on the run; the page shows it to the chair
        log.exception("Release run %s failed", run.pk)
        transitions.transition(run, S.FAILED, table=table, action=action, error=f"{error}"[:500])
        return False
    return transitions.transition(
        run, S.DONE, table=table, action=action, report=as_dict(report, scope=scope)
    )
