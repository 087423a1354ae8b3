"""Review forms: the questions reviewers answer, per conference and optionally per track.

Other reviewing modules import from here only; the page and write services live in
:mod:`reviews.review_forms.services`.
"""

from reviews.review_forms.answers import (
    ALL_LEVELS,
    AUTHOR_LEVELS,
    MAX_TEXT_LENGTH,
    PC_LEVELS,
    active_fields,
    choice_values,
    confidence,
    display_value,
    levels_for,
    overall_merit,
    scale_values,
    score_fields,
    validate_answers,
    visible_answers,
)
from reviews.review_forms.defaults import DEFAULT_FIELDS, ensure_default_form, form_for

__all__ = [
    "ALL_LEVELS",
    "AUTHOR_LEVELS",
    "DEFAULT_FIELDS",
    "MAX_TEXT_LENGTH",
    "PC_LEVELS",
    "active_fields",
    "choice_values",
    "confidence",
    "display_value",
    "ensure_default_form",
    "form_for",
    "levels_for",
    "overall_merit",
    "scale_values",
    "score_fields",
    "validate_answers",
    "visible_answers",
]
