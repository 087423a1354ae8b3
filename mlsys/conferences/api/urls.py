from django.urls import include, path
from rest_framework.routers import SimpleRouter

from mlsys.conferences.api import invitations, phases, views

router = SimpleRouter()
router.register("conferences", views.ConferenceViewSet, basename="conference")

nested = SimpleRouter()
nested.register("tracks", views.TrackViewSet, basename="conference-track")
nested.register("topics", views.TopicViewSet, basename="conference-topic")
nested.register("committee", views.CommitteeViewSet, basename="conference-committee")
nested.register("invitations", invitations.InvitationViewSet, basename="conference-invitation")

urlpatterns = [
    *router.urls,
    path("conferences/<slug:conference>/", include(nested.urls)),
    path(
        "conferences/<slug:conference>/phases/",
        phases.PhaseViewSet.as_view({"get": "list", "patch": "partial_update"}),
        name="conference-phases",
    ),
]
