"""The decisions API under /api/v1/conferences/<slug>/ (global url names api-*)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from decisions.camera_ready.api import CameraReadyViewSet
from decisions.proceedings.api import ProceedingsBuildViewSet, ProceedingsViewSet

router = SimpleRouter()
router.register("proceedings/builds", ProceedingsBuildViewSet, basename="api-proceedings-build")
router.register("proceedings", ProceedingsViewSet, basename="api-proceedings")

CAMERA_READY = "camera-ready/<int:number>/"
urlpatterns: list = [
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
