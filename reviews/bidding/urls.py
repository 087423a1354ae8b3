"""The PC member's bidding page and bid endpoint (namespace "reviews")."""

from django.urls import path

from reviews.bidding import views

urlpatterns = [
    path("bidding/", views.BiddingView.as_view(), name="bidding"),
    path("bidding/<int:number>/bid/", views.BidView.as_view(), name="bid"),
]
