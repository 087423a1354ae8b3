from django.urls import path

from reviews.views import affinity

urlpatterns = [
    path("affinities/", affinity.AffinityPageView.as_view(), name="affinities"),
    path("affinities/runs/", affinity.AffinityRunsView.as_view(), name="affinity_runs"),
    path("affinities/compute/", affinity.AffinityStartView.as_view(), name="affinity_start"),
    path("affinities/upload/", affinity.AffinityUploadView.as_view(), name="affinity_upload"),
]
