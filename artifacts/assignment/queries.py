"""The querysets of bidding, "My artifacts" and the chairs' assignment page.

Bidding reads the *bidding metadata* only (``BIDDING_FIELDS``): never the access
instructions, the access secret or the threads. Every bidding queryset excludes in SQL the
artifacts the evaluator is conflicted with (authorship, an effective Conflict row of the
paper, a "conflict" bid on the artifact), so no page, count or endpoint can reach them.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from artifacts import enums
from artifacts.assignment import pool as pools
from artifacts.models import (
    Artifact,
    ArtifactBid,
    ArtifactMessage,
    EvaluatorAssignment,
    HardwareProfile,
    RequestedBadge,
)
from artifacts.rules import paper_conflict_bids
from submissions import enums as sub_enums
from submissions.models import Author, Conflict

#: What an evaluator bidding may read of an artifact (never access details or messages).
BIDDING_FIELDS = (
    "pk",
    "conference_id",
    "submission_id",
    "submission__number",
    "submission__title",
    "status",
    "summary",
    "packaging",
    "gpu_model",
    "gpu_count",
    "cpu_cores",
    "ram_gb",
    "disk_gb",
    "special_hardware",
    "experiments",
    "datasets",
)


def conflicted_q(user) -> Q:
    """True for artifacts whose paper ``user`` is conflicted with (on an Artifact queryset):
    the SQL form of ``artifacts.rules.load_artifact_conflicts``."""
    return (
        Q(Exists(Author.objects.filter(submission=OuterRef("submission"), user=user)))
        | Q(
            Exists(
                Conflict.objects.filter(
                    submission=OuterRef("submission"), user=user, state__in=sub_enums.EFFECTIVE
                )
            )
        )
        | Q(
            Exists(
                ArtifactBid.objects.filter(
                    artifact=OuterRef("pk"), user=user, preference=enums.BidPreference.CONFLICT
                )
            )
        )
        | Q(Exists(paper_conflict_bids().filter(submission=OuterRef("submission"), user=user)))
    )


def biddable(user, conference) -> QuerySet[Artifact]:
    """Artifacts that may still get evaluators (submitted to evaluating: not those decided,
    published or withdrawn) that ``user`` is not conflicted with."""
    return Artifact.objects.filter(
        conference=conference, status__in=enums.NEEDS_EVALUATORS
    ).exclude(conflicted_q(user))


def for_bidding(user, conference) -> QuerySet[Artifact]:
    """:func:`biddable` with the bidding metadata only, ``my_bid`` and the requested badges."""
    return (
        biddable(user, conference)
        .select_related("submission")
        .only(*BIDDING_FIELDS)
        .annotate(
            my_bid=Subquery(
                ArtifactBid.objects.filter(artifact=OuterRef("pk"), user=user).values("preference")[
                    :1
                ]
            )
        )
        .prefetch_related(
            Prefetch(
                "requested_badges",
                queryset=RequestedBadge.objects.select_related("badge").only(
                    "pk", "artifact_id", "badge__label", "badge__order", "badge__colour"
                ),
            )
        )
        .order_by("submission__number")
    )


def bid_progress(user, conference) -> dict[str, int]:
    """``{"bid": n, "total": m}`` over the artifacts ``user`` may bid on; one query."""
    mine = ArtifactBid.objects.filter(artifact=OuterRef("pk"), user=user)
    return biddable(user, conference).aggregate(
        total=Count("pk"), bid=Count("pk", filter=Q(Exists(mine)))
    )


def profile_of(user) -> HardwareProfile | None:
    return HardwareProfile.objects.filter(user=user).first()


def my_assignments(user, conference) -> QuerySet[EvaluatorAssignment]:
    """The evaluator's live assignments (artifacts not withdrawn), with their checklist,
    evaluation and the number of messages in each thread."""
    return (
        EvaluatorAssignment.objects.live()
        .filter(evaluator=user, artifact__conference=conference)
        .exclude(artifact__status=enums.ArtifactStatus.WITHDRAWN)
        .select_related("artifact__submission", "kick_the_tires", "evaluation")
        .annotate(
            n_author_messages=Subquery(
                ArtifactMessage.objects.filter(
                    artifact=OuterRef("artifact"), thread=enums.Thread.AUTHORS
                )
                .values("artifact")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            n_evaluator_messages=Subquery(
                ArtifactMessage.objects.filter(
                    artifact=OuterRef("artifact"), thread=enums.Thread.EVALUATORS
                )
                .values("artifact")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("artifact__submission__number")
    )


def next_step(assignment: EvaluatorAssignment) -> str:
    """What the evaluator does next on this artifact, in words."""
    S = enums.ArtifactStatus
    status = assignment.artifact.status
    check = getattr(assignment, "kick_the_tires", None)
    evaluation = getattr(assignment, "evaluation", None)
    if status in (S.SUBMITTED, S.RETURNED):
        return "Wait for kick-the-tires to start."
    if status == S.KICK_THE_TIRES:
        if check is None or check.submitted_at is None:
            return "Fill the kick-the-tires checklist."
        return "Agree on the combined message to the authors."
    if status == S.AWAITING_AUTHOR:
        return "Wait for the authors' answer."
    if status == S.EVALUATING:
        if evaluation is None or evaluation.submitted_at is None:
            return "Write your evaluation: a verdict per requested badge."
        return "Your evaluation is in; follow the discussion."
    if status == S.DISCUSSION:
        return "Discuss the badges with the other evaluators."
    return "Nothing: the badges are decided."


def chair_artifacts(conference) -> QuerySet[Artifact]:
    """Every artifact in the evaluation (past registration, not withdrawn), for the chair."""
    return (
        Artifact.objects.filter(conference=conference, status__in=enums.ACTIVE)
        .select_related("submission")
        .order_by("submission__number")
    )


def needing(conference) -> QuerySet[Artifact]:
    return pools.needing(conference)
