"""Author pages under /c/<conference>/submissions/ (app_name "submissions")."""

from django.urls import path

from submissions.views import author

urlpatterns = [
    path("mine/", author.MySubmissionsView.as_view(), name="mine"),
    path("new/", author.SubmissionCreateView.as_view(), name="create"),
    path("<int:number>/", author.SubmissionDetailView.as_view(), name="detail"),
    path(
        "<int:number>/upload/<str:kind>/",
        author.UploadView.as_view(),
        name="upload",
    ),
    path("<int:number>/report/", author.ReportView.as_view(), name="report"),
    path("<int:number>/status/", author.StatusView.as_view(), name="change_status"),
]
