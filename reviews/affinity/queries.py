"""Reusable affinity querysets: who the reviewers are, runs, stored sources and top matches."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Avg, Case, Count, F, IntegerField, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.enums import ProposalStatus
from reviews.models import Affinity, AffinityRun, Expertise

#: Roles whose members get computed affinities (the people the solver assigns).
AFFINITY_ROLES = (Role.PC_MEMBER, Role.AREA_CHAIR)
#: A run in one of these states blocks starting another.
ACTIVE_STATUSES = (ProposalStatus.QUEUED, ProposalStatus.RUNNING)
#: Which scores count when no source was ever recorded for the conference
#: (``Conference.affinity_source`` blank): a chair's upload first, then the computed backends
#: from the best measured to the plainest (docs/affinity.md, "Which scores are used").
SOURCE_PREFERENCE = ("uploaded", "combined", "minilm", "tfidf")


def reviewer_memberships(conference: Conference) -> QuerySet[CommitteeMembership]:
    """Accepted PC members and area chairs of ``conference`` (a person may hold both roles)."""
    return conference.memberships.filter(status=InvitationStatus.ACCEPTED, role__in=AFFINITY_ROLES)


def reviewers(conference: Conference) -> QuerySet:
    """The distinct users who receive affinities, by name."""
    user_ids = reviewer_memberships(conference).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids).order_by("name", "email")


def reviewers_without_expertise(conference: Conference) -> QuerySet:
    """Reviewers with no paper used at this conference: they get no computed scores."""
    return reviewers(conference).exclude(
        pk__in=Expertise.objects.used_at(conference).values("user_id")
    )


def recent_runs(conference: Conference, limit: int = 8) -> list[AffinityRun]:
    return list(
        conference.affinity_runs.select_related("started_by").order_by("-created_at")[:limit]
    )


def active_run(conference: Conference) -> AffinityRun | None:
    return conference.affinity_runs.filter(status__in=ACTIVE_STATUSES).first()


def preference_rank() -> Case:
    """An Affinity row's position in ``SOURCE_PREFERENCE`` (for rows of those sources)."""
    return Case(
        *[When(source=s, then=Value(i)) for i, s in enumerate(SOURCE_PREFERENCE)],
        output_field=IntegerField(),
    )


def used_source(conference: Conference) -> str | None:
    """The source bidding and the solver read: the one recorded on the conference (the newest
    scores stored, or a chair's choice), else the first of ``SOURCE_PREFERENCE`` with rows
    (one query), else ``None``."""
    if conference.affinity_source:
        return conference.affinity_source
    return (
        Affinity.objects.filter(conference=conference, source__in=SOURCE_PREFERENCE)
        .annotate(rank=preference_rank())
        .order_by("rank")
        .values_list("source", flat=True)
        .first()
    )


def used_among(conference: Conference, names: list[str]) -> str | None:
    """:func:`used_source` when the stored source ``names`` are already known (no query)."""
    if conference.affinity_source:
        return conference.affinity_source
    return next((s for s in SOURCE_PREFERENCE if s in names), None)


def source_summary(conference: Conference) -> list[dict]:
    """One row per stored source: ``source``, ``pairs``, ``mean`` score.

    A running computation's rows (temporary source ``~<run id>``, renamed when it finishes) are
    not a source: chosen as the one in use, they would vanish under bidding and the solver."""
    return list(
        Affinity.objects.filter(conference=conference)
        .exclude(source__startswith="~")
        .values("source")
        .annotate(pairs=Count("id"), mean=Avg("score"))
        .order_by("source")
    )


def top_reviewers(
    conference: Conference, source: str, numbers: list[int], per_paper: int = 5
) -> dict[int, list[Affinity]]:
    """The ``per_paper`` best-scoring reviewers of each paper number, best first, in one query."""
    rows = (
        Affinity.objects.filter(
            conference=conference, source=source, submission__number__in=numbers
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("submission_id")],
                order_by=[F("score").desc(), F("user_id").asc()],
            )
        )
        .filter(rank__lte=per_paper)
        .select_related("user", "submission")
        .order_by("submission__number", "rank")
    )
    result: dict[int, list[Affinity]] = {n: [] for n in numbers}
    for row in rows:
        result[row.submission.number].append(row)
    return result
