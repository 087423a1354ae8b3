"""Reviewing API routes under /api/v1/conferences/<conference>/ (global url names api-*).

The one router of the reviews app: each workflow package's ``api.py`` holds its serializers and
viewsets; the routes, url names and basenames are listed here, together."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.assignment.api import ProposalViewSet, ReleaseViewSet
from reviews.bidding.api import BiddingViewSet, BidViewSet
from reviews.discussion.api import CommentViewSet, PaperReviewsViewSet, RatingViewSet
from reviews.meta.api import MetaReviewViewSet
from reviews.response.api import ResponseViewSet
from reviews.review_forms.api import ReviewFormViewSet
from reviews.reviewing.api import ReviewViewSet

router = SimpleRouter()
router.register("review-forms", ReviewFormViewSet, basename="api-review-form")
router.register("reviews", ReviewViewSet, basename="api-review")
router.register("assignment/proposals", ProposalViewSet, basename="api-proposal")
router.register("bids", BidViewSet, basename="api-bid")

PAPER = "submissions/<int:number>/"
urlpatterns = [
    *router.urls,
    path("assignment/release/", ReleaseViewSet.as_view({"post": "create"}), name="api-release"),
    path("bidding/", BiddingViewSet.as_view({"get": "list"}), name="api-bidding"),
    path(
        "bidding/<int:number>/",
        BiddingViewSet.as_view({"put": "update"}),
        name="api-bidding-paper",
    ),
    path(f"{PAPER}ratings/", RatingViewSet.as_view({"get": "list"}), name="api-rating-list"),
    path(
        f"{PAPER}reviews/<int:pk>/rating/",
        RatingViewSet.as_view({"put": "update"}),
        name="api-rating",
    ),
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
