"""The decisions pages (namespace ``decisions``); each workflow package adds its own routes."""

from django.urls import include, path

from decisions.camera_ready import urls as camera_ready
from decisions.dashboard import urls as dashboard
from decisions.letters import urls as letters
from decisions.proceedings import urls as proceedings
from decisions.release import urls as release

app_name = "decisions"
urlpatterns: list = [
    *dashboard.urlpatterns,
    *release.urlpatterns,
    *letters.urlpatterns,
    path("", include("decisions.dashboard.analytics_urls")),
    *camera_ready.urlpatterns,
    *proceedings.urlpatterns,
]
