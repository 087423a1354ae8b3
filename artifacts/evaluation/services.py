"""The evaluators' writes on one artifact: the two threads, the kick-the-tires checklist and
its combined message, the authors' answer, and the full evaluation with a verdict per
requested badge. The lead's proposal, the AE chair's decision, publication and the moves the
clock makes are in :mod:`artifacts.evaluation.decide`.

Each function checks its permission (``require``: refused with a sentence a person
understands), works in one transaction, audits what it changed and queues its emails through
the outbox. Status changes go through ``artifacts.status.move`` only.

Anonymity: what an author may read names evaluators only by alias ("Evaluator A", "The
evaluators", "The AE chairs"): the messages' ``alias``, and the emails to authors, which carry
that alias and the message body, never a name or an address of an evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from artifacts import enums, status
from artifacts.enums import ArtifactStatus as S
from artifacts.enums import Mover
from artifacts.models import (
    Artifact,
    ArtifactMessage,
    BadgeVerdict,
    Evaluation,
    EvaluatorAssignment,
    KickTheTiresCheck,
)
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.viewer import acting, require
from mlsys.core import audit
from mlsys.mail.services import queue_email

#: Longest message, evaluation comment or justification (characters).
MAX_BODY = 20_000
CHAIRS_ALIAS = "The AE chairs"
EVALUATORS_ALIAS = "The evaluators"
KICK_ITEMS = dict(enums.KICK_THE_TIRES_ITEMS)
KICK_STATUSES = frozenset({S.KICK_THE_TIRES, S.AWAITING_AUTHOR})
EVALUATION_STATUSES = frozenset({S.EVALUATING, S.DISCUSSION})


def clean_text(text: str, *, what: str, required: bool = True) -> str:
    """``text`` stripped, with Windows line ends made plain; refused when empty (if
    ``required``) or longer than :data:`MAX_BODY`."""
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError(f"Write the {what} first: it is empty.")
    if len(text) > MAX_BODY:
        raise ValidationError(
            f"The {what} is {len(text):,} characters long; the limit is {MAX_BODY:,}. "
            "Shorten it or link to a longer document."
        )
    return text


def live_assignment(artifact: Artifact, user) -> EvaluatorAssignment | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return artifact.assignments.live().filter(evaluator=user).first()


# --- Threads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    role: str
    alias: str


def sender_for(viewer, artifact: Artifact, thread: str) -> Sender:
    """As whom the viewer writes in ``thread``: an author, an evaluator (by alias), or the AE
    chairs. An author is always an author, whatever other roles they hold."""
    from artifacts.rules import is_artifact_author, is_live_evaluator

    if thread == enums.Thread.AUTHORS and is_artifact_author(viewer, artifact):
        return Sender(Mover.AUTHOR, "")
    if is_live_evaluator(viewer, artifact):
        assignment = live_assignment(artifact, viewer.user)
        if assignment is not None:
            return Sender(Mover.EVALUATOR, assignment.display_alias)
    return Sender(Mover.CHAIR, CHAIRS_ALIAS)


THREAD_PERMS: dict[str, tuple[str, str]] = {
    enums.Thread.AUTHORS: ("artifacts.view_author_thread", "artifacts.post_author_thread"),
    enums.Thread.EVALUATORS: (
        "artifacts.view_evaluator_thread",
        "artifacts.post_evaluator_thread",
    ),
}


def post_message(
    *, actor, artifact: Artifact, thread: str, body: str, kind: str = enums.MessageKind.MESSAGE
) -> ArtifactMessage:
    """Post ``body`` in ``thread`` and tell the other side: a message of the evaluators or
    chairs in the authors' thread goes to the authors (one email, signed with the alias), an
    authors' message to each live evaluator (one email each); in the evaluators-only thread
    each live evaluator but the sender hears of it. Refused once the artifact is published or
    withdrawn."""
    if thread not in THREAD_PERMS:
        raise ValidationError("There is no such thread.")
    view_perm, post_perm = THREAD_PERMS[thread]
    viewer, user = acting(actor)
    if not viewer.has_perm(view_perm, artifact):
        raise PermissionDenied("You cannot write in this thread.")
    if not viewer.has_perm(post_perm, artifact):
        raise PermissionDenied(
            f"This artifact is {artifact.get_status_display().lower()}: its threads are closed."
        )
    body = clean_text(body, what="message")
    sender = sender_for(viewer, artifact, thread)
    with transaction.atomic():
        message = ArtifactMessage.objects.create(
            artifact=artifact,
            thread=thread,
            kind=kind,
            sender=user,
            sender_role=sender.role,
            alias=sender.alias,
            body=body,
        )
        audit.record(
            "artifacts.message_posted",
            actor=user,
            target=artifact,
            conference=artifact.conference,
            note=f"{thread} thread",
        )
        notify(message)
    return message


def notify(message: ArtifactMessage) -> None:
    """The new-message emails of ``message`` (see :func:`post_message`)."""
    artifact = message.artifact
    context = {
        "number": artifact.submission.number,
        "title": artifact.submission.title,
        "url": status.artifact_url(artifact),
        "body": message.body,
    }
    if message.thread == enums.Thread.AUTHORS and message.sender_role != Mover.AUTHOR:
        # The alias only: "Evaluator B" or "The AE chairs". No reply-to, no name.
        queue_email(
            to=status.author_addresses(artifact),
            key="artifacts.message_to_authors",
            conference=artifact.conference,
            context={**context, "sender": message.alias or EVALUATORS_ALIAS},
        )
        return
    sender_name = "The authors" if message.sender_role == Mover.AUTHOR else message.alias
    own = (message.sender.email or "").lower() if message.sender is not None else ""
    for address in status.evaluator_addresses(artifact):
        if address == own:
            continue
        queue_email(
            to=[address],
            key="artifacts.message_to_evaluator",
            conference=artifact.conference,
            context={
                **context,
                "sender": sender_name or CHAIRS_ALIAS,
                "thread": "authors'"
                if message.thread == enums.Thread.AUTHORS
                else "evaluators-only",
            },
        )


# --- Kick-the-tires -------------------------------------------------------------------------


def _require_evaluator(actor, artifact: Artifact, what: str):
    viewer, user = require(
        actor, "artifacts.view_artifact", artifact, "You do not evaluate this artifact."
    )
    assignment = live_assignment(artifact, user)
    if assignment is None or not viewer.has_perm("artifacts.evaluate", artifact):
        if assignment is None:
            raise PermissionDenied(f"Only the artifact's evaluators {what}.")
        raise PermissionDenied(
            f"This artifact is {artifact.get_status_display().lower()}; you cannot {what} now."
        )
    return viewer, user, assignment


def save_kick_check(
    *, actor, artifact: Artifact, answers: dict[str, bool], notes: str, done: bool = False
) -> KickTheTiresCheck:
    """Save the evaluator's own checklist (``answers``: item key → ticked) while the artifact
    is in kick-the-tires or waiting for its authors; ``done`` marks it finished (it stays
    editable until the window closes)."""
    _viewer, user, assignment = _require_evaluator(
        actor, artifact, "fill the kick-the-tires checklist"
    )
    if artifact.status not in KICK_STATUSES:
        raise PermissionDenied(
            f"The kick-the-tires checklist is filled during kick-the-tires; this artifact is "
            f"{artifact.get_status_display().lower()}."
        )
    unknown = set(answers) - set(KICK_ITEMS)
    if unknown:
        raise ValidationError(f"Unknown checklist items: {', '.join(sorted(unknown))}.")
    notes = clean_text(notes, what="notes", required=False)
    with transaction.atomic():
        check, _ = KickTheTiresCheck.objects.get_or_create(assignment=assignment)
        check.answers = {key: bool(answers.get(key)) for key in KICK_ITEMS}
        check.notes = notes
        if done and check.submitted_at is None:
            check.submitted_at = timezone.now()
        check.save()
        audit.record(
            "artifacts.kick_check_saved",
            actor=user,
            target=artifact,
            conference=artifact.conference,
            note="done" if check.submitted_at else "draft",
        )
    return check


def post_kick_message(*, actor, artifact: Artifact, body: str) -> ArtifactMessage:
    """The evaluators' one combined message to the authors ("The evaluators"), written by an
    evaluator or an AE chair; the artifact waits for its authors (who are emailed by the
    move)."""
    viewer, user = require(
        actor,
        "artifacts.send_kick_message",
        artifact,
        "Only the artifact's evaluators and the AE chairs send the kick-the-tires message.",
    )
    is_evaluator = live_assignment(artifact, user) is not None
    mover = Mover.EVALUATOR if is_evaluator else Mover.CHAIR
    if artifact.status != S.KICK_THE_TIRES:
        raise PermissionDenied(
            f"This artifact is {artifact.get_status_display().lower()}; the kick-the-tires "
            "message is sent during kick-the-tires."
        )
    body = clean_text(body, what="kick-the-tires message")
    with transaction.atomic():
        message = ArtifactMessage.objects.create(
            artifact=artifact,
            thread=enums.Thread.AUTHORS,
            kind=enums.MessageKind.KICK_THE_TIRES,
            sender=user,
            sender_role=mover,
            alias=EVALUATORS_ALIAS,
            body=body,
        )
        status.move(artifact, S.AWAITING_AUTHOR, mover=mover, actor=user)
    return message


def answer_kick_message(*, actor, artifact: Artifact, body: str) -> ArtifactMessage:
    """The authors answer the kick-the-tires message ("we fixed it, please look again"): their
    message, and the artifact back to kick-the-tires (each evaluator is emailed by the move)."""
    _viewer, user = require(
        actor,
        "artifacts.answer_kick_message",
        artifact,
        "Only the artifact's authors answer the evaluators.",
    )
    if artifact.status != S.AWAITING_AUTHOR:
        raise PermissionDenied(
            f"This artifact is {artifact.get_status_display().lower()}; there is no "
            "kick-the-tires message waiting for your answer."
        )
    body = clean_text(body, what="answer")
    with transaction.atomic():
        message = ArtifactMessage.objects.create(
            artifact=artifact,
            thread=enums.Thread.AUTHORS,
            kind=enums.MessageKind.MESSAGE,
            sender=user,
            sender_role=Mover.AUTHOR,
            body=body,
        )
        status.move(artifact, S.KICK_THE_TIRES, mover=Mover.AUTHOR, actor=user)
    return message


# --- Full evaluation ------------------------------------------------------------------------


def evaluation_deadline(conference) -> datetime | None:
    deadline = conference.deadline_map().get(DeadlineKind.AE_EVALUATION)
    return deadline.at if deadline else None


def evaluation_open(artifact: Artifact, now: datetime | None = None) -> bool:
    """Whether evaluations of ``artifact`` may be written: it is being evaluated or discussed
    and the conference's evaluation deadline (if set) has not passed."""
    if artifact.status not in EVALUATION_STATUSES:
        return False
    due = evaluation_deadline(artifact.conference)
    return due is None or (now or timezone.now()) < due


@dataclass
class VerdictInput:
    verdict: str  # "" while undecided (drafts only)
    justification: str


def save_evaluation(
    *,
    actor,
    artifact: Artifact,
    to_authors: str,
    to_evaluators: str,
    verdicts: dict[int, VerdictInput],
    submit: bool = False,
    now: datetime | None = None,
) -> Evaluation:
    """Save the evaluator's evaluation (``verdicts``: requested badge's ``Badge`` id → verdict
    and justification). A draft may leave verdicts open; a verdict needs its justification.
    ``submit`` (and any save of an evaluation already submitted) needs a verdict for every
    requested badge. Editable while the artifact is evaluating or in discussion, until the
    evaluation deadline. When every live evaluator has submitted, an artifact being evaluated
    moves to discussion (as the system)."""
    _viewer, user, assignment = _require_evaluator(actor, artifact, "write an evaluation")
    if not evaluation_open(artifact, now):
        if artifact.status in EVALUATION_STATUSES:
            raise PermissionDenied("The evaluation deadline has passed: evaluations are closed.")
        raise PermissionDenied(
            f"This artifact is {artifact.get_status_display().lower()}; evaluations are "
            "written while it is being evaluated or discussed."
        )
    requested = {rb.badge_id: rb.badge for rb in artifact.requested_badges.select_related("badge")}
    unknown = set(verdicts) - set(requested)
    if unknown:
        raise ValidationError("A verdict names a badge this artifact did not request.")
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, VerdictInput] = {}
    for badge_id, given in verdicts.items():
        label = requested[badge_id].label
        if given.verdict and given.verdict not in enums.Verdict.values:
            errors.setdefault("verdicts", []).append(f"{label}: choose award or do not award.")
            continue
        try:
            text = clean_text(given.justification, what=f"justification for {label}")
        except ValidationError as error:
            if given.verdict:
                errors.setdefault("verdicts", []).append(
                    f"{label}: justify the verdict."
                    if not given.justification.strip()
                    else error.messages[0]
                )
                continue
            text = ""
        cleaned[badge_id] = VerdictInput(given.verdict, text)
    fields = {}
    for name, value, what in (
        ("to_authors", to_authors, "comments to the authors"),
        ("to_evaluators", to_evaluators, "comments to the other evaluators"),
    ):
        try:
            fields[name] = clean_text(value, what=what, required=False)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    existing = Evaluation.objects.filter(assignment=assignment).first()
    submitting = submit or (existing is not None and existing.submitted_at is not None)
    if submitting and not errors:
        missing = [
            badge.label
            for badge_id, badge in requested.items()
            if not (cleaned.get(badge_id) and cleaned[badge_id].verdict)
        ]
        if missing:
            errors.setdefault("verdicts", []).append(
                "Give a verdict with its justification for every requested badge before "
                f"submitting (missing: {', '.join(missing)})."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        evaluation, _ = Evaluation.objects.get_or_create(assignment=assignment)
        evaluation.to_authors = fields["to_authors"]
        evaluation.to_evaluators = fields["to_evaluators"]
        first_submit = submitting and evaluation.submitted_at is None
        if first_submit:
            evaluation.submitted_at = timezone.now()
        evaluation.save()
        for badge_id, given in cleaned.items():
            if given.verdict:
                BadgeVerdict.objects.update_or_create(
                    evaluation=evaluation,
                    badge_id=badge_id,
                    defaults={"verdict": given.verdict, "justification": given.justification},
                )
            else:
                BadgeVerdict.objects.filter(evaluation=evaluation, badge_id=badge_id).delete()
        audit.record(
            "artifacts.evaluation_submitted" if first_submit else "artifacts.evaluation_saved",
            actor=user,
            target=artifact,
            conference=artifact.conference,
            note=assignment.display_alias,
        )
        if submitting:
            close_if_all_submitted(artifact)
    return evaluation


def all_submitted(artifact: Artifact) -> bool:
    live = artifact.assignments.live()
    return live.exists() and not live.filter(evaluation__submitted_at__isnull=True).exists()


def close_if_all_submitted(artifact: Artifact) -> bool:
    """Move an artifact being evaluated to discussion (as the system) once every live
    evaluator has submitted. Returns whether it moved."""
    current = Artifact.objects.filter(pk=artifact.pk).values_list("status", flat=True).first()
    if current != S.EVALUATING or not all_submitted(artifact):
        return False
    status.move(artifact, S.DISCUSSION, mover=Mover.SYSTEM, note="every evaluator submitted")
    return True
