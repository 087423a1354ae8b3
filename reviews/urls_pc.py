"""The PC member's side of reviewing: their profile for the conference and bidding."""

from django.urls import path

from reviews.views import bidding, profile

urlpatterns = [
    path("profile/", profile.ProfileView.as_view(), name="profile"),
    path(
        "profile/expertise/<int:pk>/",
        profile.ExpertiseEditView.as_view(),
        name="expertise_edit",
    ),
    path(
        "profile/expertise/<int:pk>/delete/",
        profile.ExpertiseDeleteView.as_view(),
        name="expertise_delete",
    ),
    path("bidding/", bidding.BiddingView.as_view(), name="bidding"),
    path("bidding/<int:number>/bid/", bidding.BidView.as_view(), name="bid"),
]
