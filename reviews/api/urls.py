"""Reviewing API routes under /api/v1/conferences/<conference>/ (global url names api-*).

The one router of the reviews app: each workflow package's ``api.py`` holds its serializers and
viewsets; the routes, url names and basenames are listed here, together."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.discussion.api import CommentViewSet, PaperReviewsViewSet
from reviews.meta.api import MetaReviewViewSet
from reviews.response.api import ResponseViewSet
from reviews.review_forms.api import ReviewFormViewSet
from reviews.reviewing.api import ReviewViewSet

router = SimpleRouter()
router.register("review-forms", ReviewFormViewSet, basename="api-review-form")
router.register("reviews", ReviewViewSet, basename="api-review")

PAPER = "submissions/<int:number>/"
urlpatterns = [
    *router.urls,
    path(
        f"{PAPER}reviews/",
        PaperReviewsViewSet.as_view({"get": "list"}),
        name="api-paper-reviews",
    ),
    path(
        f"{PAPER}author-reviews/",
        PaperReviewsViewSet.as_view({"get": "author"}),
        name="api-author-reviews",
    ),
    path(
        f"{PAPER}comments/",
        CommentViewSet.as_view({"get": "list", "post": "create"}),
        name="api-comment-list",
    ),
    path(
        f"{PAPER}comments/<int:pk>/",
        CommentViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="api-comment-detail",
    ),
    path(
        f"{PAPER}response/",
        ResponseViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="api-response",
    ),
    path(
        f"{PAPER}response/submit/",
        ResponseViewSet.as_view({"post": "submit"}),
        name="api-response-submit",
    ),
    path(
        f"{PAPER}meta-review/",
        MetaReviewViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="api-meta-review",
    ),
    path(
        f"{PAPER}meta-review/submit/",
        MetaReviewViewSet.as_view({"post": "submit"}),
        name="api-meta-review-submit",
    ),
]
