from django.urls import path

from mlsys.conferences import views

app_name = "conferences"
urlpatterns = [
    path("", views.ConferenceDetailView.as_view(), name="detail"),
]
