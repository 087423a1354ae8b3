"""Bidding API: a PC member's papers to bid on and their bids (the bidding page's rules:
conflicted papers are never listed and answer 404; bids change only while bidding is open), and
the chairs' list of every bid (without the papers the chair is conflicted with)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from mlsys.core.api.pagination import Pagination
from mlsys.core.numbers import MAX_INT
from reviews.api.base import ReviewingMixin
from reviews.bidding import queries
from reviews.bidding.services import place_bid
from reviews.enums import BidValue
from reviews.models import Bid
from reviews.rules import conflicted_submission_ids
from submissions.api.viewsets import CONFERENCE, NUMBER

TAGS = ["bidding"]


class BiddingPaperSerializer(serializers.Serializer):
    """A paper the PC member may bid on, as the bidding page shows it."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    track = serializers.CharField(source="track.name")
    topics = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField(
        help_text="Names of open-track papers only; empty while the track is anonymous."
    )
    affinity = serializers.FloatField(allow_null=True)
    my_bid = serializers.ChoiceField(choices=BidValue.choices, allow_null=True)

    def get_topics(self, obj) -> list[str]:
        return [t.name for t in obj.topics.all()]

    def get_authors(self, obj) -> list[str]:
        return [a.name for a in obj.visible_authors]


class BidInputSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=BidValue.choices,
        help_text="`conflict` declares a conflict: the paper disappears from your list.",
    )


class BidResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    value = serializers.ChoiceField(choices=BidValue.choices)
    hidden = serializers.BooleanField(
        help_text="True after a `conflict` bid: the paper is no longer listed for you."
    )


class BidSerializer(serializers.Serializer):
    """One bid, as the chairs read it."""

    id = serializers.IntegerField()
    number = serializers.IntegerField(source="submission.number")
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.name")
    email = serializers.EmailField(source="user.email")
    value = serializers.ChoiceField(choices=BidValue.choices)
    updated_at = serializers.DateTimeField()


class BidFilterSerializer(serializers.Serializer):
    number = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)
    user = serializers.IntegerField(required=False, min_value=0, max_value=MAX_INT)
    value = serializers.ChoiceField(choices=BidValue.choices, required=False)


def _query(name: str, kind, description: str, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **kwargs)


@extend_schema(tags=TAGS)
class BiddingViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """The PC member's side (``reviews.view_bidding``; anyone else gets 404)."""

    serializer_class = BiddingPaperSerializer
    pagination_class = Pagination

    permission_map = {"view": "reviews.view_bidding", "update": "reviews.bid"}
    permission_denied_message = "Bidding is closed; your bids can no longer be changed."

    def get_queryset(self):
        if self.is_schema():
            return Bid.objects.none()
        return queries.sort(queries.for_bidding(self.viewer.user, self.conference), "number")

    @extend_schema(
        parameters=[CONFERENCE],
        summary="Papers you may bid on, with your bid (never the ones you are conflicted with)",
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(BiddingPaperSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=BidInputSerializer,
        responses={200: BidResultSerializer},
        summary="Set your bid on a paper (while bidding is open)",
    )
    def update(self, request, *args, **kwargs):
        submission = get_object_or_404(self.get_queryset(), number=kwargs["number"])
        incoming = BidInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        value = incoming.validated_data["value"]
        bid = place_bid(user=self.viewer, submission=submission, value=value)
        data = {
            "number": submission.number,
            "value": bid.value,
            "hidden": value == BidValue.CONFLICT,
        }
        return Response(BidResultSerializer(data).data)


@extend_schema(tags=TAGS)
class BidViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """The chairs' list (``reviews.manage_assignments``; anyone else gets 404). A chair never
    sees the bids on papers they are conflicted with."""

    serializer_class = BidSerializer
    pagination_class = Pagination

    permission_map = {"view": "reviews.manage_assignments"}

    def get_queryset(self):
        if self.is_schema():
            return Bid.objects.none()
        return (
            Bid.objects.filter(submission__conference=self.conference)
            .exclude(submission_id__in=conflicted_submission_ids(self.viewer, self.conference))
            .select_related("submission", "user")
            .only(
                "pk",
                "value",
                "updated_at",
                "submission__number",
                "user__name",
                "user__email",
            )
            .order_by("submission__number", "user__name", "pk")
        )

    @extend_schema(
        parameters=[
            CONFERENCE,
            _query("number", OpenApiTypes.INT, "Only the bids on this paper."),
            _query("user", OpenApiTypes.INT, "Only this PC member's bids (user id)."),
            _query("value", OpenApiTypes.STR, "Only bids of this value.", enum=BidValue.values),
        ],
        summary="Every bid (chairs), by paper; filter by paper, PC member or value",
    )
    def list(self, request, *args, **kwargs):
        params = BidFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = self.get_queryset()
        filters = params.validated_data
        if "number" in filters:
            rows = rows.filter(submission__number=filters["number"])
        if "user" in filters:
            rows = rows.filter(user_id=filters["user"])
        if "value" in filters:
            rows = rows.filter(value=filters["value"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(BidSerializer(page, many=True).data)
