"""Camera-ready pages (namespace ``decisions``, under /c/<slug>/decisions/)."""

from django.urls import path

from decisions.camera_ready import overview, views

urlpatterns = [
    path("camera-ready/", overview.OverviewView.as_view(), name="camera_ready_overview"),
    path(
        "camera-ready/export.csv",
        overview.ExportView.as_view(),
        name="camera_ready_export",
    ),
    path(
        "camera-ready/settings/",
        overview.SettingsView.as_view(),
        name="camera_ready_settings",
    ),
    path(
        "camera-ready/shepherding/",
        views.ShepherdingView.as_view(),
        name="camera_ready_shepherding",
    ),
    path("camera-ready/<int:number>/", views.CameraReadyView.as_view(), name="camera_ready"),
    path(
        "camera-ready/<int:number>/report/",
        views.ReportView.as_view(),
        name="camera_ready_report",
    ),
]
