"""Bidding querysets: what a PC member may bid on, with their affinity and bid.

Every builder excludes, in SQL, the submissions the member is conflicted with (author, any
effective Conflict row, a "conflict" bid), so no page, search, count or sort can reach them.
"""

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from mlsys.conferences.enums import Anonymity
from mlsys.core.numbers import parse_id
from reviews.affinity.queries import SOURCE_PREFERENCE, preference_rank
from reviews.enums import BidValue
from reviews.models import Affinity, Bid
from submissions import enums as sub_enums
from submissions.models import Author, Conflict, Submission

SORTS = {"affinity", "number", "title"}


def conflicted_q(user) -> Q:
    """True for submissions ``user`` is conflicted with (for use on a Submission queryset)."""
    return (
        Q(Exists(Author.objects.filter(submission=OuterRef("pk"), user=user)))
        | Q(
            Exists(
                Conflict.objects.filter(
                    submission=OuterRef("pk"), user=user, state__in=sub_enums.EFFECTIVE
                )
            )
        )
        | Q(
            Exists(
                Bid.objects.filter(submission=OuterRef("pk"), user=user, value=BidValue.CONFLICT)
            )
        )
    )


def biddable(user, conference) -> QuerySet[Submission]:
    """Submitted papers of ``conference`` that ``user`` is not conflicted with (plain rows)."""
    return Submission.objects.filter(
        conference=conference, status=sub_enums.Status.SUBMITTED
    ).exclude(conflicted_q(user))


def _affinity_subquery(user, conference) -> Subquery:
    """The score of the source in use (``reviews.affinity.queries.used_source``); without one
    recorded, each pair's score from the first source of ``SOURCE_PREFERENCE`` that has it (no
    other source: not a running computation's temporary ``~<run id>`` rows)."""
    rows = Affinity.objects.filter(submission=OuterRef("pk"), user=user)
    if conference.affinity_source:
        rows = rows.filter(source=conference.affinity_source)
    else:
        rows = (
            rows.filter(source__in=SOURCE_PREFERENCE)
            .annotate(preference=preference_rank())
            .order_by("preference", "-score")
        )
    return Subquery(rows.values("score")[:1], output_field=FloatField())


def for_bidding(user, conference) -> QuerySet[Submission]:
    """:func:`biddable` rows with ``affinity`` (NULL without a score), ``my_bid`` (NULL if
    none), track and topics; ``visible_authors`` holds the authors of open-track papers only,
    so names of anonymous tracks are never even loaded."""
    return (
        biddable(user, conference)
        .select_related("track")
        .only(
            "pk",
            "number",
            "title",
            "abstract",
            "conference_id",
            "track__name",
            "track__anonymity",
            "track__order",
        )
        .annotate(
            affinity=_affinity_subquery(user, conference),
            my_bid=Subquery(
                Bid.objects.filter(submission=OuterRef("pk"), user=user).values("value")[:1]
            ),
        )
        .prefetch_related(
            "topics",
            Prefetch(
                "authors",
                queryset=Author.objects.filter(submission__track__anonymity=Anonymity.OPEN)
                .only("pk", "submission_id", "name", "affiliation", "order")
                .order_by("order", "pk"),
                to_attr="visible_authors",
            ),
        )
    )


def search(qs: QuerySet[Submission], text: str) -> QuerySet[Submission]:
    """Keep rows matching every word of ``text`` in the number, title, abstract or a topic.

    Author fields are deliberately not searched: on anonymous tracks a match would reveal them.
    """
    for term in text.split():
        condition: Q = (
            Q(title__icontains=term)
            | Q(abstract__icontains=term)
            | Q(
                Exists(
                    Submission.topics.through.objects.filter(
                        submission=OuterRef("pk"), topic__name__icontains=term
                    )
                )
            )
        )
        number = parse_id(term.lstrip("#"))
        if number is not None:
            condition |= Q(number=number)
        qs = qs.filter(condition)
    return qs


def with_topic(qs: QuerySet[Submission], topic_id: int) -> QuerySet[Submission]:
    return qs.filter(
        Exists(Submission.topics.through.objects.filter(submission=OuterRef("pk"), topic=topic_id))
    )


def sort(qs: QuerySet[Submission], key: str) -> QuerySet[Submission]:
    if key == "number":
        return qs.order_by("number")
    if key == "title":
        return qs.order_by("title", "number")
    return qs.order_by(F("affinity").desc(nulls_last=True), "number")


def bid_progress(user, conference) -> dict[str, int]:
    """``{"bid": n, "total": m}`` over the papers ``user`` may bid on; one query."""
    mine = Bid.objects.filter(submission=OuterRef("pk"), user=user)
    return biddable(user, conference).aggregate(
        total=Count("pk"),
        bid=Count("pk", filter=Q(Exists(mine))),
    )
