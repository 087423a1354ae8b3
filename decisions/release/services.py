"""Releasing decisions from the release page and the API: the core release
(decisions.services.release_decisions: pending → released, the paper accepted or rejected), then
each released paper's letter PDF rendered in the background, and a report of what was done that
tells a conflicted chair nothing about the decisions of their conflicted papers.

Releasing is a conference-level chair action: a chair conflicted with some papers may release
(the decisions were set by other chairs; releasing changes none of them), and the report counts
those papers without naming their outcome.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from decisions.models import Decision
from decisions.release.queries import fingerprint
from decisions.services import release_decisions
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.viewer import require
from reviews.rules import conflicted_submission_ids

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
    if expected is not None and expected != fingerprint(conference, track):
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
