"""The AE chair's configuration: settings, badge set and its combinations, AE dates."""

from django.urls import path

from artifacts.setup import views

urlpatterns = [
    path("setup/", views.SettingsView.as_view(), name="settings"),
    path("setup/badges/", views.BadgeListView.as_view(), name="badges"),
    path("setup/badges/new/", views.BadgeFormView.as_view(), name="badge_create"),
    path("setup/badges/<int:pk>/", views.BadgeFormView.as_view(), name="badge_edit"),
    path(
        "setup/badges/<int:pk>/up/",
        views.BadgeActionView.as_view(action="up"),
        name="badge_up",
    ),
    path(
        "setup/badges/<int:pk>/down/",
        views.BadgeActionView.as_view(action="down"),
        name="badge_down",
    ),
    path(
        "setup/badges/<int:pk>/retire/",
        views.BadgeActionView.as_view(action="retire"),
        name="badge_retire",
    ),
    path(
        "setup/badges/<int:pk>/restore/",
        views.BadgeActionView.as_view(action="restore"),
        name="badge_restore",
    ),
    path("setup/badges/<int:pk>/delete/", views.BadgeDeleteView.as_view(), name="badge_delete"),
]
