"""The dashboard's own writes: the conference's outcome set, a chair's saved views, and tags in
bulk (through the submissions tag service). Decisions themselves are written only by
decisions.services (record_decision, record_decisions, clear_decision).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from decisions import enums
from decisions.models import Outcome, SavedView
from decisions.services import conflicts_under_review
from mlsys.conferences.viewer import require
from mlsys.core import audit
from reviews.rules import conflicted_submission_ids
from submissions import chair_services
from submissions.models import Submission

MANAGE = "decisions.manage_decisions"
ONLY_CHAIRS = "Only the program chairs manage decisions."


# --- Outcomes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeChange:
    """One row of the outcomes page: an existing outcome (``pk``) or a new one (``pk`` None)."""

    pk: int | None
    label: str
    kind: str
    order: int
    active: bool = True


def outcome_usage(conference, viewer=None) -> dict[int, tuple[int, int]]:
    """Outcome id → (decisions pointing at it, released ones) (one query). With ``viewer``,
    only the decisions that viewer may see: a conflicted chair's papers are not counted, or the
    counts would tell them their paper's outcome."""
    hidden = list(conflicted_submission_ids(viewer, conference)) if viewer is not None else []
    shown = ~Q(decisions__submission_id__in=hidden) if hidden else Q()
    rows = (
        Outcome.objects.filter(conference=conference)
        .annotate(
            used=Count("decisions", filter=shown),
            released=Count(
                "decisions", filter=shown & Q(decisions__status=enums.DecisionStatus.RELEASED)
            ),
        )
        .values_list("pk", "used", "released")
    )
    return {pk: (used, released) for pk, used, released in rows}


def save_outcomes(*, conference, changes: Sequence[OutcomeChange], actor) -> list[Outcome]:
    """Rename, reorder, retire or restore the conference's outcomes and add new ones.

    Outcomes are never deleted (decisions keep pointing at a retired one). Refused
    (ValidationError, nothing saved) when two outcomes would share a label, when no outcome
    would stay active, or when an outcome with released decisions would change kind (the
    papers are already accepted or rejected by it), and when a chair conflicted with a paper
    under review would change an outcome's kind (that paper's pending decision may use it: the
    change would act on it blindly, and a refusal only for used outcomes would tell them which).
    Each change is audited.
    """
    viewer, user = require(actor, MANAGE, conference, ONLY_CHAIRS)
    rows = [
        OutcomeChange(c.pk, " ".join(c.label.split())[:80], c.kind, c.order, c.active)
        for c in changes
        if c.pk is not None or c.label.strip()
    ]
    errors: list[str] = []
    with transaction.atomic():
        existing = {
            o.pk: o for o in Outcome.objects.select_for_update().filter(conference=conference)
        }
        usage = outcome_usage(conference)
        # The outcome set after the change: what is not sent stays as it is.
        final = {
            pk: OutcomeChange(pk, o.label, o.kind, o.order, o.active) for pk, o in existing.items()
        }
        for row in rows:
            if row.pk is None:
                continue
            if row.pk not in existing:
                errors.append("An outcome was removed meanwhile; reload the page.")
                continue
            final[row.pk] = row
            if existing[row.pk].kind != row.kind and conflicts_under_review(conference, viewer):
                errors.append(
                    f"“{existing[row.pk].label}” keeps its kind: you are conflicted with papers "
                    "under review, whose pending decisions may use it. Another chair changes it."
                )
                continue
            if existing[row.pk].kind != row.kind and usage.get(row.pk, (0, 0))[1]:
                errors.append(
                    f"“{existing[row.pk].label}” has released decisions: its kind cannot change."
                )
        rows = [r for r in rows if r.pk is None or r.pk in existing]
        after_change = [*final.values(), *(r for r in rows if r.pk is None)]
        labels = [r.label.casefold() for r in after_change]
        if any(not r.label for r in after_change):
            errors.append("Every outcome needs a label.")
        duplicates = sorted({r.label for r in after_change if labels.count(r.label.casefold()) > 1})
        if duplicates:
            errors.append(f"Two outcomes cannot share a label: {', '.join(duplicates)}.")
        if any(r.kind not in enums.OutcomeKind.values for r in after_change):
            errors.append("Each outcome accepts or rejects the paper.")
        if not any(r.active for r in after_change):
            errors.append("Keep at least one outcome active.")
        if errors:
            raise ValidationError(errors)
        saved = []
        # Labels are unique per conference: park renamed rows first so swaps do not collide.
        renamed = [r.pk for r in rows if r.pk is not None and existing[r.pk].label != r.label]
        for pk in renamed:
            Outcome.objects.filter(pk=pk).update(label=f"~renaming {pk} {uuid.uuid4().hex}")
        for row in rows:
            if row.pk is None:
                outcome = Outcome.objects.create(
                    conference=conference,
                    label=row.label,
                    kind=row.kind,
                    order=row.order,
                    active=row.active,
                )
                audit.record(
                    "decisions.outcome_added",
                    actor=user,
                    target=outcome,
                    conference=conference,
                    changes={"label": [None, row.label], "kind": [None, row.kind]},
                )
                saved.append(outcome)
                continue
            outcome = existing[row.pk]
            before = {f: getattr(outcome, f) for f in ("label", "kind", "order", "active")}
            after = {"label": row.label, "kind": row.kind, "order": row.order, "active": row.active}
            changed = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
            if changed:
                for name, value in after.items():
                    setattr(outcome, name, value)
                outcome.save(update_fields=[*after, "updated_at"])
                audit.record(
                    "decisions.outcome_changed",
                    actor=user,
                    target=outcome,
                    conference=conference,
                    changes=changed,
                )
            saved.append(outcome)
    return sorted(saved, key=lambda o: (o.order, o.pk))


# --- Saved views ---------------------------------------------------------------------------


def save_view(*, conference, actor, name: str, query: str) -> SavedView:
    """Save the dashboard's current ``query`` (filters, sort, columns) under ``name`` for the
    acting chair; a view of the same name is replaced."""
    _viewer, user = require(actor, MANAGE, conference, ONLY_CHAIRS)
    name = " ".join(name.split())[:80]
    if not name:
        raise ValidationError({"name": "Name the view."})
    with transaction.atomic():
        view, created = SavedView.objects.update_or_create(
            conference=conference, owner=user, name=name, defaults={"query": query[:2000]}
        )
        audit.record(
            "decisions.view_saved",
            actor=user,
            target=view,
            conference=conference,
            changes={"name": [None if created else name, name], "query": [None, view.query]},
        )
    return view


def delete_view(*, view: SavedView, actor) -> None:
    """Delete one of the acting chair's saved views (PermissionDenied for anyone else's)."""
    _viewer, user = require(actor, MANAGE, view.conference, ONLY_CHAIRS)
    if view.owner_id != user.pk:
        raise ValidationError("This saved view is another chair's.")
    with transaction.atomic():
        audit.record(
            "decisions.view_deleted",
            actor=user,
            target=view,
            conference=view.conference,
            changes={"name": [view.name, None]},
        )
        view.delete()


# --- Tags in bulk --------------------------------------------------------------------------


@dataclass
class TagResult:
    changed: int = 0
    skipped: list[tuple[Submission, str]] = field(default_factory=list)


def tag_papers(*, conference, numbers: Sequence[int], actor, name: str, add: bool) -> TagResult:
    """Add or remove tag ``name`` on the papers ``numbers`` (submissions.chair_services.set_tag,
    which audits each change), leaving out, with the reason, those the actor is conflicted
    with (that service refuses a batch that holds any)."""
    viewer, _user = require(actor, MANAGE, conference, ONLY_CHAIRS)
    papers = list(conference.submissions.filter(number__in=list(numbers)).order_by("number"))
    result = TagResult()
    allowed = []
    for paper in papers:
        if viewer.has_perm("submissions.act_on_submission", paper):
            allowed.append(paper.number)
        else:
            result.skipped.append(
                (paper, "You are conflicted with this paper; another chair must tag it.")
            )
    if allowed:
        _tag, result.changed = chair_services.set_tag(
            conference=conference, numbers=allowed, actor=viewer, name=name, add=add
        )
    return result
