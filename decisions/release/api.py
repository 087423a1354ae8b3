"""The release API: POST /api/v1/conferences/<slug>/decisions/release/ (chairs; 404 for anyone
else). The answer counts what was released by outcome, lists skipped papers, and counts the
papers the chair is conflicted with apart, as the page does."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from decisions.release import services
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from submissions.api.viewsets import CONFERENCE

TAGS = ["decisions"]


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


class DecisionReleaseResultSerializer(serializers.Serializer):
    released = OutcomeCountSerializer(many=True)
    released_total = serializers.IntegerField()
    skipped = SkippedSerializer(many=True)
    conflicted = serializers.IntegerField(
        help_text="Released or skipped papers you are conflicted with (not described)."
    )


@extend_schema(tags=TAGS)
class ReleaseViewSet(ConferenceScopedGenericViewSet):
    permission_map = {"view": "decisions.manage_decisions", "write": "decisions.manage_decisions"}
    serializer_class = DecisionReleaseRequestSerializer
    conference_schedule = True

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["conference"] = self.scope()[1]
        return context

    @extend_schema(
        parameters=[CONFERENCE],
        request=DecisionReleaseRequestSerializer,
        responses={200: DecisionReleaseResultSerializer},
        summary="Release the pending decisions (all tracks or one)",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.release(
            conference=self.conference,
            actor=self.viewer,
            track=serializer.validated_data.get("track"),
            expected=serializer.validated_data.get("expected"),
        )
        data = {
            "released": [{"outcome": label, "papers": n} for label, n in report.released],
            "released_total": report.released_total,
            "skipped": [{"number": number, "reason": why} for number, why in report.skipped],
            "conflicted": report.conflicted,
        }
        return Response(DecisionReleaseResultSerializer(data).data)
