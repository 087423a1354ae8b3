"""The chairs' phase switches through the API (the phases page): read by anyone who sees the
conference, changed by its chairs only (403 for the others) through
mlsys.conferences.services.set_phase_modes."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from mlsys.conferences import services
from mlsys.conferences.api.views import CONFERENCE_SLUG, ConferenceScopedGenericViewSet
from mlsys.conferences.enums import Phase, PhaseMode
from mlsys.conferences.models import PhaseSetting
from mlsys.conferences.phases import ORDER

MODE_SCHEMA = {"type": "string", "enum": PhaseMode.values}


class PhaseRowSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    mode = serializers.ChoiceField(choices=PhaseMode.choices)
    is_open = serializers.BooleanField()


class PhaseModesSerializer(serializers.Serializer):
    """``{phase: mode}`` for the phases to change; the others are left alone."""

    def to_internal_value(self, data):
        if not isinstance(data, dict) or not data:
            raise serializers.ValidationError(
                {"non_field_errors": ["Send an object {phase: auto, open or closed}."]}
            )
        errors, modes = {}, {}
        for phase, mode in data.items():
            if phase not in ORDER:
                errors[phase] = [f"Unknown phase; the phases are {', '.join(ORDER)}."]
            elif mode not in PhaseMode.values:
                errors[phase] = ["Choose auto (follow the deadlines), open or closed."]
            else:
                modes[phase] = mode
        if errors:
            raise serializers.ValidationError(errors)
        return modes


@extend_schema(parameters=[CONFERENCE_SLUG], tags=["conferences"])
class PhaseViewSet(ConferenceScopedGenericViewSet):
    """The phase switches of the phases page: anyone who sees the conference reads them (as
    ``open_phases`` on the conference); only its chairs change them (403 for the others)."""

    serializer_class = PhaseRowSerializer
    conference_schedule = True  # the rows are the timeline
    pagination_class = None
    filter_backends: list = []
    queryset = PhaseSetting.objects.none()  # rows are built from the timeline, not listed

    def _rows(self) -> list[dict]:
        timeline = self.conference.timeline()
        return [
            {"phase": p, "mode": timeline.mode(p), "is_open": timeline.is_open(p)} for p in ORDER
        ]

    @extend_schema(
        responses={200: PhaseRowSerializer(many=True)},
        summary="Each phase's switch and whether it is open now",
    )
    def list(self, request, *args, **kwargs):
        return Response(PhaseRowSerializer(self._rows(), many=True).data)

    @extend_schema(
        request={"application/json": {"type": "object", "additionalProperties": MODE_SCHEMA}},
        responses={200: PhaseRowSerializer(many=True)},
        summary="Open or close phases now, or let them follow the deadlines (chairs)",
    )
    def partial_update(self, request, *args, **kwargs):
        incoming = PhaseModesSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.set_phase_modes(
            conference=self.conference, modes=incoming.validated_data, actor=request.user
        )
        return Response(PhaseRowSerializer(self._rows(), many=True).data)
