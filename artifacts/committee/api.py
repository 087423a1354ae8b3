"""AE committee API: the committee list (AE chairs and program chairs; others 404) and the
evaluator's own hardware profile (AE evaluators; others 404) — the same queries and services as
the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from artifacts.committee import queries, services
from artifacts.models import HardwareProfile
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from mlsys.conferences.models import CommitteeMembership
from submissions.api.viewsets import CONFERENCE

TAGS = ["artifacts"]


class GpuSerializer(serializers.Serializer):
    model = serializers.CharField(max_length=services.MAX_GPU_MODEL)
    count = serializers.IntegerField(min_value=1, max_value=services.MAX_GPU_COUNT)


class HardwareSerializer(serializers.ModelSerializer):
    gpus = GpuSerializer(many=True, required=False)
    testbeds = serializers.ListField(
        child=serializers.CharField(max_length=services.MAX_TESTBED), required=False
    )

    class Meta:
        model = HardwareProfile
        fields = list(services.HARDWARE_FIELDS)
        extra_kwargs = {
            "cpu_cores": {"max_value": services.MAXIMA["cpu_cores"]},
            "ram_gb": {"max_value": services.MAXIMA["ram_gb"]},
            "disk_gb": {"max_value": services.MAXIMA["disk_gb"]},
            "notes": {"max_length": services.MAX_NOTES},
        }


class CommitteeMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="user.name")
    email = serializers.EmailField(source="user.email")
    role = serializers.CharField()
    status = serializers.CharField()
    max_load = serializers.IntegerField(allow_null=True)
    load_limit = serializers.IntegerField()
    live_assignments = serializers.IntegerField()
    hardware = serializers.SerializerMethodField()

    def get_hardware(self, member) -> dict | None:
        profile = getattr(member.user, "hardware_profile", None)
        return HardwareSerializer(profile).data if profile is not None else None


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class CommitteeViewSet(ConferenceScopedGenericViewSet):
    """AE chairs and evaluators with invitation status, load limit, live assignments and
    hardware (100 a page)."""

    permission_map = {"view": services.MANAGE, "write": services.MANAGE}
    serializer_class = CommitteeMemberSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.is_schema_request():
            return CommitteeMembership.objects.none()
        return queries.ae_committee(self.conference, self.viewer)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        default = services.default_load(self.conference)
        for member in page:
            member.load_limit = member.max_load if member.max_load is not None else default
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class HardwareViewSet(ConferenceScopedGenericViewSet):
    """The evaluator's own hardware profile (theirs at every conference)."""

    permission_map = {
        "view": "artifacts.evaluator_pages",
        "write": "artifacts.evaluator_pages",
    }
    serializer_class = HardwareSerializer
    pagination_class = None

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(services.hardware_of(self.viewer.user)).data)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {name: serializer.validated_data.get(name) for name in services.HARDWARE_FIELDS}
        data["gpus"] = [dict(g) for g in data["gpus"] or []]
        data["testbeds"] = data["testbeds"] or []
        data["cloud_gpus"] = bool(data["cloud_gpus"])
        profile = services.save_hardware(conference=self.conference, data=data, actor=self.viewer)
        return Response(self.get_serializer(profile).data)
