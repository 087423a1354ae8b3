"""Reviewing API routes under /api/v1/conferences/<conference>/ (global url names api-*)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.api import viewsets as v

router = SimpleRouter()
router.register("review-forms", v.ReviewFormViewSet, basename="api-review-form")
router.register("reviews", v.ReviewViewSet, basename="api-review")

PAPER = "submissions/<int:number>/"
urlpatterns = [
    *router.urls,
    path(
        f"{PAPER}reviews/",
        v.PaperReviewsViewSet.as_view({"get": "list"}),
        name="api-paper-reviews",
    ),
    path(
        f"{PAPER}author-reviews/",
        v.PaperReviewsViewSet.as_view({"get": "author"}),
        name="api-author-reviews",
    ),
    path(
        f"{PAPER}comments/",
        v.CommentViewSet.as_view({"get": "list", "post": "create"}),
        name="api-comment-list",
    ),
    path(
        f"{PAPER}comments/<int:pk>/",
        v.CommentViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-comment-detail",
    ),
    path(
        f"{PAPER}response/",
        v.ResponseViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="api-response",
    ),
    path(
        f"{PAPER}response/submit/",
        v.ResponseViewSet.as_view({"post": "submit"}),
        name="api-response-submit",
    ),
    path(
        f"{PAPER}meta-review/",
        v.MetaReviewViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update"}
        ),
        name="api-meta-review",
    ),
    path(
        f"{PAPER}meta-review/submit/",
        v.MetaReviewViewSet.as_view({"post": "submit"}),
        name="api-meta-review-submit",
    ),
]
