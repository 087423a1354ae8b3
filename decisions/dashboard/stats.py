"""The decisions dashboard's numbers: one row per paper with its review statistics, computed for
the whole conference in a fixed number of queries (whatever the number of papers or reviews).

What counts as a score: a *submitted* review on a live assignment (released, not declined, not
removed), or a removed reviewer's review a chair kept in the scores (as the authors' page
counts them). Score fields are the active score fields of the conference's review forms,
matched by key; the *primary* field is ``overall_merit`` when a form has it (else the first score
field), the confidence field is ``confidence``. Reviewers' sides come from their committee
membership (ML or Systems; "both", external reviewers and chairs count in no side).

Conflicts: the chair viewing is given the rows of papers they are conflicted with *redacted*
(number, title, track, topics — what a conflicted PC member sees — and nothing of reviews,
scores, discussion, tags or decision); those papers are left out of the calibration fit, the
reviewer biases, the counters and the plots, so nothing on the dashboard depends on their
reviews.

Heavy part cached: everything that comes from the reviews, live assignments, reviewers' sides and
score questions (per paper: progress by side, each field's statistics, the confidence-weighted
mean, the side means; the calibration fit and the reviewers' biases) is computed in four queries
and cached (Django's cache, as plain tuples) under a fingerprint of those tables (count and
newest change of each, one query) plus the set of papers the viewer may not see; any new or
edited review, assignment, side or question changes the key. Decisions, meta-reviews, comments,
tags and topics are read fresh on every request (one query for the papers with their decision,
recommendation and discussion activity, one each for topics and tags).
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTransform

from decisions.calibration import calibrate
from decisions.models import Outcome
from decisions.outcomes import outcomes_of
from mlsys.accounts.models import User
from mlsys.conferences.enums import Side
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.enums import FieldKind, ReviewState
from reviews.models import Assignment, Comment, Review, ReviewField
from reviews.models.matching import live_q
from reviews.rules import load_conflicts
from submissions.enums import Status

PRIMARY_KEY = "overall_merit"
CONFIDENCE_KEY = "confidence"
#: Statuses the dashboard lists: papers under review and decided ones (drafts, withdrawn and
#: desk-rejected papers are not for deciding).
LISTED = (Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED)
ML, SYSTEMS, OTHER = "ml", "systems", "other"
SIDE_OF: dict[str | None, str] = {Side.ML: ML, Side.SYSTEMS: SYSTEMS}
CACHE_SECONDS = 600


@dataclass(frozen=True)
class ScoreField:
    key: str
    label: str
    low: int
    high: int


class FieldStats(NamedTuple):
    """One score field's statistics on one paper. A named tuple: the cached per-paper results
    hold these directly, and unpickling a tuple costs far less than building 50,000 objects."""

    mean: float
    median: float
    low: float
    high: float
    count: int  # type: ignore[assignment]  # (shadows tuple.count, which nobody calls here)

    @property
    def spread(self) -> float:
        """Highest minus lowest score: how far the reviewers disagree."""
        return self.high - self.low


@dataclass
class PaperRow:
    id: int
    number: int
    title: str
    track_id: int
    status: str
    topic_ids: list[int] = field(default_factory=list)
    #: True when the viewing chair is conflicted: every field below stays empty.
    conflicted: bool = False
    tag_ids: list[int] = field(default_factory=list)
    assigned: dict[str, int] = field(default_factory=lambda: {ML: 0, SYSTEMS: 0, OTHER: 0})
    done: dict[str, int] = field(default_factory=lambda: {ML: 0, SYSTEMS: 0, OTHER: 0})
    scores: dict[str, FieldStats] = field(default_factory=dict)
    weighted: float | None = None
    ml_mean: float | None = None
    systems_mean: float | None = None
    calibrated: float | None = None
    recommendation: str = ""
    comments: int = 0
    last_comment: datetime | None = None
    outcome_id: int | None = None
    decision_status: str = ""
    decision_reason: str = ""

    @property
    def gap(self) -> float | None:
        """Mean primary score of ML-side reviewers minus that of Systems-side reviewers."""
        if self.ml_mean is None or self.systems_mean is None:
            return None
        return self.ml_mean - self.systems_mean

    @property
    def assigned_total(self) -> int:
        return sum(self.assigned.values())

    @property
    def done_total(self) -> int:
        return sum(self.done.values())

    @property
    def missing(self) -> int:
        """Reviews assigned and not submitted."""
        return max(self.assigned_total - self.done_total, 0)


@dataclass
class Dashboard:
    conference: Conference
    rows: list[PaperRow]
    fields: list[ScoreField]
    primary: str | None
    outcomes: list[Outcome]
    #: Reviewer id → (bias, number of primary scores it rests on).
    reviewer_bias: dict[int, tuple[float, int]]
    #: Papers listed redacted because the viewer is conflicted with them.
    conflicted: int = 0

    @property
    def visible(self) -> list[PaperRow]:
        return [row for row in self.rows if not row.conflicted]


def score_fields(conference: Conference) -> list[ScoreField]:
    """The conference's active score fields, one per key, primary first (one query)."""
    found: dict[str, ScoreField] = {}
    fields = ReviewField.objects.filter(
        form__conference=conference, kind=FieldKind.SCORE, active=True
    ).order_by("form__track_id", "order", "pk")
    for item in fields:
        if item.key in found or not item.scale:
            continue
        values = [int(point["value"]) for point in item.scale]
        found[item.key] = ScoreField(item.key, item.label, min(values), max(values))
    ordered = sorted(found.values(), key=lambda f: f.key != PRIMARY_KEY)
    return ordered


def counted_reviews(conference: Conference):
    """Submitted reviews that count in the scores."""
    return Review.objects.filter(
        Q(assignment__in=Assignment.objects.live())
        | Q(assignment__removed_at__isnull=False, assignment__keep_review=True),
        submission__conference=conference,
        state=ReviewState.SUBMITTED,
    )


def _fingerprint(conference: Conference, hidden: frozenset[int]) -> str:
    """Changes whenever a review, assignment, membership or review question changes (one
    query), or the set of papers the viewer may not see."""

    def summary(queryset, group: str) -> dict:
        grouped = queryset.filter(**{group: OuterRef("pk")}).order_by().values(group)
        name = queryset.model._meta.model_name
        return {
            f"{name}_n": Subquery(grouped.annotate(v=Count("pk")).values("v")),
            f"{name}_last": Subquery(grouped.annotate(v=Max("updated_at")).values("v")),
        }

    models = (
        (Review.objects.all(), "submission__conference"),
        (Assignment.objects.all(), "conference"),
        (CommitteeMembership.objects.all(), "conference"),
        (ReviewField.objects.all(), "form__conference"),
    )
    annotations: dict = {}
    for queryset, group in models:
        annotations.update(summary(queryset, group))
    state = Conference.objects.filter(pk=conference.pk).values(**annotations).first()
    parts = [conference.pk, state, sorted(hidden)]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _score_rows(conference: Conference, keys: list[str]) -> list[tuple]:
    """``(submission_id, reviewer_id, {key: score})`` for every counted review (one query,
    reading only the score answers, not the review texts)."""
    annotations = {f"s_{i}": KeyTransform(key, "answers") for i, key in enumerate(keys)}
    rows = counted_reviews(conference).annotate(**annotations)
    result = []
    for row in rows.values_list("submission_id", "reviewer_id", *annotations):
        scores = {
            key: value
            for key, value in zip(keys, row[2:], strict=True)
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
        result.append((row[0], row[1], scores))
    return result


def _stats(values: list[float]) -> FieldStats:
    return FieldStats(
        sum(values) / len(values),
        float(statistics.median(values)),
        float(min(values)),
        float(max(values)),
        len(values),
    )


def _computed(conference: Conference, hidden: frozenset[int]) -> dict:
    """Everything that comes from reviews, assignments and sides, per visible paper, and the
    calibration fit; cached under the fingerprint (four queries when recomputed).

    ``papers``: ``{paper id: (assigned, done, {key: FieldStats}, weighted, ml mean, systems
    mean, calibrated)}`` with ``assigned``/``done`` as ``(ml, systems, other)``; tuples all the
    way down, so the cached value unpickles fast.
    """
    key = f"decisions:dashboard:v2:{_fingerprint(conference, hidden)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    fields = score_fields(conference)
    keys = [f.key for f in fields]
    primary = keys[0] if keys else None
    sides = dict(
        CommitteeMembership.objects.filter(conference=conference, side__in=SIDE_OF).values_list(
            "user_id", "side"
        )
    )
    slot = {ML: 0, SYSTEMS: 1, OTHER: 2}
    assigned: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for paper, reviewer in Assignment.objects.filter(live_q(), conference=conference).values_list(
        "submission_id", "reviewer_id"
    ):
        if paper not in hidden:
            assigned[paper][slot[SIDE_OF.get(sides.get(reviewer), OTHER)]] += 1
    done: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_paper: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    by_side: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    weighted: dict[int, list[tuple[float, float]]] = defaultdict(list)
    triples = []
    for paper, reviewer, values in _score_rows(conference, keys):
        if paper in hidden:
            continue
        side = SIDE_OF.get(sides.get(reviewer), OTHER)
        done[paper][slot[side]] += 1
        for name, value in values.items():
            per_paper[paper][name].append(value)
        if primary in values:
            triples.append((paper, reviewer, values[primary]))
            by_side[paper][side].append(values[primary])
            if CONFIDENCE_KEY in values:
                weighted[paper].append((values[primary], values[CONFIDENCE_KEY]))
    fit = calibrate(triples)
    papers = {}
    for paper in set(assigned) | set(done):
        ml, systems = by_side[paper][ML], by_side[paper][SYSTEMS]
        pairs = weighted[paper]
        total = sum(weight for _, weight in pairs)
        papers[paper] = (
            tuple(assigned[paper]),
            tuple(done[paper]),
            {name: _stats(values) for name, values in per_paper[paper].items()},
            sum(s * w for s, w in pairs) / total if total else None,
            sum(ml) / len(ml) if ml else None,
            sum(systems) / len(systems) if systems else None,
            fit.quality.get(paper),
        )
    part = {"fields": fields, "papers": papers, "bias": fit.bias}
    cache.set(key, part, CACHE_SECONDS)
    return part


def dashboard(conference: Conference, viewer) -> Dashboard:
    """Every listed paper of ``conference`` with its statistics, for the chair ``viewer``.

    Four queries besides the viewer's conflicts (one query set per request) and the cached part
    (one fingerprint query; four more when it is recomputed): the papers with their decision,
    meta-review recommendation and discussion activity, their topics, their tags, the outcomes.
    """
    hidden = viewer.fact(load_conflicts, conference)
    part = _computed(conference, hidden)
    fields: list[ScoreField] = part["fields"]
    computed = part["papers"]
    comments = Comment.objects.filter(submission=OuterRef("pk")).order_by().values("submission")
    papers = (
        conference.submissions.filter(status__in=LISTED)
        .order_by("number")
        .annotate(
            n_comments=Subquery(comments.annotate(v=Count("pk")).values("v")),
            last_comment=Subquery(comments.annotate(v=Max("created_at")).values("v")),
        )
        .values_list(
            "pk",
            "number",
            "title",
            "track_id",
            "status",
            "meta_review__state",
            "meta_review__recommendation",
            "n_comments",
            "last_comment",
            "decision__outcome_id",
            "decision__status",
            "decision__reason",
        )
    )
    rows: dict[int, PaperRow] = {}
    visible: dict[int, PaperRow] = {}
    for (
        pk,
        number,
        title,
        track,
        status,
        meta_state,
        recommendation,
        n_comments,
        last_comment,
        outcome,
        decision_status,
        reason,
    ) in papers:
        row = PaperRow(pk, number, title, track, status, conflicted=pk in hidden)
        rows[pk] = row
        if row.conflicted:
            continue
        visible[pk] = row
        if meta_state == "submitted":
            row.recommendation = recommendation
        row.comments, row.last_comment = n_comments or 0, last_comment
        row.outcome_id, row.decision_status = outcome, decision_status or ""
        row.decision_reason = reason or ""
        found = computed.get(pk)
        if found is None:
            continue
        assigned, done, scores, weighted, ml_mean, systems_mean, calibrated = found
        row.assigned = dict(zip((ML, SYSTEMS, OTHER), assigned, strict=True))
        row.done = dict(zip((ML, SYSTEMS, OTHER), done, strict=True))
        row.scores = scores  # shared with the cache's copy: rows only read it
        row.weighted, row.ml_mean, row.systems_mean = weighted, ml_mean, systems_mean
        row.calibrated = calibrated
    through = conference.submissions.model.topics.through
    for paper, topic in through.objects.filter(submission__conference=conference).values_list(
        "submission_id", "topic_id"
    ):
        if paper in rows:
            rows[paper].topic_ids.append(topic)
    tags = conference.submissions.model.tags.through
    for paper, tag in tags.objects.filter(submission__conference=conference).values_list(
        "submission_id", "tag_id"
    ):
        if paper in visible:
            visible[paper].tag_ids.append(tag)
    return Dashboard(
        conference=conference,
        rows=list(rows.values()),
        fields=fields,
        primary=fields[0].key if fields else None,
        outcomes=outcomes_of(conference),
        reviewer_bias=part["bias"],
        conflicted=len(rows) - len(visible),
    )


def annotate_names(reviewer_ids) -> dict[int, str]:
    """Reviewer id → name, for the calibration plot's labels (one query)."""
    return dict(User.objects.filter(pk__in=list(reviewer_ids)).values_list("pk", F("name")))
