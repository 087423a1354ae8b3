from django.urls import path

from artifacts.page import views

urlpatterns = [
    path("<int:number>/", views.ArtifactDetailView.as_view(), name="detail"),
]
