"""Querysets for the review forms page."""

from django.db.models import Count, Prefetch, QuerySet

from reviews.models import ReviewField, ReviewForm


def forms_of(conference) -> QuerySet[ReviewForm]:
    """The conference's forms, default first then by track order, with fields and review counts."""
    return (
        ReviewForm.objects.filter(conference=conference)
        .select_related("track")
        .prefetch_related(Prefetch("fields", queryset=ReviewField.objects.order_by("order", "pk")))
        .annotate(review_count=Count("reviews"))
        .order_by("track__order", "track__name", "pk")
    )
