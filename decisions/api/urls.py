"""The decisions API under /api/v1/conferences/<slug>/ (global url names ``api-…``)."""

from django.urls import path

from decisions.dashboard.api import DashboardViewSet, DecisionViewSet

urlpatterns = [
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
]
