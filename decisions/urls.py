"""The decisions pages (namespace ``decisions``); each workflow package adds its own routes."""

from decisions.dashboard import urls as dashboard

app_name = "decisions"
urlpatterns: list = [
    *dashboard.urlpatterns,
]
