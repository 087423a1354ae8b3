"""Chairs manage a track's extra questions (ExtraField): create, edit, delete, reorder.

Authors' answers live in ``Submission.extra_answers`` keyed by the field's pk (see
``services.editing._validate_answers``). The invariant kept here: **a change never silently
loses or corrupts an answer**. So, once a question has answers:

- its kind can't change (a stored ``False`` would become the text "False"),
- a choice option that an answer uses can't be removed or reworded,
- it can't be deleted (the chair may make it optional or rename it instead).

A stored value counts as an answer unless it is empty (``None`` or ``""``); an unticked
checkbox (``False``) is an answer ("no").

Every write runs in one transaction, locks the rows it changes and writes an AuditEvent.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from mlsys.conferences.models import Track
from mlsys.core import audit
from submissions.enums import ExtraFieldKind
from submissions.models import ExtraField, Submission

#: The attributes a chair edits (and the audit log records).
FIELDS = ("label", "kind", "choices", "help_text", "required")
LABEL_MAX = 200
HELP_MAX = 300
OPTION_MAX = 200
MIN_OPTIONS = 2


@dataclass
class Usage:
    """How the submissions of a track answered one question."""

    answers: int = 0
    values: Counter = field(default_factory=Counter)


def answer_usage(track: Track) -> dict[int, Usage]:
    """Per field pk of ``track``: how many submissions answered it and with which values.

    One query whatever the number of fields (it reads the track's stored answers). Answers are
    read in Python because JSON key lookups treat digit-only keys as array indexes.
    """
    usage: dict[int, Usage] = {}
    rows = Submission.objects.filter(track=track).values_list("extra_answers", flat=True)
    for answers in rows:
        for key, value in (answers or {}).items():
            if not _is_answer(value) or not key.isdigit():
                continue
            entry = usage.setdefault(int(key), Usage())
            entry.answers += 1
            if isinstance(value, str):
                entry.values[value] += 1
    return usage


def create_extra_field(*, track: Track, data: Mapping[str, Any], actor) -> ExtraField:
    """Add a question at the end of ``track``'s list. Raises ValidationError (field-keyed)."""
    with transaction.atomic():
        # The track's row lock serialises concurrent additions, so orders stay distinct.
        locked_track = (
            Track.objects.select_for_update(of=("self",))
            .select_related("conference")
            .get(pk=track.pk)
        )
        values = _clean(data, existing=None, usage=Usage())
        last = locked_track.extra_fields.aggregate(last=Max("order"))["last"]
        extra = ExtraField(track=locked_track, order=0 if last is None else last + 1, **values)
        extra.save()
        audit.record(
            "extra_field.created",
            actor=actor,
            target=extra,
            conference=locked_track.conference,
            changes=audit.created(extra, FIELDS),
            note=f"Track “{locked_track.name}”.",
        )
    return extra


def update_extra_field(*, extra_field: ExtraField, data: Mapping[str, Any], actor) -> ExtraField:
    """Change a question; refuse changes that would break existing answers (module docstring)."""
    with transaction.atomic():
        locked = (
            ExtraField.objects.select_for_update(of=("self",))
            .select_related("track__conference")
            .get(pk=extra_field.pk)
        )
        usage = answer_usage(locked.track).get(locked.pk, Usage())
        values = _clean(data, existing=locked, usage=usage)
        before = audit.snapshot(locked, FIELDS)
        for name, value in values.items():
            setattr(locked, name, value)
        changes = audit.diff(before, locked)
        if changes:
            locked.save(update_fields=[*changes, "updated_at"])
            audit.record(
                "extra_field.updated",
                actor=actor,
                target=locked,
                conference=locked.track.conference,
                changes=changes,
            )
    return locked


def delete_extra_field(*, extra_field: ExtraField, actor) -> None:
    """Delete a question nobody has answered; refuse (ValidationError) otherwise."""
    with transaction.atomic():
        locked = (
            ExtraField.objects.select_for_update(of=("self",))
            .select_related("track__conference")
            .get(pk=extra_field.pk)
        )
        count = answer_usage(locked.track).get(locked.pk, Usage()).answers
        if count:
            raise ValidationError(
                f"“{locked.label}” has answers from {count} submission{_s(count)}, so it can't "
                "be deleted (the answers are kept). Make it optional or rename it instead."
            )
        audit.record(
            "extra_field.deleted",
            actor=actor,
            target=locked,
            conference=locked.track.conference,
            changes=audit.deleted(locked, FIELDS),
        )
        locked.delete()


def move_extra_field(*, extra_field: ExtraField, direction: str, actor) -> None:
    """Swap a question with its neighbour (``direction`` "up" or "down"); renumber 0..n-1.

    Moving the first question up (or the last down) changes nothing and writes no audit row.
    """
    if direction not in ("up", "down"):
        raise ValidationError("Move a question up or down.")
    with transaction.atomic():
        siblings = list(
            ExtraField.objects.select_for_update(of=("self",))
            .select_related("track__conference")
            .filter(track_id=extra_field.track_id)
            .order_by("order", "pk")
        )
        index = next(i for i, f in enumerate(siblings) if f.pk == extra_field.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        moved = siblings[target]
        old_order = moved.order
        for position, sibling in enumerate(siblings):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order", "updated_at"])
        audit.record(
            "extra_field.moved",
            actor=actor,
            target=moved,
            conference=moved.track.conference,
            changes={"order": [old_order, moved.order]},
        )


def _clean(data: Mapping[str, Any], *, existing: ExtraField | None, usage: Usage) -> dict:
    """Normalised values for FIELDS, or a field-keyed ValidationError listing every problem."""
    errors: dict[str, list[str]] = {}
    label = " ".join(str(data.get("label") or "").split())
    if not label:
        errors.setdefault("label", []).append("Write the question.")
    elif len(label) > LABEL_MAX:
        errors.setdefault("label", []).append(f"At most {LABEL_MAX} characters ({len(label)}).")
    kind = data.get("kind")
    if kind not in ExtraFieldKind.values:
        errors.setdefault("kind", []).append("Choose checkbox, choice or text.")
    elif existing is not None and kind != existing.kind and usage.answers:
        errors.setdefault("kind", []).append(
            f"{usage.answers} submission{_s(usage.answers)} answered this question, so its kind "
            "can't change. Add a new question instead."
        )
    help_text = " ".join(str(data.get("help_text") or "").split())
    if len(help_text) > HELP_MAX:
        errors.setdefault("help_text", []).append(
            f"At most {HELP_MAX} characters ({len(help_text)})."
        )
    options = [line.strip() for line in str(data.get("choices") or "").splitlines()]
    options = [o for o in options if o]
    if kind == ExtraFieldKind.CHOICE:
        errors_for_options = _option_errors(options, existing, usage)
        if errors_for_options:
            errors["choices"] = errors_for_options
    else:
        # Options only mean something for a choice question; don't keep stale ones around.
        options = []
    if errors:
        raise ValidationError(errors)
    return {
        "label": label,
        "kind": kind,
        "choices": "\n".join(options),
        "help_text": help_text,
        "required": bool(data.get("required")),
    }


def _option_errors(options: list[str], existing: ExtraField | None, usage: Usage) -> list[str]:
    problems = []
    if len(set(options)) < MIN_OPTIONS:
        problems.append(f"A choice question needs at least {MIN_OPTIONS} options, one per line.")
    duplicates = sorted(o for o, n in Counter(options).items() if n > 1)
    if duplicates:
        problems.append("Listed twice: " + ", ".join(f"“{o}”" for o in duplicates) + ".")
    too_long = [o for o in options if len(o) > OPTION_MAX]
    if too_long:
        problems.append(f"Options are at most {OPTION_MAX} characters.")
    if existing is not None and existing.kind == ExtraFieldKind.CHOICE:
        removed = sorted(v for v in usage.values if v not in options)
        if removed:
            listed = ", ".join(f"“{v}” ({usage.values[v]})" for v in removed)
            problems.append(
                f"Submissions already chose these options, so they can't be removed or "
                f"reworded: {listed}. Keep them; you can add new options."
            )
    return problems


def _is_answer(value: Any) -> bool:
    return value is not None and value != ""


def _s(count: int) -> str:
    return "" if count == 1 else "s"


# --- Starting next year's conference (a mlsys.conferences.setup_copy hook) ---------------------

EXTRA_QUESTIONS = "extra questions"


def preview_extra_field_copy(source) -> dict[str, int]:
    return {EXTRA_QUESTIONS: ExtraField.objects.filter(track__conference=source).count()}


def copy_extra_fields(context) -> dict[str, int]:
    """Copy every track's questions onto the new conference's copy of the track (no answers:
    those are the papers'). Runs after the tracks hook, which fills ``context.tracks``."""
    copies = ExtraField.objects.bulk_create(
        ExtraField(
            track=context.tracks[extra.track_id],
            order=extra.order,
            **{name: getattr(extra, name) for name in FIELDS},
        )
        for extra in ExtraField.objects.filter(track__conference=context.source).order_by(
            "track", "order", "pk"
        )
    )
    return {EXTRA_QUESTIONS: len(copies)}
