"""The artifacts API under /api/v1/conferences/<slug>/ (global url names api-artifacts-*):
every route of the artifacts app is listed here; the viewsets live in the workflow packages'
api.py."""

from django.urls import path

from artifacts.committee.api import CommitteeViewSet, HardwareViewSet
from artifacts.setup.api import BadgeViewSet, SettingsViewSet

urlpatterns: list = [
    path(
        "artifacts/settings/",
        SettingsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-artifacts-settings",
    ),
    path(
        "artifacts/badges/",
        BadgeViewSet.as_view({"get": "list", "post": "create"}),
        name="api-artifacts-badges",
    ),
    path(
        "artifacts/badges/<int:pk>/",
        BadgeViewSet.as_view({"patch": "partial_update"}),
        name="api-artifacts-badge",
    ),
    path(
        "artifacts/badges/<int:pk>/retire/",
        BadgeViewSet.as_view({"post": "retire"}),
        name="api-artifacts-badge-retire",
    ),
    path(
        "artifacts/badges/<int:pk>/restore/",
        BadgeViewSet.as_view({"post": "restore"}),
        name="api-artifacts-badge-restore",
    ),
    path(
        "artifacts/committee/",
        CommitteeViewSet.as_view({"get": "list"}),
        name="api-artifacts-committee",
    ),
    path(
        "artifacts/hardware/",
        HardwareViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="api-artifacts-hardware",
    ),
]
