"""Writing reviews: the reviewer's review page and its endpoints, declining, external reviewer
requests (namespace "reviews"). "My reviews" (reviews:my_papers) lives in urls_assignment."""

from django.urls import path

from reviews.views import external, review

urlpatterns = [
    path("<int:number>/review/", review.ReviewView.as_view(), name="review"),
    path("<int:number>/review/autosave/", review.AutosaveView.as_view(), name="review_autosave"),
    path("<int:number>/review/preview/", review.PreviewView.as_view(), name="review_preview"),
    path(
        "<int:number>/review/<int:pk>/history/",
        review.HistoryView.as_view(),
        name="review_history",
    ),
    path("<int:number>/decline/", review.DeclineView.as_view(), name="decline"),
    path("<int:number>/external/", external.ExternalRequestView.as_view(), name="external_request"),
    path("external-requests/", external.ExternalRequestsView.as_view(), name="external_requests"),
    path(
        "external-requests/<int:pk>/decide/",
        external.ExternalDecideView.as_view(),
        name="external_decide",
    ),
]
