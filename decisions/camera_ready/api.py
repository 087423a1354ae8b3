"""Camera-ready API: a paper's camera-ready status, the authors' upload and the shepherd's
verdict — the same queries and services as the camera-ready page.

A viewer who may not see the paper's camera-ready (decisions.view_camera_ready) gets 404; one
who sees it but may not take the action gets 403 from the service.
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from decisions.camera_ready import queries, services
from decisions.models import CameraReady
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from reviews.api import permissions as perms
from submissions.api.serializers import CheckedVersionSerializer
from submissions.api.viewsets import CONFERENCE, NUMBER

TAGS = ["camera-ready"]


class CameraReadyVersionSerializer(CheckedVersionSerializer):
    file_kind = "camera-ready"


class FinalAuthorSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    affiliation = serializers.CharField(allow_blank=True)


class CameraReadyStatusSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    complete = serializers.BooleanField()
    final_pdf = serializers.BooleanField()
    authors_confirmed = serializers.BooleanField()
    licence_version = serializers.IntegerField(allow_null=True)
    shepherd_status = serializers.ChoiceField(choices=services.S.choices)
    shepherd_comment = serializers.CharField(allow_blank=True)
    missing = serializers.ListField(child=serializers.CharField())
    final_version = CameraReadyVersionSerializer(allow_null=True)
    versions = CameraReadyVersionSerializer(many=True)
    authors = FinalAuthorSerializer(many=True)


class ShepherdVerdictSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CameraReadyUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


@extend_schema(tags=TAGS, parameters=[CONFERENCE, NUMBER])
class CameraReadyViewSet(ConferenceScopedGenericViewSet):
    """One accepted paper's camera-ready, addressed by the paper's number."""

    permission_map = {
        "view": "conferences.view_conference",
        # Who may write is the paper's business (authors, shepherd): checked per object.
        "write": "conferences.view_conference",
    }
    conference_schedule = True
    pagination_class = None
    filter_backends: list = []
    serializer_class = CameraReadyStatusSerializer
    lookup_field = "number"

    def get_queryset(self):
        return CameraReady.objects.none()

    def get_paper(self):
        paper = perms.paper(self.conference, self.kwargs["number"])
        perms.require(self.viewer, "decisions.view_camera_ready", paper)
        return paper

    def _status(self, paper) -> dict:
        row = queries.camera_ready_of(paper)
        final = queries.final_pdf(paper)
        check = queries.checklist(row, has_final=final is not None)
        return {
            "number": paper.number,
            "complete": check.complete,
            "final_pdf": check.pdf,
            "authors_confirmed": check.authors,
            "licence_version": row.licence.version if row and row.licence_id else None,
            "shepherd_status": row.status if row else services.S.NONE,
            "shepherd_comment": row.shepherd_comment if row else "",
            "missing": check.missing,
            "final_version": final,
            "versions": queries.camera_ready_versions(paper),
            "authors": queries.final_authors(paper, row),
        }

    @extend_schema(summary="The camera-ready's checklist, versions and final author list")
    def retrieve(self, request, *args, **kwargs):
        return Response(CameraReadyStatusSerializer(self._status(self.get_paper())).data)

    @extend_schema(
        summary="Upload a camera-ready PDF (authors while the phase is open; chairs)",
        request={"multipart/form-data": CameraReadyUploadSerializer},
        responses={201: CameraReadyVersionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request, *args, **kwargs):
        paper = self.get_paper()
        data = CameraReadyUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = services.upload_camera_ready(
            submission=paper, actor=self.viewer, upload=data.validated_data["file"]
        )
        return Response(CameraReadyVersionSerializer(stored).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The shepherd approves the final version or requests changes",
        request=ShepherdVerdictSerializer,
        responses={
            200: inline_serializer("ShepherdVerdict", {"shepherd_status": serializers.CharField()})
        },
    )
    @action(detail=True, methods=["post"], url_path="shepherd-review")
    def shepherd_review(self, request, *args, **kwargs):
        paper = self.get_paper()
        data = ShepherdVerdictSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.review_as_shepherd(
            submission=paper,
            actor=self.viewer,
            approve=data.validated_data["approve"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response({"shepherd_status": row.status})
