"""Chair pages for a track's extra questions (combined into submissions/urls.py)."""

from django.urls import path

from submissions.views import extra_fields

urlpatterns = [
    path(
        "tracks/<int:track>/questions/",
        extra_fields.ExtraFieldListView.as_view(),
        name="extra_fields",
    ),
    path(
        "tracks/<int:track>/questions/<int:pk>/",
        extra_fields.ExtraFieldEditView.as_view(),
        name="extra_field_edit",
    ),
    path(
        "tracks/<int:track>/questions/<int:pk>/delete/",
        extra_fields.ExtraFieldDeleteView.as_view(),
        name="extra_field_delete",
    ),
    path(
        "tracks/<int:track>/questions/<int:pk>/move/",
        extra_fields.ExtraFieldMoveView.as_view(),
        name="extra_field_move",
    ),
]
