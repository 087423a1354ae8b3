"""Reading and checking review answers against a form.

Answers live in ``Review.answers`` keyed by field key. A deactivated field keeps its answers
(they are passed through untouched) but is never shown.
"""

from typing import Any

from django.core.exceptions import ValidationError

from mlsys.core.numbers import parse_int
from reviews.enums import FieldKind, FieldVisibility
from reviews.models import Review, ReviewField, ReviewForm
from reviews.rules import is_paper_author, is_paper_chair, is_reviewer_of

#: Longest text answer accepted, in characters.
MAX_TEXT_LENGTH = 20_000

ALL_LEVELS = frozenset(FieldVisibility.values)
PC_LEVELS = frozenset({FieldVisibility.AUTHORS, FieldVisibility.PC})
AUTHOR_LEVELS = frozenset({FieldVisibility.AUTHORS})


def _fields(form: ReviewForm) -> list[ReviewField]:
    """All fields of the form (active or not), ordered; uses prefetched ``fields`` if present."""
    cache = getattr(form, "_prefetched_objects_cache", {})
    if "fields" in cache:
        return sorted(cache["fields"], key=lambda field: (field.order, field.pk))
    return list(form.fields.order_by("order", "pk"))


def active_fields(form: ReviewForm) -> list[ReviewField]:
    """The form's active fields in order. Prefetch ``fields`` on the form to avoid a query."""
    return [field for field in _fields(form) if field.active]


def score_fields(form: ReviewForm) -> list[ReviewField]:
    """Active score fields in order (for dashboards and score tables)."""
    return [field for field in active_fields(form) if field.kind == FieldKind.SCORE]


def scale_values(field: ReviewField) -> list[int]:
    return [int(point["value"]) for point in field.scale]


def choice_values(field: ReviewField) -> list[str]:
    """Options of a choice field; an option is a string (or a {"value", "label"} dict)."""
    return [str(c["value"]) if isinstance(c, dict) else str(c) for c in field.choices]


def display_value(field: ReviewField, value: Any) -> str:
    """A short human rendering: "4: Weak accept" for scores, the option for choices, text as is."""
    if value is None:
        return ""
    if field.kind == FieldKind.SCORE:
        for point in field.scale:
            if point["value"] == value:
                return f"{value}: {point['label']}" if point.get("label") else str(value)
        return str(value)
    if field.kind == FieldKind.CHOICE:
        for option in field.choices:
            if isinstance(option, dict) and str(option["value"]) == str(value):
                return str(option.get("label") or option["value"])
    return str(value)


def _clean_score(field: ReviewField, value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError("Choose a value on the scale.")
    if isinstance(value, str):
        value = parse_int(value)
        if value is None:
            raise ValidationError("Choose a value on the scale.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValidationError("Choose a value on the scale.")
    allowed = scale_values(field)
    if value not in allowed:
        raise ValidationError(
            "%(value)s is not on the scale (%(low)s–%(high)s).",
            params={
                "value": value,
                "low": min(allowed, default=""),
                "high": max(allowed, default=""),
            },
        )
    return value


def _clean_choice(field: ReviewField, value: Any) -> str:
    value = str(value).strip()
    if value not in choice_values(field):
        raise ValidationError("“%(value)s” is not one of the options.", params={"value": value})
    return value


def _clean_text(field: ReviewField, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError("Enter text.")
    value = value.strip()
    if len(value) > MAX_TEXT_LENGTH:
        raise ValidationError(
            "Keep this under %(limit)s characters (it has %(length)s).",
            params={"limit": f"{MAX_TEXT_LENGTH:,}", "length": f"{len(value):,}"},
        )
    return value


_CLEANERS = {
    FieldKind.SCORE: _clean_score,
    FieldKind.CHOICE: _clean_choice,
    FieldKind.TEXT: _clean_text,
}


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_answers(form: ReviewForm, answers: dict, *, final: bool) -> dict:
    """Clean ``answers`` against ``form`` and return the dict to store.

    Scores become ints on the field's scale, choices one of the options, text is stripped and
    capped at :data:`MAX_TEXT_LENGTH`. Empty answers are left out (a draft may clear a field).
    Keys that are not fields of the form are dropped; answers to deactivated fields are passed
    through untouched so a form change never loses them. With ``final`` (submitting), every
    active required field must be answered.

    Raises ``ValidationError({key: [messages]})`` listing every bad field at once.
    """
    answers = answers or {}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for field in _fields(form):
        value = answers.get(field.key)
        if not field.active:
            if field.key in answers:
                cleaned[field.key] = value
            continue
        if _is_empty(value):
            if final and field.required:
                errors[field.key] = [ValidationError("This question needs an answer.")]
            continue
        try:
            cleaned[field.key] = _CLEANERS[field.kind](field, value)
        except ValidationError as error:
            errors[field.key] = error.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def levels_for(user, submission) -> frozenset[str]:
    """The :class:`FieldVisibility` levels ``user`` may read in reviews of ``submission``.

    Non-conflicted chairs: all; reviewers of the paper: authors + PC; its authors: authors;
    anyone else (conflicted chairs and PC members included): none. This says which *fields*
    may be shown; whether the reviews themselves may be read now (response phase, the
    other-reviews setting) is the caller's permission check. A reviewer reading their own
    review sees every field they wrote.
    """
    if is_paper_chair(user, submission):
        return ALL_LEVELS
    if is_reviewer_of(user, submission):
        return PC_LEVELS
    if is_paper_author(user, submission):
        return AUTHOR_LEVELS
    return frozenset()


def visible_answers(review: Review, levels: frozenset[str]) -> list[tuple[ReviewField, Any]]:
    """``(field, value)`` for the review's answered active fields readable at ``levels``.

    In form order; unanswered fields and deactivated fields are left out. Prefetch
    ``form__fields`` when rendering many reviews.
    """
    return [
        (field, review.answers[field.key])
        for field in active_fields(review.form)
        if field.visibility in levels and not _is_empty(review.answers.get(field.key))
    ]


def _score(review: Review, key: str) -> int | None:
    value = (review.answers or {}).get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def overall_merit(review: Review) -> int | None:
    """The review's overall merit score, or None if not (yet) given."""
    return _score(review, "overall_merit")


def confidence(review: Review) -> int | None:
    """The reviewer's confidence score, or None if not (yet) given."""
    return _score(review, "confidence")
