"""The badges through the API, with the pages' rules and services.

- Results (``artifacts.view_results``): public as the conference is, anonymous callers
  included for a public conference; only published artifacts; ``?badge=<key>`` filters.
- Badge metadata export (``artifacts.export_badges``: AE chairs and program chairs), JSON or
  CSV, streamed.
- The stamped camera-ready of a paper (``artifacts.download_stamped_paper``: its authors and
  the unconflicted chairs): status, and a new stamp for an unconflicted AE chair (202; 409 when
  nothing can be stamped now). Anyone else gets 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response

from artifacts.badges import exports, queries, services
from artifacts.enums import ArtifactStatus
from artifacts.models import Artifact, StampedPaper
from decisions.enums import BuildStatus
from decisions.proceedings.finals import final_pdf
from mlsys.conferences.api.scoping import MappedPermission
from mlsys.conferences.api.views import CONFERENCE_SLUG, ConferenceScopedGenericViewSet
from mlsys.core import files
from mlsys.core.api.pagination import Pagination
from mlsys.core.errors import Conflict

TAGS = ["artifacts"]
NUMBER = OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Paper.")
BADGE = OpenApiParameter(
    "badge", OpenApiTypes.STR, OpenApiParameter.QUERY, description="Only this badge's key."
)


class AwardedBadgeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    colour = serializers.CharField()


class ArtifactResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    authors = serializers.ListField(child=serializers.CharField())
    badges = AwardedBadgeSerializer(many=True)
    repository = serializers.CharField(help_text="An http(s) address, or empty.")
    version = serializers.CharField(help_text="Commit hash or release tag.")
    doi = serializers.CharField()
    doi_url = serializers.CharField(help_text="https://doi.org/…, or empty.")
    licence = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class PaperResultSerializer(ArtifactResultSerializer):
    abstract = serializers.CharField()


class ResultsPagination(Pagination):
    page_size = 100
    max_page_size = 100


@extend_schema(tags=TAGS, parameters=[CONFERENCE_SLUG])
class ResultsViewSet(ConferenceScopedGenericViewSet):
    """The conference's published artifact results, as on its public results page."""

    # Anonymous callers read a public conference's results; a private one answers 404.
    permission_classes = [MappedPermission]
    permission_map = {"view": "artifacts.view_results"}
    pagination_class = ResultsPagination
    serializer_class = ArtifactResultSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return Artifact.objects.none()
        return queries.published(self.conference)

    @extend_schema(parameters=[BADGE], summary="Published artifacts with their awarded badges")
    def list(self, request, *args, **kwargs):
        artifacts = self.get_queryset()
        key = request.query_params.get("badge", "")
        if key:
            artifacts = queries.filter_by_badge(artifacts, key)
        page = self.paginate_queryset(artifacts)
        rows = [queries.result(a) for a in page]
        return self.get_paginated_response(ArtifactResultSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[NUMBER],
        responses=PaperResultSerializer,
        summary="One paper's public results (404 unless its artifact is published)",
    )
    def retrieve(self, request, *args, **kwargs):
        artifact = get_object_or_404(self.get_queryset(), submission__number=kwargs["number"])
        return Response(PaperResultSerializer(queries.result(artifact, abstract=True)).data)


@extend_schema(tags=TAGS, parameters=[CONFERENCE_SLUG])
class BadgeExportViewSet(ConferenceScopedGenericViewSet):
    """Badge metadata of the published artifacts: paper, badges, DOI, repository, commit."""

    permission_map = {"view": "artifacts.export_badges"}

    @extend_schema(
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
        summary="Badge metadata export as JSON, streamed",
    )
    def list(self, request, *args, **kwargs):
        response = StreamingHttpResponse(
            exports.json_chunks(self.conference), content_type="application/json"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.conference.slug}-badges.json"'
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        summary="Badge metadata export as CSV, streamed",
    )
    def csv(self, request, *args, **kwargs):
        return exports.csv_export(self.conference)


class StampedPaperSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = StampedPaper
        fields = [
            "id",
            "status",
            "status_label",
            "badges",
            "message",
            "source",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if obj.status != BuildStatus.READY or not obj.file:
            return None
        return files.url_for("stamped-paper", obj, download=True)


class StampStatusSerializer(serializers.Serializer):
    published = serializers.BooleanField()
    awarded_badges = serializers.ListField(child=serializers.CharField())
    final_pdf = serializers.IntegerField(allow_null=True, help_text="The current final PDF's id.")
    current = serializers.BooleanField(help_text="The latest stamp is of the current final PDF.")
    latest = StampedPaperSerializer(allow_null=True)


@extend_schema(tags=TAGS, parameters=[CONFERENCE_SLUG, NUMBER])
class StampViewSet(ConferenceScopedGenericViewSet):
    """A paper's camera-ready stamped with its artifact badges."""

    permission_map = {"view": "conferences.view_conference"}
    permission_denied_message = "Only an AE chair not conflicted with the paper stamps it."

    def get_artifact(self) -> Artifact:
        artifact = get_object_or_404(
            Artifact.objects.select_related("submission"),
            conference=self.conference,
            submission__number=self.kwargs["number"],
        )
        artifact.conference = artifact.submission.conference = self.conference
        if not self.viewer.has_perm("artifacts.download_stamped_paper", artifact.submission):
            raise Http404
        return artifact

    def _status(self, artifact: Artifact) -> dict:
        published = artifact.status == ArtifactStatus.PUBLISHED
        latest = queries.latest_stamp(artifact.submission) if published else None
        final = final_pdf(artifact.submission)
        return {
            "published": published,
            "awarded_badges": [rb.badge.label for rb in queries.awarded(artifact)]
            if published
            else [],
            "final_pdf": final.pk if final is not None else None,
            "current": bool(latest and final and latest.source_id == final.pk),
            "latest": latest,
        }

    @extend_schema(responses=StampStatusSerializer, summary="The stamped camera-ready's status")
    def retrieve(self, request, *args, **kwargs):
        return Response(StampStatusSerializer(self._status(self.get_artifact())).data)

    @extend_schema(
        request=None,
        responses={202: StampedPaperSerializer},
        summary="Stamp the current final PDF again (409 when there is nothing to stamp now)",
    )
    def create(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        try:
            stamp = services.request_stamp(artifact, actor=self.viewer)
        except PermissionDenied as exc:
            raise DRFPermissionDenied(self.permission_denied_message) from exc
        except services.StampRefused as exc:
            raise Conflict(str(exc)) from exc
        stamp.refresh_from_db()
        return Response(StampedPaperSerializer(stamp).data, status=status.HTTP_202_ACCEPTED)
