"""The chairs' submission pages (combined into submissions/urls.py, namespace "submissions")."""

from django.urls import path

from submissions.views import chair

urlpatterns = [
    path("manage/", chair.ChairListView.as_view(), name="chair_list"),
    path("manage/export/", chair.ChairExportView.as_view(), name="chair_export"),
    path("manage/bulk/", chair.ChairBulkView.as_view(), name="chair_bulk"),
    path(
        "manage/conflicts/recompute/",
        chair.ChairRecomputeConflictsView.as_view(),
        name="chair_recompute_conflicts",
    ),
    path("<int:number>/manage/", chair.ChairDetailView.as_view(), name="chair_detail"),
    path(
        "<int:number>/manage/desk-reject/",
        chair.ChairDeskRejectView.as_view(),
        name="chair_desk_reject",
    ),
    path(
        "<int:number>/manage/files/<int:pk>/release/",
        chair.ChairReleaseView.as_view(),
        name="chair_release",
    ),
    path(
        "<int:number>/manage/conflicts/<int:pk>/",
        chair.ChairConflictView.as_view(),
        name="chair_conflict",
    ),
]
