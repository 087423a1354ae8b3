from django.urls import path

from decisions.release import views

urlpatterns = [
    path("release/", views.ReleaseView.as_view(), name="release"),
    path("release/run/", views.ReleaseRunView.as_view(), name="release_run"),
]
