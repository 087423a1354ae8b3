from django.urls import path

from decisions.release import views

urlpatterns = [
    path("release/", views.ReleaseView.as_view(), name="release"),
]
