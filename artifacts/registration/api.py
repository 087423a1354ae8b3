"""The authors' artifact API under /api/v1/conferences/<slug>/artifacts/<number>/: read,
register (POST), change (PATCH with ``revision``), submit, withdraw, the AE chair's return,
the appendix upload and the smoke checks — the same services and messages as the pages.

A viewer who may not see the artifact (artifacts.view_artifact; before registration: not an
author of the accepted paper at a conference running AE) gets 404; one who sees it but may not
take the action gets 403 from the service. The access credentials are in the answer only
when asked for (``?include=access_secret``) by a holder of artifacts.view_access_secret, and
that read is audited like the page's "Reveal".
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from artifacts.models import Artifact
from artifacts.registration import appendix, queries, services
from artifacts.registration.rules import ae_running
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from mlsys.core.numbers import MAX_INT
from reviews.api import permissions as perms
from submissions.api.serializers import CheckedVersionSerializer
from submissions.api.viewsets import CONFERENCE, NUMBER
from submissions.enums import Status
from submissions.rules import is_author

TAGS = ["artifacts"]
INPUT_KEYS = (*services.FIELDS, "access_secret", "clear_access_secret")


class ExperimentSerializer(serializers.Serializer):
    name = serializers.CharField()
    human_minutes = serializers.IntegerField(max_value=MAX_INT)
    compute_hours = serializers.FloatField()


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["dataset", "model"])
    size_gb = serializers.FloatField()
    url = serializers.CharField(allow_blank=True)


class RegistrationInputSerializer(serializers.Serializer):
    """Every key is optional on PATCH; what is sent is validated as on the page."""

    revision = serializers.IntegerField(
        max_value=MAX_INT, required=False, help_text="Required on PATCH."
    )
    badges = serializers.ListField(child=serializers.CharField(), required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    repository_url = serializers.CharField(required=False, allow_blank=True)
    version = serializers.CharField(required=False, allow_blank=True)
    doi = serializers.CharField(required=False, allow_blank=True)
    licence = serializers.CharField(required=False, allow_blank=True)
    packaging = serializers.CharField(required=False, allow_blank=True)
    packaging_notes = serializers.CharField(required=False, allow_blank=True)
    gpu_model = serializers.CharField(required=False, allow_blank=True)
    gpu_count = serializers.IntegerField(max_value=MAX_INT, required=False)
    cpu_cores = serializers.IntegerField(max_value=MAX_INT, required=False, allow_null=True)
    ram_gb = serializers.IntegerField(max_value=MAX_INT, required=False, allow_null=True)
    disk_gb = serializers.IntegerField(max_value=MAX_INT, required=False, allow_null=True)
    special_hardware = serializers.ListField(child=serializers.CharField(), required=False)
    experiments = ExperimentSerializer(many=True, required=False)
    datasets = DatasetSerializer(many=True, required=False)
    access_instructions = serializers.CharField(required=False, allow_blank=True)
    access_secret = serializers.CharField(required=False, allow_blank=True, write_only=True)
    clear_access_secret = serializers.BooleanField(required=False)
    contact = serializers.IntegerField(max_value=MAX_INT, required=False, allow_null=True)


class SmokeCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    repository_url = serializers.CharField()
    version = serializers.CharField()
    doi = serializers.CharField()
    results = serializers.ListField(child=serializers.DictField())
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class AppendixVersionSerializer(CheckedVersionSerializer):
    file_kind = "artifact-appendix"


class ArtifactSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="submission.number")
    status = serializers.CharField()
    revision = serializers.IntegerField()
    badges = serializers.SerializerMethodField()
    summary = serializers.CharField()
    repository_url = serializers.CharField()
    version = serializers.CharField()
    doi = serializers.CharField()
    licence = serializers.CharField()
    packaging = serializers.CharField()
    packaging_notes = serializers.CharField()
    gpu_model = serializers.CharField()
    gpu_count = serializers.IntegerField()
    cpu_cores = serializers.IntegerField(allow_null=True)
    ram_gb = serializers.IntegerField(allow_null=True)
    disk_gb = serializers.IntegerField(allow_null=True)
    special_hardware = serializers.ListField(child=serializers.CharField())
    experiments = ExperimentSerializer(many=True)
    datasets = DatasetSerializer(many=True)
    access_instructions = serializers.CharField()
    has_access_secret = serializers.SerializerMethodField()
    contact = serializers.IntegerField(source="contact_id", allow_null=True)
    appendix = AppendixVersionSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)

    def get_badges(self, artifact) -> list[str]:
        return [b.key for b in queries.requested_badges(artifact)]

    def get_has_access_secret(self, artifact) -> bool:
        return bool(artifact.access_secret)


def _input(data) -> tuple[dict, list | None]:
    values = {key: data[key] for key in INPUT_KEYS if key in data}
    badges = data.get("badges") if "badges" in data else None
    if badges is not None and not isinstance(badges, list):
        badges = data.getlist("badges") if hasattr(data, "getlist") else [badges]
    return values, badges


@extend_schema(tags=TAGS, parameters=[CONFERENCE, NUMBER])
class ArtifactRegistrationViewSet(ConferenceScopedGenericViewSet):
    """The artifact of one accepted paper, addressed by the paper's number."""

    permission_map = {
        "view": "conferences.view_conference",
        # Who may write is the artifact's business: checked per object by the services.
        "write": "conferences.view_conference",
    }
    pagination_class = None
    filter_backends: list = []
    serializer_class = ArtifactSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return Artifact.objects.none()

    def get_artifact(self) -> Artifact:
        artifact = (
            Artifact.objects.select_related("submission", "contact", "appendix")
            .filter(conference=self.conference, submission__number=self.kwargs["number"])
            .first()
        )
        if artifact is None:
            raise Http404
        artifact.conference = artifact.submission.conference = self.conference
        perms.require(self.viewer, "artifacts.view_artifact", artifact)
        return artifact

    def _answer(self, artifact, *, code=status.HTTP_200_OK, secret=False) -> Response:
        data = ArtifactSerializer(artifact).data
        if secret:
            data["access_secret"] = services.reveal_secret(artifact=artifact, actor=self.viewer)
        return Response(data, status=code)

    @extend_schema(
        summary="The artifact's registration",
        parameters=[
            OpenApiParameter(
                "include",
                str,
                description="access_secret: add the credentials (authors, assigned evaluators, "
                "AE chairs; audited)",
            )
        ],
    )
    def retrieve(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        wants = request.query_params.get("include") == "access_secret"
        if wants and not self.viewer.has_perm("artifacts.view_access_secret", artifact):
            raise Http404
        return self._answer(artifact, secret=wants)

    @extend_schema(
        summary="Register the paper's artifact (its authors)",
        request=RegistrationInputSerializer,
        responses={201: ArtifactSerializer},
    )
    def create(self, request, *args, **kwargs):
        paper = perms.paper(self.conference, self.kwargs["number"])
        paper.conference = self.conference
        if not (
            is_author(self.viewer, paper)
            and paper.status == Status.ACCEPTED
            and ae_running(self.conference)
        ):
            raise Http404
        values, badges = _input(request.data)
        artifact = services.create_artifact(
            submission=paper, actor=self.viewer, data=values, badges=badges or []
        )
        return self._answer(artifact, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the registration (send the revision you read; 409 if it moved on)",
        request=RegistrationInputSerializer,
        responses={200: ArtifactSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        values, badges = _input(request.data)
        try:
            revision = int(request.data.get("revision"))
        except (TypeError, ValueError):
            raise serializers.ValidationError(
                {"revision": ["Send the revision of the registration you are changing."]}
            ) from None
        services.update_artifact(
            artifact=artifact, actor=self.viewer, data=values, badges=badges, revision=revision
        )
        return self._answer(self.get_artifact())

    @extend_schema(summary="Submit the artifact for evaluation", request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        artifact = services.submit_artifact(artifact=self.get_artifact(), actor=self.viewer)
        return self._answer(artifact)

    @extend_schema(summary="Withdraw the artifact (authors, AE chair)", request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        artifact = services.withdraw_artifact(artifact=self.get_artifact(), actor=self.viewer)
        return self._answer(artifact)

    @extend_schema(
        summary="Return a submitted artifact to its authors (AE chair)",
        request=inline_serializer("ReturnNote", {"note": serializers.CharField()}),
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_authors(self, request, *args, **kwargs):
        artifact = services.return_artifact(
            artifact=self.get_artifact(), actor=self.viewer, note=str(request.data.get("note", ""))
        )
        return self._answer(artifact)

    @extend_schema(
        summary="Upload an artifact appendix PDF (checked: valid PDF, page limit)",
        request={
            "multipart/form-data": inline_serializer(
                "AppendixUpload", {"file": serializers.FileField()}
            )
        },
        responses={201: AppendixVersionSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def appendix(self, request, *args, **kwargs):
        artifact = self.get_artifact()  # 404 before anything about the body
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": ["Send the PDF as “file”."]})
        stored = appendix.upload_appendix(artifact=artifact, actor=self.viewer, upload=upload)
        return Response(AppendixVersionSerializer(stored).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The smoke checks (GET, newest first) or run them again (POST)",
        request=None,
        responses={200: SmokeCheckSerializer(many=True), 201: SmokeCheckSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="smoke-checks")
    def smoke_checks(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        if request.method == "POST":
            check = services.request_smoke_check(artifact=artifact, actor=self.viewer)
            return Response(SmokeCheckSerializer(check).data, status=status.HTTP_201_CREATED)
        return Response(SmokeCheckSerializer(queries.smoke_checks(artifact, 20), many=True).data)
