"""Author response API: read, save and submit the response (the same services as the
response page)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reviews.api.base import TAGS, ReviewingMixin
from reviews.enums import ReviewState
from reviews.models import AuthorResponse
from reviews.response import services as response_services
from reviews.response.queries import response_of
from submissions.api.viewsets import CONFERENCE, NUMBER


class ResponseSerializer(serializers.ModelSerializer):
    per_review = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="{review id: text}; ids from author-reviews.",
    )
    version = serializers.IntegerField(
        min_value=0, help_text="The version you read (0 before the first save)."
    )

    class Meta:
        model = AuthorResponse
        fields = ["text", "per_review", "state", "version", "submitted_at"]
        read_only_fields = ["state", "submitted_at"]
        extra_kwargs = {"text": {"required": False, "allow_blank": True}}


# --- Author response -----------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class ResponseViewSet(ReviewingMixin, viewsets.GenericViewSet):
    """Authors read and write their response (reviews.response.services); the paper's
    non-conflicted chairs and reviewers read it once submitted."""

    serializer_class = ResponseSerializer

    def get_queryset(self):
        # One response per paper, addressed by the paper's number; DRF's generic machinery
        # (OPTIONS metadata) asks for a queryset and an object like on any other viewset.
        if self.is_schema():
            return AuthorResponse.objects.none()
        return AuthorResponse.objects.filter(submission=self.get_paper())

    def get_object(self):
        _paper, response = self._readable()
        if response is None:
            raise Http404
        return response

    def _readable(self):
        paper = self.get_paper()
        response = response_of(paper)
        if self.viewer.has_perm("reviews.act_as_paper_author", paper):
            return paper, response
        submitted = response is not None and response.state == ReviewState.SUBMITTED
        if submitted and self.viewer.has_perm("reviews.read_submitted_response", paper):
            return paper, response
        raise Http404

    def _data(self, response) -> dict:
        return response_services.current_state(response) | {
            "submitted_at": response.submitted_at if response else None
        }

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        summary="The response (authors: also drafts, version 0 before the first save)",
    )
    def retrieve(self, request, *args, **kwargs):
        _paper, response = self._readable()
        return Response(ResponseSerializer(self._data(response)).data)

    def _write(self, write):
        paper, _response = self._readable()
        if not self.viewer.has_perm("reviews.act_as_paper_author", paper):
            raise PermissionDenied("Only the paper's authors write its response.")
        incoming = ResponseSerializer(data=self.request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        response = write(
            paper,
            actor=self.viewer,
            text=data.get("text", ""),
            per_review=data["per_review"],
            version=data["version"],
        )
        return Response(ResponseSerializer(self._data(response)).data)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=ResponseSerializer,
        summary="Save a draft (during the response phase; 409 if stale)",
    )
    def update(self, request, *args, **kwargs):
        return self._write(response_services.save_draft)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=ResponseSerializer,
        summary="Submit (or re-submit) the response; the reviewers are emailed",
    )
    @action(detail=False, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return self._write(response_services.submit)
