"""The reviewer profile's querysets: topic interests, expertise and the conflicts the member
declared."""

from django.db.models import F, QuerySet

from reviews.models import Expertise, TopicInterest
from submissions import enums as sub_enums
from submissions.models import Conflict


def topic_interests(user, conference) -> dict[int, int]:
    return dict(
        TopicInterest.objects.filter(user=user, conference=conference).values_list(
            "topic_id", "level"
        )
    )


def expertise(user, conference) -> QuerySet[Expertise]:
    return Expertise.objects.filter(user=user, conference=conference).order_by(
        F("year").desc(nulls_last=True), "title"
    )


def declared_conflicts(user, conference) -> QuerySet[Conflict]:
    """The conflicts ``user`` declared (shown on their profile; never other sources)."""
    return (
        Conflict.objects.filter(
            user=user,
            submission__conference=conference,
            source=sub_enums.ConflictSource.REVIEWER_DECLARED,
        )
        .select_related("submission")
        .only("pk", "state", "created_at", "submission__number", "submission__title")
        .order_by("submission__number")
    )
