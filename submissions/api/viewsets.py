"""Submission API: authors manage their own submissions, chairs read all of them.

Every write calls :mod:`submissions.services` (the same functions the pages use); errors map to
responses in :mod:`mlsys.core.api.exceptions` (409 with the current state for a stale
``version``). Anyone else (PC members, outsiders) sees an empty list and 404s.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from mlsys.conferences.api.scoping import ConferenceScopedAPIMixin
from submissions import enums, pipeline, queries, services
from submissions.api import serializers as s
from submissions.filters import SubmissionFilter
from submissions.models import Submission, SubmissionFile

CONFERENCE = OpenApiParameter(
    "conference", OpenApiTypes.STR, OpenApiParameter.PATH, description="Conference slug."
)
NUMBER = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Submission number."
)


class ConferenceScopedMixin(ConferenceScopedAPIMixin):
    """The viewer and the conference from the URL (404 if the user may not see it)."""

    @property
    def is_chair(self) -> bool:
        return self.viewer.has_perm("submissions.manage_submissions", self.conference)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "conference"):
            context.update(
                conference=self.conference,
                is_chair=self.is_chair,
                tags_hidden=(
                    queries.hidden_tag_ids(self.viewer, self.conference)
                    if self.is_chair
                    else frozenset()
                ),
            )
        return context


def _submissions_for(view) -> "queries.QuerySet[Submission]":
    if getattr(view, "swagger_fake_view", False):
        return Submission.objects.none()
    if view.is_chair:
        return queries.for_chairs(view.conference)
    return queries.for_author(view.request.user, view.conference)


@extend_schema_view(
    list=extend_schema(
        parameters=[CONFERENCE],
        summary="List submissions: your own, or all of them for chairs",
    ),
    retrieve=extend_schema(parameters=[CONFERENCE, NUMBER], summary="One submission"),
    create=extend_schema(
        parameters=[CONFERENCE],
        request=s.SubmissionInputSerializer,
        responses={201: s.SubmissionSerializer},
        summary="Register a new draft submission (you become an author and contact)",
    ),
    update=extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.SubmissionInputSerializer,
        responses={200: s.SubmissionSerializer},
        summary="Replace what the authors control (send the version you read)",
    ),
    partial_update=extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.SubmissionInputSerializer,
        responses={200: s.SubmissionSerializer},
        summary="Change parts of a submission (send the version you read; 409 if stale)",
    ),
)
class SubmissionViewSet(
    ConferenceScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.SubmissionSerializer
    filterset_class = SubmissionFilter
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return _submissions_for(self)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _read(self, submission: Submission, code: int = status.HTTP_200_OK) -> Response:
        fresh = _submissions_for(self).get(pk=submission.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _input(self, *, instance=None, partial=False) -> dict:
        serializer = s.SubmissionInputSerializer(
            instance=instance,
            data=self.request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "authors" in data:
            data["authors"] = [services.AuthorInput(**row) for row in data["authors"]]
        if "conflicts" in data:
            data["conflicts"] = [services.ConflictInput(**row) for row in data["conflicts"]]
        return data

    def create(self, request, *args, **kwargs):
        data = self._input()
        data.pop("version", None)
        submission = services.create_submission(
            conference=self.conference, actor=self.viewer, **data
        )
        return self._read(submission, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        submission = self.get_object()
        data = self._input(instance=submission, partial=partial)
        updated = services.update_submission(submission=submission, actor=self.viewer, **data)
        return self._read(updated)

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request=s.WithdrawSerializer,
        responses={200: s.SubmissionSerializer},
        summary="Withdraw a submission (authors at any time before a decision)",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        submission = self.get_object()
        serializer = s.WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_status(
            submission=submission,
            actor=self.viewer,
            to=enums.Status.WITHDRAWN,
            reason=serializer.validated_data["reason"],
        )
        return self._read(submission)


class StorageUnavailable(exceptions.APIException):
    """The upload could not be stored (disk full, I/O error); nothing was kept."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "storage_unavailable"
    default_detail = "The server could not store the file; please try again later."


@extend_schema_view(
    list=extend_schema(parameters=[CONFERENCE, NUMBER], summary="Every uploaded version"),
    retrieve=extend_schema(
        parameters=[CONFERENCE, NUMBER], summary="One version with its check report"
    ),
)
class SubmissionFileViewSet(
    ConferenceScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.SubmissionFileSerializer
    pagination_class = None
    filter_backends: list = []

    def get_submission(self) -> Submission:
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        submissions = queries.visible_submissions(
            self.request.user, self.conference, as_chair=self.is_chair
        )
        return get_object_or_404(submissions, number=self.kwargs["number"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SubmissionFile.objects.none()
        return (
            SubmissionFile.objects.filter(submission=self.get_submission())
            .select_related("submission")
            .defer("text")
            .order_by("kind", "-created_at", "-pk")
        )

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        request={"multipart/form-data": s.FileUploadSerializer},
        responses={201: s.SubmissionFileSerializer},
        summary="Upload a new version of the paper or supplement (checked in the background)",
    )
    def create(self, request, *args, **kwargs):
        submission = self.get_submission()
        serializer = s.FileUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = (
            services.upload_paper
            if serializer.validated_data["kind"] == enums.FileKind.PAPER
            else services.upload_supplement
        )
        try:
            stored = upload(
                submission=submission, actor=self.viewer, upload=serializer.validated_data["file"]
            )
        except pipeline.StorageFailed as error:
            raise StorageUnavailable(error.messages[0]) from error
        stored.refresh_from_db()
        return Response(self.get_serializer(stored).data, status=status.HTTP_201_CREATED)

    def get_parsers(self):
        if getattr(self, "action", None) == "create":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download one version (authors and chairs only)",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        stored = self.get_object()
        if not self.viewer.has_perm("submissions.download_submissionfile", stored):
            raise Http404
        try:
            handle = stored.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=stored.original_name,
            content_type=stored.content_type or "application/octet-stream",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
