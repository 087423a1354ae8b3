"""Conference API: conferences (read; site staff create them), tracks and topics (read for
viewers, write for chairs), committee (chairs only). Same permissions as the pages; writes go
through the services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mlsys.conferences import creation, queries, services
from mlsys.conferences.api.scoping import ConferenceScopedAPIMixin
from mlsys.conferences.api.serializers import (
    ConferenceCreateSerializer,
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
    create=extend_schema(
        summary="Create a conference (site staff)",
        description="Creates the conference, invites its first program chair and, with "
        "`copy_from`, copies that conference's setup with deadlines shifted by `shift_days`. "
        "Answers 403 to anyone but site staff.",
        request=ConferenceCreateSerializer,
        responses={201: ConferenceDetailSerializer},
        tags=["conferences"],
    ),
)
class ConferenceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_url_kwarg = "conference"
    lookup_value_regex = "[-a-z0-9]+"

    def get_queryset(self):
        qs = queries.visible_conferences(self.request.user).order_by("-created_at", "pk")
        if self.action == "retrieve":
            return queries.with_setup(qs)
        return queries.with_schedule(qs)

    def get_serializer_class(self):
        if self.action == "create":
            return ConferenceCreateSerializer
        return ConferenceDetailSerializer if self.action == "retrieve" else ConferenceSerializer

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("conferences.add_conference"):
            raise PermissionDenied("Only site staff can create conferences.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = creation.create_conference(new=serializer.new_conference(), actor=request.user)
        conference = queries.with_setup(Conference.objects.filter(pk=created.conference.pk)).get()
        return Response(
            ConferenceDetailSerializer(conference, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class ConferenceScopedGenericViewSet(ConferenceScopedAPIMixin, viewsets.GenericViewSet):
    """A collection inside one conference. Anyone with its view permission reads it (others get
    404, as on the pages); writes need ``conferences.change_conference`` (403 for a viewer)."""

    permission_map = {
        "view": "conferences.view_conference",
        "write": "conferences.change_conference",
    }
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    #: Tracks, topics and the committee never read the phases.
    conference_schedule = False

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
            conference=self.conference, data=serializer.validated_data, actor=self.viewer.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_track(
            track=serializer.instance, data=serializer.validated_data, actor=self.viewer.user
        )

    def perform_destroy(self, instance):
        services.delete_track(track=instance, actor=self.viewer.user)


@extend_schema(parameters=[CONFERENCE_SLUG], tags=["conferences"])
class TopicViewSet(ConferenceScopedViewSet):
    serializer_class = TopicSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return Topic.objects.none()
        return self.conference.topics.order_by("area", "order", "name")

    def perform_create(self, serializer):
        serializer.instance = services.create_topic(
            conference=self.conference, data=serializer.validated_data, actor=self.viewer.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_topic(
            topic=serializer.instance, data=serializer.validated_data, actor=self.viewer.user
        )

    def perform_destroy(self, instance):
        services.delete_topic(topic=instance, actor=self.viewer.user)


@extend_schema(parameters=[CONFERENCE_SLUG], tags=["conferences"])
class CommitteeViewSet(ConferenceScopedViewSet):
    """The committee: chairs only (everyone else gets 404). Filter with ?role=, ?side=, ?status=."""

    permission_map = {
        "view": "conferences.view_committee",
        "write": "conferences.change_conference",
    }
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
            actor=self.viewer.user,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("name", None)
        serializer.instance = services.update_membership(
            membership=serializer.instance, data=data, actor=self.viewer.user
        )

    def perform_destroy(self, instance):
        services.remove_member(membership=instance, actor=self.viewer.user)
