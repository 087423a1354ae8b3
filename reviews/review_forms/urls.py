"""The chairs' review forms and review settings pages (namespace "reviews")."""

from django.urls import path

from reviews.review_forms import views

urlpatterns = [
    path("forms/", views.ReviewFormsView.as_view(), name="forms"),
    path(
        "forms/<int:form>/fields/add/",
        views.FieldFormView.as_view(),
        name="form_field_add",
    ),
    path(
        "forms/fields/<int:field>/edit/",
        views.FieldFormView.as_view(),
        name="form_field_edit",
    ),
    path(
        "forms/fields/<int:field>/<slug:action>/",
        views.FieldActionView.as_view(),
        name="form_field_action",
    ),
    path(
        "forms/tracks/<int:track>/create/",
        views.TrackFormCreateView.as_view(),
        name="form_track_create",
    ),
    path(
        "forms/<int:form>/delete/",
        views.TrackFormDeleteView.as_view(),
        name="form_track_delete",
    ),
    path("settings/", views.ReviewSettingsView.as_view(), name="review_settings"),
]
