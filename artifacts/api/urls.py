"""The artifacts API under /api/v1/conferences/<slug>/ (global url names api-*): every route of
the artifacts app is listed here; the viewsets live in the workflow packages' api.py."""

from django.urls import path

from artifacts.badges.api import BadgeExportViewSet, ResultsViewSet, StampViewSet

urlpatterns: list = [
    # --- badges ---
    path(
        "artifacts/results/",
        ResultsViewSet.as_view({"get": "list"}),
        name="api-artifact-results",
    ),
    path(
        "artifacts/results/<int:number>/",
        ResultsViewSet.as_view({"get": "retrieve"}),
        name="api-artifact-paper-results",
    ),
    path(
        "artifacts/badges/export/",
        BadgeExportViewSet.as_view({"get": "list"}),
        name="api-artifact-badge-export",
    ),
    path(
        "artifacts/badges/export/csv/",
        BadgeExportViewSet.as_view({"get": "csv"}),
        name="api-artifact-badge-export-csv",
    ),
    path(
        "artifacts/<int:number>/stamp/",
        StampViewSet.as_view({"get": "retrieve", "post": "create"}),
        name="api-artifact-stamp",
    ),
]
