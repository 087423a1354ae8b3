"""The release API: POST /api/v1/conferences/<slug>/decisions/release/ (chairs; 404 for anyone
else). The answer counts what was released by outcome, lists skipped papers, and counts the
papers the chair is conflicted with apart, as the page does."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from decisions.models import ReleaseRun
from decisions.release import services
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from submissions.api.viewsets import CONFERENCE

TAGS = ["decisions"]
PK = OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The run's id.")


class DecisionReleaseRequestSerializer(serializers.Serializer):
    track = serializers.IntegerField(
        required=False, allow_null=True, help_text="Release one track only (its id)."
    )
    expected = serializers.CharField(
        required=False,
        help_text="The release fingerprint read before confirming: refused (400) if the pending "
        "decisions changed since.",
    )

    def validate_track(self, value):
        if value is None:
            return None
        track = self.context["conference"].tracks.filter(pk=value).first()
        if track is None:
            raise serializers.ValidationError("Choose one of this conference's tracks.")
        return track


class OutcomeCountSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    papers = serializers.IntegerField()


class SkippedSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.CharField()


class ReleaseReportSerializer(serializers.Serializer):
    scope = serializers.CharField()
    released = OutcomeCountSerializer(many=True)
    released_total = serializers.IntegerField()
    skipped = SkippedSerializer(many=True)
    conflicted = serializers.IntegerField(
        help_text="Released or skipped papers you are conflicted with (not described)."
    )


class ReleaseRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    track = serializers.IntegerField(source="track_id", allow_null=True)
    report = serializers.SerializerMethodField()
    error = serializers.CharField()

    def get_report(self, run) -> dict | None:
        if run.status != "done":
            return None
        report = run.report
        return {
            "scope": report["scope"],
            "released": [{"outcome": o, "papers": n} for o, n in report["released"]],
            "released_total": report["released_total"],
            "skipped": [{"number": n, "reason": why} for n, why in report["skipped"]],
            "conflicted": report["conflicted"],
        }


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class ReleaseViewSet(ConferenceScopedGenericViewSet):
    """Releases run in the background: POST answers 202 with the run, GET …/release/<id>/
    tells its status and, once done, what it did (as the chair who asked may know it)."""

    permission_map = {"view": "decisions.manage_decisions", "write": "decisions.manage_decisions"}
    serializer_class = DecisionReleaseRequestSerializer
    conference_schedule = True

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["conference"] = self.scope()[1]
        return context

    @extend_schema(
        request=DecisionReleaseRequestSerializer,
        responses={202: ReleaseRunSerializer},
        summary="Release the pending decisions (all tracks or one), in the background",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.request_release(
            conference=self.conference,
            actor=self.viewer,
            track=serializer.validated_data.get("track"),
            expected=serializer.validated_data.get("expected"),
        )
        run.refresh_from_db()
        return Response(ReleaseRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[PK], responses={200: ReleaseRunSerializer}, summary="One of your releases"
    )
    def retrieve(self, request, *args, **kwargs):
        run = get_object_or_404(
            ReleaseRun.objects.filter(conference=self.conference, requested_by=self.viewer.user),
            pk=kwargs["pk"],
        )
        return Response(ReleaseRunSerializer(run).data)
