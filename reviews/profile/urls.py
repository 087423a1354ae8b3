"""The PC member's reviewer profile for the conference (namespace "reviews")."""

from django.urls import path

from reviews.profile import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path(
        "profile/expertise/<int:pk>/",
        views.ExpertiseEditView.as_view(),
        name="expertise_edit",
    ),
    path(
        "profile/expertise/<int:pk>/delete/",
        views.ExpertiseDeleteView.as_view(),
        name="expertise_delete",
    ),
]
