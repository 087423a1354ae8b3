"""Submission API routes under /api/v1/conferences/<conference>/ (global url names api-*)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from submissions.api import viewsets

router = SimpleRouter()
router.register("submissions", viewsets.SubmissionViewSet, basename="api-submission")

files = viewsets.SubmissionFileViewSet
urlpatterns = [
    *router.urls,
    path(
        "submissions/<int:number>/files/",
        files.as_view({"get": "list", "post": "create"}),
        name="api-submission-file-list",
    ),
    path(
        "submissions/<int:number>/files/<int:pk>/",
        files.as_view({"get": "retrieve"}),
        name="api-submission-file-detail",
    ),
    path(
        "submissions/<int:number>/files/<int:pk>/download/",
        files.as_view({"get": "download"}, detail=True),
        name="api-submission-file-download",
    ),
]
