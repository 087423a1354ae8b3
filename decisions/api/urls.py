"""The decisions API under /api/v1/conferences/<slug>/ (global url names api-*)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from decisions.camera_ready.api import CameraReadyViewSet
from decisions.dashboard.api import DashboardViewSet, DecisionViewSet
from decisions.proceedings.api import ProceedingsBuildViewSet, ProceedingsViewSet

router = SimpleRouter()
router.register("proceedings/builds", ProceedingsBuildViewSet, basename="api-proceedings-build")
router.register("proceedings", ProceedingsViewSet, basename="api-proceedings")

CAMERA_READY = "camera-ready/<int:number>/"
urlpatterns: list = [
    path(
        "decisions/dashboard/",
        DashboardViewSet.as_view({"get": "list"}),
        name="api-decisions-dashboard",
    ),
    path("decisions/", DecisionViewSet.as_view({"post": "create"}), name="api-decision-list"),
    path("decisions/bulk/", DecisionViewSet.as_view({"post": "bulk"}), name="api-decision-bulk"),
    path(
        "decisions/<int:number>/",
        DecisionViewSet.as_view({"delete": "destroy"}),
        name="api-decision-detail",
    ),
    path(
        CAMERA_READY,
        CameraReadyViewSet.as_view({"get": "retrieve"}),
        name="api-camera-ready",
    ),
    path(
        f"{CAMERA_READY}upload/",
        CameraReadyViewSet.as_view({"post": "upload"}),
        name="api-camera-ready-upload",
    ),
    path(
        f"{CAMERA_READY}shepherd-review/",
        CameraReadyViewSet.as_view({"post": "shepherd_review"}),
        name="api-camera-ready-shepherd-review",
    ),
    *router.urls,
]
