"""The one way an artifact changes status: :func:`move`.

``move`` checks the move against the transition table (``enums.ARTIFACT_TRANSITIONS``) and
who may take it (``enums.ARTIFACT_MOVERS``), writes it as a conditional update
(mlsys.core.transitions.transition: two people racing cannot both win), audits it as
``artifacts.status`` and queues the move's email after commit (``EMAILS``: who is told, with
which registered template). The services of each workflow decide *when* to move and check the
actor's permission on the artifact; this module decides *whether* the move exists.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact
from artifacts.rules import is_live_evaluator
from mlsys.core import transitions
from mlsys.mail.services import queue_email

#: Who hears of a move to a status: (template key, "authors" | "evaluators").
EMAILS: dict[str, tuple[str, str]] = {
    S.SUBMITTED: ("artifacts.submitted", "authors"),
    S.RETURNED: ("artifacts.returned", "authors"),
    S.AWAITING_AUTHOR: ("artifacts.awaiting_author", "authors"),
    S.EVALUATING: ("artifacts.evaluation_open", "evaluators"),
    S.DISCUSSION: ("artifacts.discussion_open", "evaluators"),
    S.PUBLISHED: ("artifacts.published", "authors"),
    S.WITHDRAWN: ("artifacts.withdrawn", "evaluators"),
}
#: Kick-the-tires has two emails: it opens (from submitted), or the authors answered.
KICK_OPENS = ("artifacts.kick_the_tires_open", "evaluators")
AUTHORS_ANSWERED = ("artifacts.authors_answered", "evaluators")


class MoveRefused(PermissionDenied):
    """The move is not in the table, not this mover's, or the artifact moved meanwhile."""


def may_move(artifact: Artifact, to: str, mover: str) -> bool:
    """Whether ``mover`` may take ``artifact`` from its current status to ``to``."""
    return to in enums.ARTIFACT_TRANSITIONS.get(artifact.status, frozenset()) and (
        mover in enums.ARTIFACT_MOVERS.get((artifact.status, to), frozenset())
    )


def move(artifact: Artifact, to: str, *, mover: str, actor=None, note: str = "", **fields) -> None:
    """Move ``artifact`` to ``to`` as ``mover`` (an ``enums.Mover``), saving ``fields`` with it.

    Raises :class:`MoveRefused` with a sentence for people when the move is not allowed from
    the artifact's status in the database, or not to this mover."""
    with transaction.atomic():
        current = Artifact.objects.select_for_update().filter(pk=artifact.pk).first()
        if current is None:
            raise MoveRefused("This artifact no longer exists.")
        artifact.status = current.status
        if not may_move(artifact, to, mover):
            raise MoveRefused(refusal(artifact, to))
        now = timezone.now()
        if to == S.SUBMITTED:
            fields.setdefault("submitted_at", now)
        elif to == S.DECIDED:
            fields.setdefault("decided_at", now)
        elif to == S.PUBLISHED:
            fields.setdefault("published_at", now)
        source = current.status
        moved = transitions.transition(
            artifact,
            to,
            table=enums.ARTIFACT_TRANSITIONS,
            action="artifacts.status",
            actor=actor,
            conference=artifact.conference,
            note=note or f"as {enums.Mover(mover).label.lower()}",
            **fields,
        )
        if not moved:  # pragma: no cover - the row is locked above
            raise MoveRefused(refusal(artifact, to))
        _queue_email(artifact, source, to, note)


def refusal(artifact: Artifact, to: str) -> str:
    return (
        f"This artifact is {artifact.get_status_display().lower()}; it cannot be "
        f"{S(to).label.lower()} now."
    )


# --- Emails ------------------------------------------------------------------------------------


def artifact_url(artifact: Artifact) -> str:
    path = reverse(
        "artifacts:detail",
        kwargs={"conference": artifact.conference.slug, "number": artifact.submission.number},
    )
    return settings.SITE_URL.rstrip("/") + path


def author_addresses(artifact: Artifact) -> list[str]:
    """The paper's authors' addresses (its contact author first)."""
    seen: list[str] = []
    contact = artifact.contact if artifact.contact_id else None
    if contact is not None and contact.email:
        seen.append(contact.email.lower())
    for author in artifact.submission.authors.select_related("user").order_by("order", "pk"):
        address = (author.user.email if author.user else author.email).strip().lower()
        if address and address not in seen:
            seen.append(address)
    return seen


def evaluator_addresses(artifact: Artifact) -> list[str]:
    """The addresses of the artifact's live evaluators who may still open it: one found
    conflicted with the paper after being assigned (or no longer an accepted AE evaluator)
    is not emailed what the artifact's page refuses them."""
    return sorted(
        {
            a.evaluator.email.lower()
            for a in artifact.assignments.live().select_related("evaluator")
            if a.evaluator.email and is_live_evaluator(a.evaluator, artifact)
        }
    )


def _queue_email(artifact: Artifact, source: str, to: str, note: str) -> None:
    if to == S.KICK_THE_TIRES:
        key, audience = AUTHORS_ANSWERED if source == S.AWAITING_AUTHOR else KICK_OPENS
    elif to in EMAILS:
        key, audience = EMAILS[to]
    else:
        return
    # Authors share one email; each evaluator gets their own (no evaluator learns another's
    # address from a header).
    if audience == "authors":
        batches = [author_addresses(artifact)]
    else:
        batches = [[address] for address in evaluator_addresses(artifact)]
    badges = ", ".join(
        rb.badge.label
        for rb in artifact.requested_badges.select_related("badge")
        if rb.outcome == enums.BadgeOutcome.AWARDED
    )
    context = {
        "number": artifact.submission.number,
        "title": artifact.submission.title,
        "url": artifact_url(artifact),
        "note": note or "",
        "badges": badges or "none",
        "report": artifact.public_report or "",
    }
    for addresses in batches:
        if addresses:
            queue_email(to=addresses, key=key, conference=artifact.conference, context=context)
