"""What the evaluation shows to whom, built once and read by the page, the API and the
overview: thread messages with the sender named as this viewer may know them, checklists,
evaluations (others' only after one's own is submitted; the authors' comments per
``AESettings.report_visibility``), and the AE chairs' overview rows.

Naming: authors see evaluators only as "Evaluator A", "The evaluators" or "The AE chairs";
evaluators see each other by alias too; only a viewer holding
``artifacts.view_evaluator_identities`` (an unconflicted AE chair) sees names beside aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.enums import Mover
from artifacts.models import (
    AESettings,
    Artifact,
    ArtifactMessage,
    Evaluation,
    EvaluatorAssignment,
    KickTheTiresCheck,
    RequestedBadge,
)
from artifacts.rules import conflicted_artifact_submission_ids, is_artifact_author

# --- Threads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageRow:
    pk: int
    who: str
    role: str
    kind: str
    kind_label: str
    body: str
    created_at: datetime
    is_own: bool


def thread_messages(viewer, artifact: Artifact, thread: str) -> list[MessageRow]:
    """The thread's messages, oldest first, each sender named for this viewer (the caller
    checks the viewer may read the thread)."""
    names = viewer.has_perm("artifacts.view_evaluator_identities", artifact)
    as_author = is_artifact_author(viewer, artifact)
    rows = []
    messages = ArtifactMessage.objects.filter(artifact=artifact, thread=thread)
    if names:
        messages = messages.select_related("sender")
    for m in messages:
        own = m.sender_id is not None and m.sender_id == viewer.pk
        rows.append(
            MessageRow(
                pk=m.pk,
                who=_who(m, own=own, names=names, as_author=as_author),
                role=m.sender_role,
                kind=m.kind,
                kind_label=m.get_kind_display(),
                body=m.body,
                created_at=m.created_at,
                is_own=own,
            )
        )
    return rows


def _who(message: ArtifactMessage, *, own: bool, names: bool, as_author: bool) -> str:
    if message.sender_role == Mover.AUTHOR:
        label = "The authors"
    else:
        label = message.alias or "The AE chairs"
    if own and not (as_author and message.sender_role != Mover.AUTHOR):
        return f"{label} (you)"
    if names and message.sender_role != Mover.AUTHOR and message.sender is not None:
        return f"{label} · {message.sender.name or message.sender.email}"
    return label


# --- Checklists and evaluations -----------------------------------------------------------------


@dataclass
class VerdictRow:
    badge_id: int
    badge: str
    verdict: str
    verdict_label: str
    justification: str


@dataclass
class EvaluationCard:
    alias: str
    name: str  # empty unless the viewer may see evaluator identities
    is_own: bool
    submitted_at: datetime | None
    to_authors: str
    to_evaluators: str
    verdicts: list[VerdictRow] = field(default_factory=list)


@dataclass
class ChecklistRow:
    alias: str
    name: str
    answers: list[tuple[str, bool]]
    notes: str
    done: bool
    is_own: bool


def live_assignments(artifact: Artifact) -> list[EvaluatorAssignment]:
    return list(artifact.assignments.live().select_related("evaluator").order_by("alias"))


def checklists(viewer, artifact: Artifact, assignments) -> list[ChecklistRow]:
    names = viewer.has_perm("artifacts.view_evaluator_identities", artifact)
    checks = {
        c.assignment_id: c
        for c in KickTheTiresCheck.objects.filter(assignment__in=[a.pk for a in assignments])
    }
    rows = []
    for a in assignments:
        check = checks.get(a.pk)
        answers = (check.answers if check else {}) or {}
        rows.append(
            ChecklistRow(
                alias=a.display_alias,
                name=(a.evaluator.name or a.evaluator.email) if names else "",
                answers=[(q, bool(answers.get(k))) for k, q in enums.KICK_THE_TIRES_ITEMS],
                notes=check.notes if check else "",
                done=bool(check and check.submitted_at),
                is_own=a.evaluator_id == viewer.pk,
            )
        )
    return rows


def _cards(evaluations, *, viewer, names: bool) -> list[EvaluationCard]:
    cards = []
    for e in evaluations:
        a = e.assignment
        cards.append(
            EvaluationCard(
                alias=a.display_alias,
                name=(a.evaluator.name or a.evaluator.email) if names else "",
                is_own=a.evaluator_id == viewer.pk,
                submitted_at=e.submitted_at,
                to_authors=e.to_authors,
                to_evaluators=e.to_evaluators,
                verdicts=[
                    VerdictRow(
                        v.badge_id,
                        v.badge.label,
                        v.verdict,
                        v.get_verdict_display(),
                        v.justification,
                    )
                    for v in e.verdicts.all()
                ],
            )
        )
    return cards


def _evaluations(artifact: Artifact) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(
            assignment__artifact=artifact, assignment__removed_at__isnull=True
        )
        .select_related("assignment__evaluator")
        .prefetch_related("verdicts__badge")
        .order_by("assignment__alias")
    )


def own_evaluation(artifact: Artifact, user) -> Evaluation | None:
    return _evaluations(artifact).filter(assignment__evaluator=user).first()


def committee_evaluations(viewer, artifact: Artifact) -> list[EvaluationCard]:
    """Evaluations the committee viewer may read: an unconflicted AE chair every one (drafts
    marked), an evaluator the others' submitted ones once their own is submitted."""
    names = viewer.has_perm("artifacts.view_evaluator_identities", artifact)
    if names or viewer.has_perm("artifacts.act_on_artifact", artifact):
        return _cards(_evaluations(artifact), viewer=viewer, names=names)
    if not viewer.has_perm("artifacts.read_evaluations", artifact):
        return []
    evaluations = list(_evaluations(artifact).filter(submitted_at__isnull=False))
    if not any(e.assignment.evaluator_id == viewer.pk for e in evaluations):
        return []
    return _cards(evaluations, viewer=viewer, names=False)


def report_visibility(conference) -> str:
    value = (
        AESettings.objects.filter(conference=conference)
        .values_list("report_visibility", flat=True)
        .first()
    )
    return value or enums.ReportVisibility.WHEN_PUBLISHED


def author_comments(artifact: Artifact) -> list[tuple[str, str]]:
    """(alias, comments to the authors) of the submitted evaluations the authors may read now:
    as each is submitted, or only once the badges are published (the AE chair's setting).
    Never the comments to evaluators, never a verdict."""
    if artifact.status == S.WITHDRAWN:
        return []
    if (
        artifact.status != S.PUBLISHED
        and report_visibility(artifact.conference) != enums.ReportVisibility.WHEN_SUBMITTED
    ):
        return []
    rows = (
        Evaluation.objects.filter(
            assignment__artifact=artifact,
            assignment__removed_at__isnull=True,
            submitted_at__isnull=False,
        )
        .exclude(to_authors="")
        .order_by("assignment__alias")
        .values_list("assignment__alias", "to_authors")
    )
    return [(f"Evaluator {alias}", text) for alias, text in rows]


# --- The AE chairs' overview ------------------------------------------------------------------


def overview_rows(conference) -> QuerySet[Artifact]:
    """Every artifact of the conference past registration, with the counts the overview
    shows (one query; ``requested_badges`` prefetched with their badges: one more)."""
    live = Q(assignments__removed_at__isnull=True)
    return (
        Artifact.objects.filter(conference=conference)
        .exclude(status=S.REGISTERED)
        .select_related("submission", "lead")
        .annotate(
            n_evaluators=Count("assignments", filter=live, distinct=True),
            n_checks=Count(
                "assignments",
                filter=live & Q(assignments__kick_the_tires__submitted_at__isnull=False),
                distinct=True,
            ),
            n_evaluations=Count(
                "assignments",
                filter=live & Q(assignments__evaluation__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .prefetch_related(
            _requested_badges(),
        )
        .order_by("submission__number")
    )


def _requested_badges() -> Prefetch:
    return Prefetch("requested_badges", queryset=RequestedBadge.objects.select_related("badge"))


def needs_attention() -> Q:
    """What "needs attention" means on the overview: an artifact waiting for the AE chair
    (submitted without evaluators, in discussion without a lead or with a proposal made,
    decided but not published)."""
    has_live = Exists(EvaluatorAssignment.objects.live().filter(artifact=OuterRef("pk")))
    proposed = Exists(RequestedBadge.objects.filter(artifact=OuterRef("pk")).exclude(proposal=""))
    return (
        (Q(status=S.SUBMITTED) & ~has_live)
        | Q(status=S.DISCUSSION, lead__isnull=True)
        | (Q(status=S.DISCUSSION) & proposed)
        | Q(status=S.DECIDED)
    )


def filter_overview(
    rows: QuerySet[Artifact],
    viewer,
    conference,
    *,
    status: str,
    badge: str,
    attention: bool,
    search: str,
) -> QuerySet[Artifact]:
    """The overview's filters. The badge and "needs attention" filters read evaluation data,
    so they leave out the artifacts the viewer is conflicted with."""
    if status in S.values:
        rows = rows.filter(status=status)
    search = search.strip().lstrip("#")
    if search.isdigit():
        rows = rows.filter(submission__number=int(search))
    elif search:
        rows = rows.filter(submission__title__icontains=search)
    if badge or attention:
        conflicted = conflicted_artifact_submission_ids(viewer, conference)
        rows = rows.exclude(submission_id__in=conflicted)
    if badge:
        rows = rows.filter(
            Exists(RequestedBadge.objects.filter(artifact=OuterRef("pk"), badge__key=badge))
        )
    if attention:
        rows = rows.filter(needs_attention())
    return rows
