"""The per-paper reviewing page of the committee and its discussion endpoints."""

from django.urls import path

from reviews.discussion import views as paper

urlpatterns = [
    path("<int:number>/", paper.PaperView.as_view(), name="paper"),
    path("<int:number>/comments/", paper.CommentCreateView.as_view(), name="paper_comment"),
    path(
        "<int:number>/comments/<int:pk>/edit/",
        paper.CommentEditView.as_view(),
        name="comment_edit",
    ),
    path(
        "<int:number>/comments/<int:pk>/delete/",
        paper.CommentDeleteView.as_view(),
        name="comment_delete",
    ),
    path("<int:number>/follow/", paper.FollowView.as_view(), name="paper_follow"),
    path(
        "<int:number>/reviews/<int:pk>/rate/",
        paper.RateView.as_view(),
        name="review_rate",
    ),
]
