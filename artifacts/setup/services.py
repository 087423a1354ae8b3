"""Every write of the AE chair's configuration: the settings, the AE dates, the badge set.

Each function checks ``artifacts.manage_ae`` on the conference (``require``), runs in one
transaction, validates before it writes (ValidationError with field keys, so the pages and the
API show the same messages) and audits what changed. A badge that an artifact requested or an
evaluator judged is never deleted (``RequestedBadge``/``BadgeVerdict`` PROTECT it): it is
retired, and restored if needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from artifacts.defaults import ensure_settings
from artifacts.models import AESettings, Artifact, Badge
from artifacts.setup import queries
from artifacts.setup.rules import MANAGE
from mlsys.conferences import services as conference_services
from mlsys.conferences.enums import DeadlineKind as K
from mlsys.conferences.models import Conference
from mlsys.conferences.viewer import require
from mlsys.core import audit

REFUSED = "Only the AE chairs and the program chairs can change the artifact evaluation."
SETTINGS_FIELDS = (
    "enabled",
    "evaluators_per_artifact",
    "evaluations_per_evaluator",
    "report_visibility",
    "call_url",
)
#: The AE dates, in the order the evaluation runs through them (conference ``Deadline`` rows).
AE_DEADLINES: tuple[str, ...] = (
    K.AE_REGISTRATION,
    K.AE_SUBMISSION,
    K.AE_BIDDING,
    K.AE_KICK_START,
    K.AE_KICK_END,
    K.AE_EVALUATION,
    K.AE_DECISION,
)
BADGE_FIELDS = ("label", "key", "description", "colour", "checklist", "required_fields")
#: The registration fields a badge may require (``Artifact`` field names), in form order.
REGISTRATION_FIELDS: tuple[str, ...] = (
    "summary",
    "repository_url",
    "version",
    "doi",
    "licence",
    "packaging",
    "packaging_notes",
    "gpu_model",
    "cpu_cores",
    "ram_gb",
    "disk_gb",
    "special_hardware",
    "experiments",
    "datasets",
    "appendix",
    "access_instructions",
    "contact",
)
MAX_CHECKLIST_ITEMS = 30
MAX_CHECKLIST_ITEM = 300
MAX_BADGES = 30
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


#: Labels where the model's verbose name reads badly in a list of checkboxes.
FIELD_LABELS = {
    "repository_url": "Repository URL",
    "cpu_cores": "CPU cores",
    "appendix": "Artifact appendix (PDF)",
    "contact": "Contact author",
}


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    label = str(getattr(Artifact._meta.get_field(name), "verbose_name", name))
    return label[:1].upper() + label[1:]


def registration_field_choices() -> list[tuple[str, str]]:
    return [(name, field_label(name)) for name in REGISTRATION_FIELDS]


# --- Settings and dates ---------------------------------------------------------------------


def settings_for(*, conference: Conference, actor) -> AESettings:
    """The conference's AE settings, created (with the default badge set) on first use."""
    require(actor, MANAGE, conference, REFUSED)
    if conference.archived_at is not None:
        # Read-only: show what there is (or the defaults) without writing.
        found = AESettings.objects.filter(conference=conference).first()
        return found or AESettings(conference=conference)
    return ensure_settings(conference)


def update_settings(*, conference: Conference, data: Mapping[str, Any], actor) -> AESettings:
    """Change the AE settings (fields of ``SETTINGS_FIELDS`` present in ``data``); audited as
    ``artifacts.settings_updated`` with the before/after of what changed."""
    _, user = require(actor, MANAGE, conference, REFUSED)
    ensure_settings(conference)
    with transaction.atomic():
        locked = AESettings.objects.select_for_update().get(conference=conference)
        before = audit.snapshot(locked, SETTINGS_FIELDS)
        changed = [n for n in SETTINGS_FIELDS if n in data and getattr(locked, n) != data[n]]
        for name in changed:
            setattr(locked, name, data[name])
        try:
            locked.full_clean(exclude=["conference"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit.record(
                "artifacts.settings_updated",
                actor=user,
                target=locked,
                conference=conference,
                changes=audit.diff(before, locked),
            )
    return locked


def set_ae_dates(
    *, conference: Conference, schedule: Mapping[str, datetime | None], actor
) -> list[str]:
    """Set the AE deadlines (kind → aware datetime, None = no such date) through the
    conference's deadline service, whose order checks (``SCHEDULE_CHAINS``: after the paper
    decisions, kick-the-tires closing after it opens…) apply. Only AE kinds are accepted."""
    _, user = require(actor, MANAGE, conference, REFUSED)
    other = sorted(set(schedule) - set(AE_DEADLINES))
    if other:
        raise ValidationError({kind: ["Not an artifact-evaluation date."] for kind in other})
    ensure_settings(conference)
    return conference_services.set_deadlines(conference=conference, schedule=schedule, actor=user)


# --- Badges ---------------------------------------------------------------------------------


def _clean_checklist(items: Iterable[str]) -> tuple[list[str], list[str]]:
    cleaned = [str(item).strip() for item in items if str(item).strip()]
    errors = []
    if len(cleaned) > MAX_CHECKLIST_ITEMS:
        errors.append(f"At most {MAX_CHECKLIST_ITEMS} checklist items (found {len(cleaned)}).")
    for number, item in enumerate(cleaned, start=1):
        if len(item) > MAX_CHECKLIST_ITEM:
            errors.append(
                f"Item {number} is {len(item)} characters long; the limit is {MAX_CHECKLIST_ITEM}."
            )
    return cleaned, errors


def _check_badge(
    badge: Badge, requires: list[Badge], excludes: list[Badge], others: list[Badge]
) -> dict[str, list[str]]:
    """Field-level problems of ``badge`` with these combinations among the conference's
    ``others`` (every other badge, with their own requires prefetched)."""
    errors: dict[str, list[str]] = {}
    if not COLOUR.match(badge.colour or ""):
        errors.setdefault("colour", []).append("Use a hex colour such as #1f6f43.")
    unknown = [f for f in badge.required_fields if f not in REGISTRATION_FIELDS]
    if unknown:
        errors.setdefault("required_fields", []).append(
            f"Unknown registration field: {', '.join(map(str, unknown))}."
        )
    if len(set(badge.required_fields)) != len(badge.required_fields):
        errors.setdefault("required_fields", []).append("A field is listed twice.")
    if any(other.key == badge.key for other in others):
        errors.setdefault("key", []).append(f"Another badge already has the key “{badge.key}”.")
    both = sorted({b.label for b in requires} & {b.label for b in excludes})
    if both:
        errors.setdefault("excludes", []).append(
            f"A badge cannot both require and exclude {', '.join(both)}."
        )
    retired = sorted(b.label for b in requires if not b.active)
    if retired and badge.active:
        errors.setdefault("requires", []).append(
            f"{', '.join(retired)} {'is' if len(retired) == 1 else 'are'} retired: restore "
            "it first or require another badge."
        )
    graph = {other.pk: {r.pk for r in other.requires.all()} for other in others}
    graph[badge.pk or 0] = {b.pk for b in requires}
    closure = _reachable(graph, badge.pk or 0)
    if (badge.pk or 0) in closure:
        errors.setdefault("requires", []).append(
            "These requirements make a cycle: a badge would end up requiring itself."
        )
    labels = {other.pk: other.label for other in others}
    requiring = {b.pk for b in excludes if (badge.pk or 0) in _reachable(graph, b.pk)}
    implied = sorted(
        labels[pk] for pk in (closure | requiring) & {b.pk for b in excludes} if pk in labels
    )
    if implied and not both:
        errors.setdefault("excludes", []).append(
            f"{', '.join(implied)} and this badge go together through the requirements "
            "(one requires the other), so they cannot also exclude each other."
        )
    return errors


def _reachable(graph: Mapping[int, set[int]], start: int) -> set[int]:
    seen: set[int] = set()
    stack = list(graph.get(start, ()))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(graph.get(node, ()))
    return seen


def _save_badge(
    badge: Badge, data: Mapping[str, Any], *, conference: Conference, user, action: str
) -> Badge:
    Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
    others = [b for b in queries.badges(conference) if b.pk != badge.pk]
    before = audit.snapshot(badge, BADGE_FIELDS) if badge.pk else {}
    before_links = _links(badge) if badge.pk else {"requires": [], "excludes": []}
    for name in BADGE_FIELDS:
        if name in data:
            setattr(badge, name, data[name])
    errors: dict[str, list[str]] = {}
    badge.checklist, checklist_errors = _clean_checklist(badge.checklist or [])
    if checklist_errors:
        errors["checklist"] = checklist_errors
    badge.required_fields = list(badge.required_fields or [])
    by_pk = {b.pk: b for b in others}
    requires = (
        _chosen(data["requires"], by_pk, "requires", badge.pk)
        if "requires" in data
        else _current(badge, "req")
    )
    excludes = (
        _chosen(data["excludes"], by_pk, "excludes", badge.pk)
        if "excludes" in data
        else _current(badge, "exc")
    )
    try:
        badge.full_clean(exclude=["conference", "checklist", "required_fields"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    for field, messages in _check_badge(badge, requires, excludes, others).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if not badge.pk:
        badge.conference = conference
        badge.order = max((b.order for b in others), default=-1) + 1
        badge.save()
    else:
        badge.save()
    badge.requires.set(requires)
    badge.excludes.set(excludes)
    after = {**audit.snapshot(badge, BADGE_FIELDS), **_links(badge)}
    changes = {
        name: [({**before, **before_links}).get(name), value]
        for name, value in after.items()
        if ({**before, **before_links}).get(name) != value
    }
    if changes:
        audit.record(action, actor=user, target=badge, conference=conference, changes=changes)
    return badge


def _chosen(
    values: Iterable[Any], by_pk: Mapping[int, Badge], field: str, own_pk: int | None
) -> list[Badge]:
    chosen: list[Badge] = []
    for value in values or []:
        pk = getattr(value, "pk", value)
        if own_pk is not None and pk == own_pk:
            raise ValidationError({field: ["A badge cannot name itself."]})
        badge = by_pk.get(pk) if isinstance(pk, int) else None
        if badge is None:
            raise ValidationError({field: ["Choose badges of this conference."]})
        if badge not in chosen:
            chosen.append(badge)
    return chosen


def _current(badge: Badge, which: str) -> list[Badge]:
    if not badge.pk:
        return []
    return list(badge.requires.all() if which == "req" else badge.excludes.all())


def _links(badge: Badge) -> dict[str, list[str]]:
    return {
        "requires": sorted(b.key for b in badge.requires.all()),
        "excludes": sorted(b.key for b in badge.excludes.all()),
    }


def create_badge(*, conference: Conference, data: Mapping[str, Any], actor) -> Badge:
    """Add a badge at the end of the set; ``data`` has BADGE_FIELDS and ``requires`` /
    ``excludes`` (badges or pks of this conference)."""
    _, user = require(actor, MANAGE, conference, REFUSED)
    ensure_settings(conference)
    with transaction.atomic():
        if Badge.objects.filter(conference=conference).count() >= MAX_BADGES:
            raise ValidationError(f"A conference can have at most {MAX_BADGES} badges.")
        return _save_badge(
            Badge(conference=conference),
            data,
            conference=conference,
            user=user,
            action="artifacts.badge_created",
        )


def update_badge(*, badge: Badge, data: Mapping[str, Any], actor) -> Badge:
    _, user = require(actor, MANAGE, badge.conference, REFUSED)
    with transaction.atomic():
        locked = Badge.objects.select_for_update().get(pk=badge.pk)
        return _save_badge(
            locked,
            data,
            conference=badge.conference,
            user=user,
            action="artifacts.badge_updated",
        )


def reorder_badges(*, conference: Conference, order: list[int], actor) -> None:
    """Put the badges in ``order`` (every badge's pk, once)."""
    _, user = require(actor, MANAGE, conference, REFUSED)
    with transaction.atomic():
        Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
        badges = {b.pk: b for b in Badge.objects.filter(conference=conference)}
        if sorted(order) != sorted(badges):
            raise ValidationError(
                {"order": ["List every badge of the conference once (the set has changed?)."]}
            )
        before = [b.key for b in sorted(badges.values(), key=lambda b: (b.order, b.pk))]
        for position, pk in enumerate(order):
            badges[pk].order = position
        Badge.objects.bulk_update(list(badges.values()), ["order"])
        after = [badges[pk].key for pk in order]
        if before != after:
            audit.record(
                "artifacts.badges_reordered",
                actor=user,
                target=conference,
                changes={"order": [before, after]},
            )


def move_badge(*, badge: Badge, step: int, actor) -> None:
    """Move one badge up (``step`` -1) or down (+1) the set."""
    ids = list(
        Badge.objects.filter(conference=badge.conference)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    at = ids.index(badge.pk)
    to = max(0, min(len(ids) - 1, at + step))
    ids.insert(to, ids.pop(at))
    reorder_badges(conference=badge.conference, order=ids, actor=actor)


def _set_active(badge: Badge, active: bool, actor) -> Badge:
    _, user = require(actor, MANAGE, badge.conference, REFUSED)
    with transaction.atomic():
        locked = Badge.objects.select_for_update().get(pk=badge.pk)
        if locked.active == active:
            word = "active" if active else "retired"
            raise ValidationError(f"“{locked.label}” is already {word}.")
        if active:
            retired = sorted(b.label for b in locked.requires.all() if not b.active)
            if retired:
                raise ValidationError(
                    f"“{locked.label}” requires {', '.join(retired)}, which "
                    f"{'is' if len(retired) == 1 else 'are'} retired: restore "
                    f"{'it' if len(retired) == 1 else 'them'} first."
                )
        locked.active = active
        locked.save(update_fields=["active", "updated_at"])
        audit.record(
            "artifacts.badge_restored" if active else "artifacts.badge_retired",
            actor=user,
            target=locked,
            conference=badge.conference,
            changes={"active": [not active, active]},
        )
    return locked


def retire_badge(*, badge: Badge, actor) -> Badge:
    """Stop offering a badge: artifacts can no longer request it; requests and verdicts made
    keep it. Active badges that require it are flagged on the badge page."""
    return _set_active(badge, False, actor)


def restore_badge(*, badge: Badge, actor) -> Badge:
    return _set_active(badge, True, actor)


def delete_badge(*, badge: Badge, actor) -> None:
    """Delete a badge nobody requested or judged (else refused: retire it). Other badges'
    requires/excludes naming it are dropped with it (listed on the confirmation page)."""
    _, user = require(actor, MANAGE, badge.conference, REFUSED)
    with transaction.atomic():
        locked = Badge.objects.select_for_update().get(pk=badge.pk)
        usage = queries.badge_usage(locked)
        if usage.requests or usage.verdicts:
            raise ValidationError(
                f"“{locked.label}” has been requested by {usage.requests} artifact(s) and "
                f"judged in {usage.verdicts} evaluation(s): retire it instead."
            )
        audit.record(
            "artifacts.badge_deleted",
            actor=user,
            target=badge.conference,
            changes={
                **{k: [v, None] for k, v in audit.snapshot(locked, BADGE_FIELDS).items()},
                **{k: [v, None] for k, v in _links(locked).items()},
            },
            note=f"badge {locked.key}",
        )
        locked.delete()
