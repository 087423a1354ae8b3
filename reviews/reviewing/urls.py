"""Writing reviews: the reviewer's review page and its endpoints, declining, and My reviews
(namespace "reviews")."""

from django.urls import path

from reviews.reviewing import views

urlpatterns = [
    path("<int:number>/review/", views.ReviewView.as_view(), name="review"),
    path("<int:number>/review/autosave/", views.AutosaveView.as_view(), name="review_autosave"),
    path("<int:number>/review/preview/", views.PreviewView.as_view(), name="review_preview"),
    path(
        "<int:number>/review/<int:pk>/history/",
        views.HistoryView.as_view(),
        name="review_history",
    ),
    path("<int:number>/decline/", views.DeclineView.as_view(), name="decline"),
    path("my-papers/", views.MyPapersView.as_view(), name="my_papers"),
]
