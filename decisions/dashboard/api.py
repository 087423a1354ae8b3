"""The decisions dashboard through the API (chairs only; anyone else gets 404): the rows as JSON
(paged, the page's filters and sort as query parameters, conflicted rows redacted exactly as on
the page), and decisions: set one, set many (done + skipped with reasons), clear a pending one.

The writes call decisions.services, as the page does. A paper the chair is conflicted with
answers 404 to a single decision or clear, and is skipped with the reason in bulk.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from decisions import services as decision_services
from decisions.dashboard import queries
from decisions.dashboard.stats import PaperRow
from decisions.dashboard.table import Table
from decisions.models import Decision, Outcome
from mlsys.conferences.api.views import CONFERENCE_SLUG, ConferenceScopedGenericViewSet
from mlsys.core.api.pagination import Pagination
from mlsys.core.numbers import MAX_INT

MANAGE = "decisions.manage_decisions"
TAGS = ["decisions"]
NUMBER = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Submission number."
)
FILTERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=text)
    for name, text in (
        ("q", "A paper number or title words."),
        ("track", "Track id."),
        ("topic", "Topic id."),
        ("tag", "Tag id."),
        ("gap", "Only papers whose |ML-side mean − Systems-side mean| is at least this."),
        ("spread", "Only papers whose primary-score spread (max − min) is at least this."),
        ("missing", "`on`: only papers with assigned reviews not submitted."),
        ("decision", "`undecided`, `pending`, `released` or `o<outcome id>`."),
        ("sort", "A column key (`calibrated`, `gap`, `overall_merit__mean`…); `-key` descending."),
    )
]


class DashboardPagination(Pagination):
    page_size = 100


def row_data(row: PaperRow, names: queries.Names) -> dict:
    """One row as JSON; a conflicted row has only number, title, track and topics."""
    data: dict = {
        "number": row.number,
        "title": row.title,
        "track": names.tracks.get(row.track_id, ""),
        "topics": [names.topics[t] for t in row.topic_ids if t in names.topics],
        "conflicted": row.conflicted,
    }
    if row.conflicted:
        return data
    outcome = names.outcomes.get(row.outcome_id) if row.outcome_id else None
    data.update(
        status=row.status,
        reviews={
            side: {"done": row.done[side], "assigned": row.assigned[side]} for side in row.done
        },
        scores={
            key: {
                "mean": s.mean,
                "median": s.median,
                "min": s.low,
                "max": s.high,
                "spread": s.spread,
                "count": s.count,
            }
            for key, s in row.scores.items()
        },
        weighted=row.weighted,
        ml_mean=row.ml_mean,
        systems_mean=row.systems_mean,
        gap=row.gap,
        calibrated=row.calibrated,
        recommendation=row.recommendation,
        tags=sorted(names.tags[t] for t in row.tag_ids if t in names.tags),
        comments=row.comments,
        last_comment=row.last_comment.isoformat() if row.last_comment else None,
        decision=(
            {
                "outcome": outcome.pk,
                "label": outcome.label,
                "kind": outcome.kind,
                "status": row.decision_status,
                "reason": row.decision_reason,
            }
            if outcome is not None
            else None
        ),
    )
    return data


class RowSerializer(serializers.Serializer):
    """Documentation of a row (see :func:`row_data`)."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    track = serializers.CharField()
    topics = serializers.ListField(child=serializers.CharField())
    conflicted = serializers.BooleanField()
    status = serializers.CharField(required=False)
    reviews = serializers.DictField(required=False)
    scores = serializers.DictField(required=False)
    weighted = serializers.FloatField(required=False, allow_null=True)
    ml_mean = serializers.FloatField(required=False, allow_null=True)
    systems_mean = serializers.FloatField(required=False, allow_null=True)
    gap = serializers.FloatField(required=False, allow_null=True)
    calibrated = serializers.FloatField(required=False, allow_null=True)
    recommendation = serializers.CharField(required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    comments = serializers.IntegerField(required=False)
    last_comment = serializers.DateTimeField(required=False, allow_null=True)
    decision = serializers.DictField(required=False, allow_null=True)


class _Number(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_INT, **kwargs)


class DecideSerializer(serializers.Serializer):
    number = _Number()
    outcome = _Number(help_text="An active outcome's id (see the dashboard's rows).")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class BulkSerializer(serializers.Serializer):
    numbers = serializers.ListField(child=_Number(), min_length=1, max_length=20000)
    outcome = _Number()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class DecisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    outcome = serializers.IntegerField()
    label = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.ListField(child=serializers.DictField())


class DashboardViewSet(ConferenceScopedGenericViewSet):
    """The dashboard's rows for the conference's chairs (404 for anyone else)."""

    permission_map = {"view": MANAGE, "write": MANAGE}
    pagination_class = DashboardPagination
    serializer_class = RowSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Decision.objects.none()  # rows are computed, not listed from a table

    @extend_schema(
        parameters=[CONFERENCE_SLUG, *FILTERS],
        responses={200: RowSerializer(many=True)},
        summary="The decisions dashboard's rows (chairs)",
        tags=TAGS,
    )
    def list(self, request, *args, **kwargs):
        table = Table(self.conference, self.viewer, request.query_params)
        if table.form.errors:
            raise ValidationError(table.form.errors)
        page = self.paginate_queryset(table.rows())
        return self.get_paginated_response([row_data(row, table.names) for row in page])


class DecisionViewSet(ConferenceScopedGenericViewSet):
    """Set, set in bulk and clear pending decisions (chairs; 404 for anyone else)."""

    permission_map = {"view": MANAGE, "write": MANAGE}
    permission_denied_message = "Only the program chairs decide papers."
    serializer_class = DecideSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return Decision.objects.none()

    def _paper(self, number):
        paper = get_object_or_404(
            self.conference.submissions.select_related("decision"), number=number
        )
        if not self.viewer.has_perm("decisions.decide", paper):
            raise Http404  # conflicted: nothing about the paper's decision exists for them
        return paper

    def _outcome(self, pk) -> Outcome:
        outcome = Outcome.objects.filter(conference=self.conference, pk=pk, active=True).first()
        if outcome is None:
            raise ValidationError({"outcome": ["Choose one of this conference's active outcomes."]})
        return outcome

    @extend_schema(
        parameters=[CONFERENCE_SLUG],
        request=DecideSerializer,
        responses={200: DecisionSerializer},
        summary="Set or change one paper's pending decision",
        tags=TAGS,
    )
    def create(self, request, *args, **kwargs):
        incoming = DecideSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        paper = self._paper(data["number"])
        outcome = self._outcome(data["outcome"])
        decision = decision_services.record_decision(
            submission=paper, outcome=outcome, actor=self.viewer, reason=data["reason"]
        )
        return Response(
            {
                "number": paper.number,
                "outcome": outcome.pk,
                "label": outcome.label,
                "status": decision.status,
                "reason": decision.reason,
            }
        )

    @extend_schema(
        parameters=[CONFERENCE_SLUG],
        request=BulkSerializer,
        responses={200: BulkResultSerializer},
        summary="Set one outcome on many papers (done, and skipped with reasons)",
        tags=TAGS,
    )
    def bulk(self, request, *args, **kwargs):
        incoming = BulkSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        outcome = self._outcome(data["outcome"])
        wanted = list(dict.fromkeys(data["numbers"]))
        papers = list(
            self.conference.submissions.filter(number__in=wanted)
            .select_related("decision")
            .order_by("number")
        )
        found = {p.number for p in papers}
        result = decision_services.record_decisions(
            submissions=papers, outcome=outcome, actor=self.viewer, reason=data["reason"]
        )
        skipped = [{"number": p.number, "reason": why} for p, why in result.skipped]
        skipped += [
            {"number": n, "reason": "No paper has this number."} for n in wanted if n not in found
        ]
        return Response({"done": [p.number for p in result.done], "skipped": skipped})

    @extend_schema(
        parameters=[CONFERENCE_SLUG, NUMBER],
        request=None,
        responses={204: None},
        summary="Clear a paper's pending decision (a released one stays)",
        tags=TAGS,
    )
    def destroy(self, request, *args, **kwargs):
        paper = self._paper(kwargs["number"])
        decision = decision_services.decision_of(paper)
        if decision is None:
            raise Http404
        if decision.is_released:
            raise ValidationError(
                {"non_field_errors": ["Its decision is already released; it cannot be cleared."]}
            )
        decision_services.clear_decision(submission=paper, actor=self.viewer)
        return Response(status=status.HTTP_204_NO_CONTENT)
