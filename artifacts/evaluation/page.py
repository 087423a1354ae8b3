"""This package's section of the artifact page (artifacts/page): what its template
(templates/artifacts/detail/_evaluation.html) reads, for this viewer, as one object ``ev``.

Authors get their thread (evaluators by alias), the kick-the-tires answer form while the
evaluators wait for them, the comments to authors as the AE chair's setting allows and the
outcomes once published. Evaluators get the checklists, their own evaluation (and the others'
once theirs is submitted), both threads and, as lead, the proposal form. An unconflicted AE
chair gets everything with names, the lead, decision and move buttons. Nothing here is
computed for a viewer who may not see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import decide, queries, services
from artifacts.evaluation.forms import (
    DecisionForm,
    EvaluationForm,
    KickCheckForm,
    LeadForm,
    MessageForm,
    ProposalForm,
)
from artifacts.models import KickTheTiresCheck
from artifacts.rules import is_artifact_author


@dataclass
class Thread:
    key: str
    title: str
    messages: list
    can_post: bool
    form: Any = None


@dataclass
class Section:
    is_author: bool
    is_evaluator: bool
    is_chair: bool
    status: str
    threads: list[Thread] = field(default_factory=list)
    checklists: list = field(default_factory=list)
    check_form: Any = None
    kick_message_form: Any = None
    answer_form: Any = None
    evaluation_form: Any = None
    own_evaluation: Any = None
    evaluation_open: bool = False
    evaluation_due: Any = None
    evaluations: list = field(default_factory=list)
    own_submitted: bool = False
    author_comments: list = field(default_factory=list)
    requested: list = field(default_factory=list)
    lead_alias: str = ""
    lead_form: Any = None
    proposal_form: Any = None
    decision_form: Any = None
    next_status: str = ""
    next_label: str = ""

    @property
    def in_evaluation(self) -> bool:
        return self.status in services.EVALUATION_STATUSES

    @property
    def visible(self) -> bool:
        return bool(self.threads or self.is_chair or self.is_evaluator or self.author_comments)


def context(viewer, artifact, **bound) -> dict:
    """``{"ev": Section}``; ``bound`` replaces a form by the one the viewer just posted
    (``check_form``, ``evaluation_form``, a thread's ``form_<thread>`` …) so nothing typed is
    lost when it is refused."""
    return {"ev": build(viewer, artifact, **bound)}


def build(viewer, artifact, **bound) -> Section:
    is_author = is_artifact_author(viewer, artifact)
    is_chair = viewer.has_perm("artifacts.act_on_artifact", artifact)
    is_evaluator = viewer.has_perm("artifacts.view_evaluator_thread", artifact) and not is_chair
    is_evaluator = is_evaluator and services.live_assignment(artifact, viewer.user) is not None
    section = Section(
        is_author=is_author, is_evaluator=is_evaluator, is_chair=is_chair, status=artifact.status
    )
    _threads(section, viewer, artifact, bound)
    committee = is_chair or is_evaluator
    requested = list(artifact.requested_badges.select_related("badge"))
    section.requested = requested
    if committee:
        assignments = queries.live_assignments(artifact)
        _kick(section, viewer, artifact, assignments, bound)
        _evaluation(section, viewer, artifact, requested, bound)
        lead = next((a for a in assignments if a.evaluator_id == artifact.lead_id), None)
        section.lead_alias = lead.display_alias if lead else ""
        if is_chair:
            _chair(section, artifact, assignments, requested, bound)
        if (
            viewer.has_perm("artifacts.propose_badges", artifact)
            and artifact.status == S.DISCUSSION
        ):
            section.proposal_form = bound.get("proposal_form") or ProposalForm(
                requested=requested, initial={"note": artifact.lead_note}
            )
    if is_author:
        section.author_comments = queries.author_comments(artifact)
        if artifact.status == S.AWAITING_AUTHOR:
            section.answer_form = bound.get("answer_form") or MessageForm(auto_id="answer-%s")
    return section


def _threads(section: Section, viewer, artifact, bound) -> None:
    for key, title in (
        (enums.Thread.AUTHORS, "Authors and evaluators"),
        (enums.Thread.EVALUATORS, "Evaluators only"),
    ):
        view_perm, post_perm = services.THREAD_PERMS[key]
        if not viewer.has_perm(view_perm, artifact):
            continue
        can_post = viewer.has_perm(post_perm, artifact)
        section.threads.append(
            Thread(
                key=key,
                title=title,
                messages=queries.thread_messages(viewer, artifact, key),
                can_post=can_post,
                form=(bound.get(f"form_{key}") or MessageForm(auto_id=f"{key}-%s"))
                if can_post
                else None,
            )
        )


def _kick(section: Section, viewer, artifact, assignments, bound) -> None:
    section.checklists = queries.checklists(viewer, artifact, assignments)
    if artifact.status not in services.KICK_STATUSES:
        return
    if section.is_evaluator and viewer.has_perm("artifacts.evaluate", artifact):
        own = next((a for a in assignments if a.evaluator_id == viewer.pk), None)
        check = KickTheTiresCheck.objects.filter(assignment=own).first() if own else None
        section.check_form = bound.get("check_form") or KickCheckForm(
            initial=KickCheckForm.initial_for(check)
        )
    if artifact.status == S.KICK_THE_TIRES:
        notes = "\n\n".join(
            f"{row.alias}: {row.notes}" for row in section.checklists if row.notes.strip()
        )
        section.kick_message_form = bound.get("kick_message_form") or MessageForm(
            initial={"body": notes}, auto_id="kick-%s"
        )


def _evaluation(section: Section, viewer, artifact, requested, bound) -> None:
    section.evaluation_due = services.evaluation_deadline(artifact.conference)
    section.evaluation_open = services.evaluation_open(artifact)
    cards = queries.committee_evaluations(viewer, artifact)
    # Evaluators read their own in their form; the chair reads every card.
    section.evaluations = [c for c in cards if section.is_chair or not c.is_own]
    section.own_submitted = any(c.is_own and c.submitted_at for c in cards)
    if not section.is_evaluator:
        return
    own = queries.own_evaluation(artifact, viewer.user)
    section.own_evaluation = own
    if section.evaluation_open and viewer.has_perm("artifacts.evaluate", artifact):
        section.evaluation_form = bound.get("evaluation_form") or EvaluationForm(
            badges=[rb.badge for rb in requested], initial=EvaluationForm.initial_for(own)
        )


def _chair(section: Section, artifact, assignments, requested, bound) -> None:
    section.lead_form = bound.get("lead_form") or LeadForm(
        assignments=assignments, initial={"lead": artifact.lead_id}
    )
    if artifact.status == S.DISCUSSION:
        report = artifact.public_report or decide.report_draft(artifact)
        section.decision_form = bound.get("decision_form") or DecisionForm(
            requested=requested, initial={"public_report": report}
        )
    target = decide.NEXT.get(artifact.status)
    if target:
        section.next_status = target
        section.next_label = S(target).label
