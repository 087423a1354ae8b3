"""The chairs' reviewing progress page and its reminders (namespace "reviews")."""

from django.urls import path

from reviews.progress import views

urlpatterns = [
    path("progress/", views.ProgressView.as_view(), name="progress"),
    path("progress/remind/", views.RemindView.as_view(), name="progress_remind"),
]
