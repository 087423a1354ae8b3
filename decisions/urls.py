"""The decisions pages (namespace ``decisions``); each workflow package adds its own routes."""

from django.urls import include, path

from decisions.camera_ready import urls as camera_ready
from decisions.dashboard import urls as dashboard
from decisions.proceedings import urls as proceedings

app_name = "decisions"
urlpatterns: list = [
    *dashboard.urlpatterns,
    path("", include("decisions.dashboard.analytics_urls")),
    *camera_ready.urlpatterns,
    *proceedings.urlpatterns,
]
