"""Which answers a form's fields already have, so edits never invalidate them.

"Used" covers current review answers and every stored revision of reviews on the form.
"""

from typing import Any

from reviews.models import Review, ReviewField, ReviewForm, ReviewRevision


def used_values(field: ReviewField) -> list[Any]:
    """Distinct values stored for ``field`` in the reviews (and revisions) of its form."""
    key = field.key
    current = Review.objects.filter(form_id=field.form_id, answers__has_key=key).values_list(
        "answers", flat=True
    )
    past = ReviewRevision.objects.filter(
        review__form_id=field.form_id, answers__has_key=key
    ).values_list("answers", flat=True)
    values: list[Any] = []
    for answers in [*current, *past]:
        value = answers.get(key)
        if value not in values:
            values.append(value)
    return values


def is_used(field: ReviewField) -> bool:
    """True once any review or revision on the form holds an answer for ``field``."""
    return (
        Review.objects.filter(form_id=field.form_id, answers__has_key=field.key).exists()
        or ReviewRevision.objects.filter(
            review__form_id=field.form_id, answers__has_key=field.key
        ).exists()
    )


def has_reviews(form: ReviewForm) -> bool:
    return Review.objects.filter(form=form).exists()
