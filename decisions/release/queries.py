"""What releasing decisions would touch, per track, as one chair may see it.

A chair conflicted with a paper sees nothing of its decision: such papers are counted apart as
"papers you are conflicted with" (whatever their decision, or none), never by outcome.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, Q, Value, When

from decisions import enums
from decisions.models import Decision, Outcome
from reviews.rules import conflicted_submission_ids
from submissions.enums import Status

D = enums.DecisionStatus
#: The fingerprint of "no pending decision".
EMPTY = hashlib.sha256().hexdigest()[:16]


@dataclass
class TrackSummary:
    track: object
    #: (outcome label, papers) of the pending decisions release would apply, in outcome order.
    pending: list[tuple[str, int]] = field(default_factory=list)
    #: Papers with a pending decision that are no longer under review (withdrawn or desk-rejected
    #: since): release skips them and their decision stays pending.
    withdrawn: int = 0
    #: Papers under review without a decision: they stay undecided.
    undecided: int = 0
    #: Papers whose decision is already released.
    released: int = 0
    #: Papers of the track the chair is conflicted with (any state): counted, never described.
    conflicted: int = 0

    @property
    def pending_total(self) -> int:
        return sum(n for _, n in self.pending)


def release_preview(conference, viewer) -> list[TrackSummary]:
    """One summary per track (four queries whatever the number of papers)."""
    conflicted = conflicted_submission_ids(viewer, conference)
    labels = {o.pk: o.label for o in Outcome.objects.filter(conference=conference)}
    order = list(labels)
    summaries = {t.pk: TrackSummary(t) for t in conference.tracks.order_by("order", "pk")}
    pending: dict[int, dict[int, int]] = {pk: {} for pk in summaries}
    rows = (
        conference.submissions.filter(
            Q(status__in=[Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED])
            | Q(decision__isnull=False)
        )
        .annotate(
            is_conflicted=Case(
                When(pk__in=list(conflicted), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by()
        .values_list(
            "track_id", "status", "decision__status", "decision__outcome_id", "is_conflicted"
        )
        .annotate(n=Count("pk"))
    )
    for track_id, status, decision_status, outcome_id, is_conflicted, n in rows:
        summary = summaries.get(track_id)
        if summary is None:
            continue
        if is_conflicted:
            summary.conflicted += n
        elif decision_status == D.PENDING and status == Status.SUBMITTED:
            pending[track_id][outcome_id] = pending[track_id].get(outcome_id, 0) + n
        elif decision_status == D.PENDING:
            summary.withdrawn += n
        elif decision_status == D.RELEASED:
            summary.released += n
        elif status == Status.SUBMITTED:
            summary.undecided += n
    for track_id, summary in summaries.items():
        summary.pending = [
            (labels[pk], pending[track_id][pk]) for pk in order if pending[track_id].get(pk)
        ]
    return list(summaries.values())


def fingerprints(conference, viewer=None) -> dict[int | None, str]:
    """A short digest of the pending decisions release would act on, for the whole conference
    (key None) and each track (one query): the confirmation form carries it, and a release whose
    pending decisions changed since the chair read the page is refused.

    With ``viewer``, only the decisions that chair may see: a digest over a conflicted paper's
    decision would change when that decision changes, and equal :data:`EMPTY` when it has none
    (a track of one conflicted paper), telling the chair what they may not know. Their
    confirmation covers what they read; the conflicted papers' decisions are another chair's."""
    digests: dict[int | None, hashlib._Hash] = {None: hashlib.sha256()}
    hidden = list(conflicted_submission_ids(viewer, conference)) if viewer is not None else []
    rows = (
        Decision.objects.filter(submission__conference=conference, status=D.PENDING)
        .exclude(submission_id__in=hidden)
        .order_by("pk")
        .values_list("pk", "outcome_id", "submission__status", "submission__track_id", "updated_at")
    )
    for pk, outcome_id, status, track_id, updated in rows:
        line = f"{pk}:{outcome_id}:{status}:{updated.isoformat()};".encode()
        digests[None].update(line)
        digests.setdefault(track_id, hashlib.sha256()).update(line)
    return {key: digest.hexdigest()[:16] for key, digest in digests.items()}


def fingerprint(conference, track=None, viewer=None) -> str:
    """The digest of :func:`fingerprints` for the conference or one track."""
    return fingerprints(conference, viewer).get(track.pk if track is not None else None, EMPTY)
