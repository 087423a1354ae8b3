"""Conference API: conferences (read), tracks and topics (read for viewers, write for chairs),
committee (chairs only). Same permissions as the pages; writes go through the services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import PermissionDenied

from mlsys.conferences import queries, services
from mlsys.conferences.api.serializers import (
    ConferenceDetailSerializer,
    ConferenceSerializer,
    MembershipSerializer,
    TopicSerializer,
    TrackSerializer,
)
from mlsys.conferences.models import CommitteeMembership, Conference, Topic, Track

CONFERENCE_SLUG = OpenApiParameter(
    "conference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The conference's slug, e.g. `mlsys2027`.",
)


@extend_schema_view(
    list=extend_schema(summary="Conferences you can see", tags=["conferences"]),
    retrieve=extend_schema(
        summary="One conference with tracks, topics, deadlines and phases",
        parameters=[CONFERENCE_SLUG],
        tags=["conferences"],
    ),
)
class ConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_url_kwarg = "conference"
    lookup_value_regex = "[-a-z0-9]+"

    def get_queryset(self):
        qs = queries.visible_conferences(self.request.user).order_by("-created_at", "pk")
        if self.action == "retrieve":
            return queries.with_setup(qs)
        return queries.with_schedule(qs)

    def get_serializer_class(self):
        return ConferenceDetailSerializer if self.action == "retrieve" else ConferenceSerializer


class ConferenceScopedGenericViewSet(viewsets.GenericViewSet):
    """A collection inside one conference. Anyone with ``view_permission`` reads it (others get
    404, as on the pages); writes need ``change_permission`` (403 for a viewer)."""

    view_permission = "conferences.view_conference"
    change_permission = "conferences.change_conference"
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.conference = get_object_or_404(Conference, slug=kwargs["conference"])
        if not request.user.has_perm(self.view_permission, self.conference):
            raise Http404
        if request.method not in permissions.SAFE_METHODS and not request.user.has_perm(
            self.change_permission, self.conference
        ):
            raise PermissionDenied("Only the conference's chairs can change this.")

    def is_schema_request(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


class ConferenceScopedViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    ConferenceScopedGenericViewSet,
):
    """A conference-scoped collection with every action of a ModelViewSet."""


@extend_schema(parameters=[CONFERENCE_SLUG], tags=["conferences"])
class TrackViewSet(ConferenceScopedViewSet):
    serializer_class = TrackSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return Track.objects.none()
        return self.conference.tracks.order_by("order", "name")

    def perform_create(self, serializer):
        serializer.instance = services.create_track(
            conference=self.conference, data=serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_track(
            track=serializer.instance, data=serializer.validated_data, actor=self.request.user
        )

    def perform_destroy(self, instance):
        services.delete_track(track=instance, actor=self.request.user)


@extend_schema(parameters=[CONFERENCE_SLUG], tags=["conferences"])
class TopicViewSet(ConferenceScopedViewSet):
    serializer_class = TopicSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return Topic.objects.none()
        return self.conference.topics.order_by("area", "order", "name")

    def perform_create(self, serializer):
        serializer.instance = services.create_topic(
            conference=self.conference, data=serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_topic(
            topic=serializer.instance, data=serializer.validated_data, actor=self.request.user
        )

    def perform_destroy(self, instance):
        services.delete_topic(topic=instance, actor=self.request.user)


@extend_schema(parameters=[CONFERENCE_SLUG], tags=["conferences"])
class CommitteeViewSet(ConferenceScopedViewSet):
    """The committee: chairs only (everyone else gets 404). Filter with ?role=, ?side=, ?status=."""

    view_permission = "conferences.view_committee"
    serializer_class = MembershipSerializer
    filterset_fields = ["role", "side", "status"]

    def get_queryset(self):
        if self.is_schema_request():
            return CommitteeMembership.objects.none()
        return queries.committee(self.conference)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        email = data.pop("email")
        name = data.pop("name", "")
        serializer.instance = services.add_member(
            conference=self.conference,
            email=email,
            name=name,
            data=data,
            actor=self.request.user,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("name", None)
        serializer.instance = services.update_membership(
            membership=serializer.instance, data=data, actor=self.request.user
        )

    def perform_destroy(self, instance):
        services.remove_member(membership=instance, actor=self.request.user)
