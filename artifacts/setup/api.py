"""AE configuration API: the settings (with the AE dates) and the badge set — the same queries
and services as the AE chair's pages.

Settings and badges are read by anyone who sees the conference (they are the call for
artifacts); writes need ``artifacts.manage_ae`` (403 "Only the AE chairs…" otherwise).
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from artifacts.defaults import ensure_settings
from artifacts.models import AESettings, Badge
from artifacts.setup import queries, services
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from submissions.api.viewsets import CONFERENCE

TAGS = ["artifacts"]


class SettingsSerializer(serializers.ModelSerializer):
    dates = serializers.DictField(
        child=serializers.DateTimeField(allow_null=True),
        required=False,
        help_text="AE dates by kind (" + ", ".join(services.AE_DEADLINES) + "); null: no date.",
    )

    class Meta:
        model = AESettings
        fields = [*services.SETTINGS_FIELDS, "dates"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        deadlines = self.context["conference"].deadline_map()
        field = serializers.DateTimeField()
        data["dates"] = {
            kind: field.to_representation(deadlines[kind].at) if kind in deadlines else None
            for kind in services.AE_DEADLINES
        }
        return data

    def validate_dates(self, value):
        unknown = sorted(set(value) - set(services.AE_DEADLINES))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown AE date: {', '.join(unknown)}. Use {', '.join(services.AE_DEADLINES)}."
            )
        return value

    # Model validation is the service's.
    def run_validators(self, value):
        return None


class BadgeSerializer(serializers.ModelSerializer):
    requires = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Badge.objects.all(), required=False
    )
    excludes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Badge.objects.all(), required=False
    )
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=services.MAX_CHECKLIST_ITEM), required=False
    )
    required_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=services.REGISTRATION_FIELDS), required=False
    )

    class Meta:
        model = Badge
        fields = [
            "id",
            "key",
            "label",
            "description",
            "colour",
            "order",
            "active",
            "checklist",
            "required_fields",
            "requires",
            "excludes",
        ]
        read_only_fields = ["order", "active"]
        # Uniqueness and the combinations are checked by the service.
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conference = self.context.get("conference")
        if conference is not None:
            for name in ("requires", "excludes"):
                self.fields[name].child_relation.queryset = Badge.objects.filter(
                    conference=conference
                )

    def run_validators(self, value):
        return None

    def data_for_service(self) -> dict:
        data = dict(self.validated_data)
        for name in ("requires", "excludes"):
            if name in data:
                data[name] = [b.pk for b in data[name]]
        return data


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class SettingsViewSet(ConferenceScopedGenericViewSet):
    """The conference's AE settings and dates."""

    permission_map = {"view": "conferences.view_conference", "write": services.MANAGE}
    permission_denied_message = services.REFUSED
    conference_schedule = True
    serializer_class = SettingsSerializer
    pagination_class = None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "conference": self.conference}

    def _current(self) -> AESettings:
        if self.viewer.has_perm(services.MANAGE, self.conference):
            return services.settings_for(conference=self.conference, actor=self.viewer)
        found = AESettings.objects.filter(conference=self.conference).first()
        return found or AESettings(conference=self.conference)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self._current()).data)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self._current(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        dates = data.pop("dates", None)
        # All or nothing: refused dates leave the settings as they were.
        with transaction.atomic():
            if data:
                services.update_settings(conference=self.conference, data=data, actor=self.viewer)
            if dates:
                services.set_ae_dates(conference=self.conference, schedule=dates, actor=self.viewer)
        settings = ensure_settings(self.conference)
        return Response(self.get_serializer(settings).data)


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class BadgeViewSet(ConferenceScopedGenericViewSet):
    """The badge set (retired badges too, ``active`` false), in order."""

    permission_map = {"view": "conferences.view_conference", "write": services.MANAGE}
    permission_denied_message = services.REFUSED
    serializer_class = BadgeSerializer
    pagination_class = None
    filter_backends: list = []

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "conference": self.conference}

    def get_queryset(self):
        if self.is_schema_request():
            return Badge.objects.none()
        return queries.badges(self.conference)

    def list(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        badge = services.create_badge(
            conference=self.conference, data=serializer.data_for_service(), actor=self.viewer
        )
        return Response(self._fresh(badge), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        badge = self.get_object()
        serializer = self.get_serializer(badge, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        badge = services.update_badge(
            badge=badge, data=serializer.data_for_service(), actor=self.viewer
        )
        return Response(self._fresh(badge))

    def retire(self, request, *args, **kwargs):
        return Response(
            self._fresh(services.retire_badge(badge=self.get_object(), actor=self.viewer))
        )

    def restore(self, request, *args, **kwargs):
        return Response(
            self._fresh(services.restore_badge(badge=self.get_object(), actor=self.viewer))
        )

    def _fresh(self, badge: Badge) -> dict:
        return self.get_serializer(queries.badges(self.conference).get(pk=badge.pk)).data
