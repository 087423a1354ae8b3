"""The chairs' reviewing progress page, its exports and its reminders (namespace "reviews")."""

from django.urls import path

from reviews.progress import views

urlpatterns = [
    path("progress/", views.ProgressView.as_view(), name="progress"),
    path("progress/export/", views.ProgressExportView.as_view(), name="progress_export"),
    path("progress/remind/", views.RemindView.as_view(), name="progress_remind"),
]
