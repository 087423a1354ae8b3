"""Proceedings API for chairs: the JSON and CSV exports (streamed), and the booklet and ZIP
builds (start, status, download). Same rule and services as the page
(``decisions.export_proceedings``): anyone else gets 404; an anonymous caller 401/403.
"""

from django.http import FileResponse, Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from decisions import enums
from decisions.models import ProceedingsBuild
from decisions.proceedings import exports, services
from mlsys.conferences.api.views import CONFERENCE_SLUG, ConferenceScopedGenericViewSet
from mlsys.core import files
from mlsys.core.errors import Conflict

TAGS = ["proceedings"]
PERMISSIONS = {
    "view": "decisions.export_proceedings",
    "write": "decisions.export_proceedings",
}
BUILD_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Build id.")


class BuildSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    started_by = serializers.CharField(source="started_by.name", read_only=True, default=None)
    download_url = serializers.SerializerMethodField(
        help_text="The API download (when ready), also served at /files/proceedings/<id>/."
    )

    class Meta:
        model = ProceedingsBuild
        fields = [
            "id",
            "kind",
            "status",
            "status_label",
            "papers",
            "pages",
            "size",
            "missing",
            "seconds",
            "message",
            "started_by",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if obj.status != enums.BuildStatus.READY or not obj.file:
            return None
        return files.url_for("proceedings", obj, download=True)


class StartBuildSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=enums.ProceedingsKind.choices)


def _export_headers(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(tags=TAGS, parameters=[CONFERENCE_SLUG])
class ProceedingsViewSet(ConferenceScopedGenericViewSet):
    """The accepted program (released accepts only) in the proceedings' order."""

    permission_map = PERMISSIONS
    conference_schedule = False

    @extend_schema(
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
        summary="The proceedings as JSON (papers, missing_pdf, badges_registered)",
    )
    def list(self, request, *args, **kwargs):
        response = StreamingHttpResponse(
            exports.json_chunks(self.conference), content_type="application/json"
        )
        return _export_headers(response, f"{self.conference.slug}-proceedings.json")

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.STR},
        summary="The proceedings as CSV",
    )
    @action(detail=False, methods=["get"])
    def csv(self, request, *args, **kwargs):
        response = StreamingHttpResponse(
            exports.csv_lines(self.conference), content_type="text/csv; charset=utf-8"
        )
        return _export_headers(response, f"{self.conference.slug}-proceedings.csv")


@extend_schema(tags=TAGS, parameters=[CONFERENCE_SLUG])
class ProceedingsBuildViewSet(ConferenceScopedGenericViewSet):
    """Booklet and ZIP builds: start one (202), follow its status, download it when ready."""

    permission_map = PERMISSIONS
    conference_schedule = False
    serializer_class = BuildSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return ProceedingsBuild.objects.none()
        return ProceedingsBuild.objects.filter(conference=self.conference).select_related(
            "started_by", "conference"
        )

    @extend_schema(summary="The conference's builds, newest first (the last 50)")
    def list(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_queryset()[:50], many=True).data)

    @extend_schema(parameters=[BUILD_ID], summary="One build's status")
    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=StartBuildSerializer,
        responses={202: BuildSerializer},
        summary="Start building the booklet or the ZIP (409 while one of that kind is building)",
    )
    def create(self, request, *args, **kwargs):
        data = StartBuildSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            build = services.start_build(
                self.conference, kind=data.validated_data["kind"], actor=self.viewer
            )
        except services.BuildRefused as exc:
            raise Conflict(str(exc)) from exc
        build.refresh_from_db()
        return Response(self.get_serializer(build).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[BUILD_ID],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download a ready build (404 until it is ready)",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        build = self.get_object()
        if build.status != enums.BuildStatus.READY or not build.file:
            raise Http404
        try:
            handle = build.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=build.download_name)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
