"""The decision letters API under /api/v1/conferences/<slug>/decisions/letters/ (chairs; 404 for
anyone else): prepare (POST), the held letters (GET, paginated), send and discard (POST). And
/api/v1/conferences/<slug>/submissions/<number>/decision-letter/ (GET): the letter PDF, for the
paper's authors after release and unconflicted chairs (404 for anyone else)."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from decisions.letters import queries, services
from decisions.models import LetterEmail
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from mlsys.core.api.pagination import Pagination
from submissions.api.viewsets import CONFERENCE, NUMBER

TAGS = ["decisions"]
MANAGE = "decisions.manage_decisions"


class QueuedSerializer(serializers.Serializer):
    queued = serializers.BooleanField()


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class HeldLetterSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField(source="decision.submission.number")
    outcome = serializers.CharField(source="decision.outcome.label")
    to = serializers.EmailField(source="recipient")
    subject = serializers.CharField(source="email.subject")
    body = serializers.CharField(source="email.body")


class LetterPagination(Pagination):
    page_size = 100


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class LettersViewSet(ConferenceScopedGenericViewSet):
    permission_map = {"view": MANAGE, "write": MANAGE}
    serializer_class = HeldLetterSerializer
    pagination_class = LetterPagination
    conference_schedule = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LetterEmail.objects.none()
        return queries.held(self.conference, self.viewer)

    @extend_schema(summary="The held (prepared, unsent) decision letters")
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(HeldLetterSerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={202: QueuedSerializer},
        summary="Prepare the letters of released decisions in the background (held; "
        "idempotent): read them with GET …/decisions/letters/",
    )
    @action(detail=False, methods=["post"])
    def prepare(self, request, *args, **kwargs):
        services.request_preparation(conference=self.conference, actor=self.viewer)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: CountSerializer}, summary="Send every held letter")
    @action(detail=False, methods=["post"])
    def send(self, request, *args, **kwargs):
        count = services.send_letters(conference=self.conference, actor=self.viewer)
        return Response({"count": count})

    @extend_schema(
        request=None,
        responses={200: CountSerializer},
        summary="Discard every held letter (unsent) to prepare them again",
    )
    @action(detail=False, methods=["post"])
    def discard(self, request, *args, **kwargs):
        count = services.discard_letters(conference=self.conference, actor=self.viewer)
        return Response({"count": count})


@extend_schema(tags=TAGS)
class LetterPdfViewSet(ConferenceScopedGenericViewSet):
    permission_map = {"view": "conferences.view_conference"}
    conference_schedule = False
    serializer_class = CountSerializer  # schema only: the answer is a PDF

    @extend_schema(
        parameters=[CONFERENCE, NUMBER],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="No such paper, or not yours to read."),
        },
        summary="A paper's decision letter (PDF)",
    )
    def retrieve(self, request, *args, **kwargs):
        submission = get_object_or_404(self.conference.submissions, number=kwargs["number"])
        if not self.viewer.has_perm("decisions.download_letter", submission):
            raise Http404
        letter = services.letter_of(submission)
        if letter is None:
            raise Http404
        response = FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=f"decision-{submission.number}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
