"""The reviewer profile's querysets: topic interests, expertise and the conflicts the member
declared."""

from django.db.models import Exists, F, OuterRef, QuerySet

from reviews.models import Expertise, ExpertiseExclusion, TopicInterest
from submissions import enums as sub_enums
from submissions.models import Conflict


def topic_interests(user, conference) -> dict[int, int]:
    return dict(
        TopicInterest.objects.filter(user=user, conference=conference).values_list(
            "topic_id", "level"
        )
    )


def expertise(user, conference) -> QuerySet[Expertise]:
    """All of the person's papers (from every conference), each annotated with ``used``: whether
    it counts at ``conference`` (not set aside there)."""
    set_aside = ExpertiseExclusion.objects.filter(expertise=OuterRef("pk"), conference=conference)
    return (
        Expertise.objects.filter(user=user)
        .annotate(used=~Exists(set_aside))
        .order_by(F("year").desc(nulls_last=True), "title", "pk")
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
