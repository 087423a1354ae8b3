"""The authors' reviews-and-response page (namespace "reviews")."""

from django.urls import path

from reviews.response import views

urlpatterns = [
    path("<int:number>/response/", views.ResponseView.as_view(), name="response"),
    path(
        "<int:number>/response/autosave/",
        views.ResponseAutosaveView.as_view(),
        name="response_autosave",
    ),
]
