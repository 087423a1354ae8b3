from django.urls import path

from reviews.views import forms_admin

urlpatterns = [
    path("forms/", forms_admin.ReviewFormsView.as_view(), name="forms"),
    path(
        "forms/<int:form>/fields/add/",
        forms_admin.FieldFormView.as_view(),
        name="form_field_add",
    ),
    path(
        "forms/fields/<int:field>/edit/",
        forms_admin.FieldFormView.as_view(),
        name="form_field_edit",
    ),
    path(
        "forms/fields/<int:field>/<slug:action>/",
        forms_admin.FieldActionView.as_view(),
        name="form_field_action",
    ),
    path(
        "forms/tracks/<int:track>/create/",
        forms_admin.TrackFormCreateView.as_view(),
        name="form_track_create",
    ),
    path(
        "forms/<int:form>/delete/",
        forms_admin.TrackFormDeleteView.as_view(),
        name="form_track_delete",
    ),
    path("settings/", forms_admin.ReviewSettingsView.as_view(), name="review_settings"),
]
