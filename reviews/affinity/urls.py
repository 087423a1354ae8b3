"""The chairs' affinity page: runs, computing and uploading scores (namespace "reviews")."""

from django.urls import path

from reviews.affinity import views

urlpatterns = [
    path("affinities/", views.AffinityPageView.as_view(), name="affinities"),
    path("affinities/runs/", views.AffinityRunsView.as_view(), name="affinity_runs"),
    path("affinities/compute/", views.AffinityStartView.as_view(), name="affinity_start"),
    path("affinities/upload/", views.AffinityUploadView.as_view(), name="affinity_upload"),
    path("affinities/use/", views.AffinityUseView.as_view(), name="affinity_use"),
    path("affinities/dataset.zip", views.AffinityDatasetView.as_view(), name="affinity_dataset"),
]
