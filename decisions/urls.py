"""The decisions pages (namespace ``decisions``); each workflow package adds its own routes."""

from django.urls import include, path

app_name = "decisions"
urlpatterns: list = [
    path("", include("decisions.dashboard.analytics_urls")),
]
