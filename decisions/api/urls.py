"""The decisions API under /api/v1/conferences/<slug>/ (global url names api-*): every route
of the decisions app is listed here; the viewsets live in the workflow packages' api.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from decisions.camera_ready.api import CameraReadyViewSet
from decisions.dashboard.api import DashboardViewSet, DecisionViewSet
from decisions.letters.api import LetterPdfViewSet, LettersViewSet
from decisions.proceedings.api import ProceedingsBuildViewSet, ProceedingsViewSet
from decisions.release.api import ReleaseViewSet

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
    path(
        "decisions/release/",
        ReleaseViewSet.as_view({"post": "create"}),
        name="api-decisions-release",
    ),
    path(
        "decisions/release/<int:pk>/",
        ReleaseViewSet.as_view({"get": "retrieve"}),
        name="api-decisions-release-run",
    ),
    path(
        "decisions/letters/",
        LettersViewSet.as_view({"get": "list"}),
        name="api-decision-letters",
    ),
    path(
        "decisions/letters/prepare/",
        LettersViewSet.as_view({"post": "prepare"}),
        name="api-decision-letters-prepare",
    ),
    path(
        "decisions/letters/send/",
        LettersViewSet.as_view({"post": "send"}),
        name="api-decision-letters-send",
    ),
    path(
        "decisions/letters/discard/",
        LettersViewSet.as_view({"post": "discard"}),
        name="api-decision-letters-discard",
    ),
    path(
        "submissions/<int:number>/decision-letter/",
        LetterPdfViewSet.as_view({"get": "retrieve"}),
        name="api-decision-letter-pdf",
    ),
    *router.urls,
]
