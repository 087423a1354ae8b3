"""Meta-review API: the paper's lead writes the meta-review; authors read its summary after
decisions are released (the same services as the meta-review page)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reviews.api import permissions as perms
from reviews.api.base import TAGS, ReviewingMixin
from reviews.discussion.naming import Naming
from reviews.enums import Recommendation, ReviewState
from reviews.meta import services as meta_services
from reviews.models import MetaReview
from submissions.api.viewsets import CONFERENCE, NUMBER


class MetaReviewSerializer(serializers.Serializer):
    lead = serializers.CharField(read_only=True, help_text="The lead's name or alias.")
    summary = serializers.CharField(allow_blank=True, required=False, default="")
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, allow_blank=True, required=False, default=""
    )
    confidence = serializers.IntegerField(allow_null=True, required=False, default=None)
    state = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    editable = serializers.BooleanField(read_only=True)


class MetaSummarySerializer(serializers.Serializer):
    """What authors read after decisions are released."""

    summary = serializers.CharField()


# --- Meta-review ---------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class MetaReviewViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Lead and chairs read and write (reviews.meta.services); the paper's reviewers read it
    once submitted; authors read its summary after decisions are released."""

    serializer_class = MetaReviewSerializer

    def get_queryset(self):
        # See ResponseViewSet.get_queryset: the paper's one meta-review.
        if self.is_schema():
            return MetaReview.objects.none()
        return MetaReview.objects.filter(submission=self.get_paper())

    def get_object(self):
        meta, _access = self._meta()
        return meta

    def _meta(self) -> tuple[MetaReview, str]:
        paper = self.get_paper()
        meta = MetaReview.objects.filter(submission=paper).select_related("lead").first()
        access = perms.meta_review_access(self.viewer, meta)
        if not access:
            raise Http404
        meta.submission = paper
        return meta, access

    def _data(self, meta: MetaReview) -> dict:
        naming = Naming.for_viewer(self.viewer, meta.submission)
        return {
            "lead": naming.name(meta.lead),
            "summary": meta.summary,
            "recommendation": meta.recommendation,
            "confidence": meta.confidence,
            "state": meta.state,
            "submitted_at": meta.submitted_at,
            "editable": meta_services.can_edit(self.viewer, meta),
        }

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={200: MetaReviewSerializer},
        summary="The meta-review (authors get only {summary}, after the release)",
    )
    def retrieve(self, request, *args, **kwargs):
        meta, access = self._meta()
        if access == "summary":
            return Response(MetaSummarySerializer({"summary": meta.summary}).data)
        return Response(MetaReviewSerializer(self._data(meta)).data)

    def _write(self, *, submit: bool, partial: bool) -> Response:
        meta, access = self._meta()
        if access != "full":
            raise PermissionDenied("You cannot write this meta-review.")
        incoming = MetaReviewSerializer(data=self.request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        meta = meta_services.write_meta_review(
            meta,
            actor=self.viewer,
            summary=data.get("summary", meta.summary),
            recommendation=data.get("recommendation", meta.recommendation),
            confidence=data.get("confidence", meta.confidence),
            submit=submit or meta.state == ReviewState.SUBMITTED,
        )
        meta.submission = self.get_paper()
        return Response(MetaReviewSerializer(self._data(meta)).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=MetaReviewSerializer,
        responses={200: MetaReviewSerializer},
        summary="Save the meta-review (a draft; an update once submitted)",
    )
    def update(self, request, *args, **kwargs):
        return self._write(submit=False, partial=False)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=MetaReviewSerializer,
        responses={200: MetaReviewSerializer},
        summary="Change parts of the meta-review",
    )
    def partial_update(self, request, *args, **kwargs):
        return self._write(submit=False, partial=True)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=MetaReviewSerializer,
        responses={200: MetaReviewSerializer},
        summary="Submit the meta-review (summary, recommendation and confidence required)",
    )
    @action(detail=False, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._write(submit=True, partial=True)
