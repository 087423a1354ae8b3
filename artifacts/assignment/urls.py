"""Bidding, "My artifacts" and the AE chairs' assignment pages (namespace "artifacts")."""

from django.urls import path

from artifacts.assignment import views

urlpatterns = [
    path("bidding/", views.BiddingView.as_view(), name="bidding"),
    path("bidding/<int:number>/bid/", views.BidView.as_view(), name="bid"),
    path("mine/", views.MyArtifactsView.as_view(), name="mine"),
    path("assignment/", views.AssignmentView.as_view(), name="assignment"),
    path("assignment/run/", views.RunView.as_view(), name="assignment_run"),
    path("assignment/commit/", views.CommitView.as_view(), name="assignment_commit"),
    path(
        "assignment/kick-the-tires/",
        views.StartKickTheTiresView.as_view(),
        name="assignment_kick_the_tires",
    ),
    path(
        "assignment/<int:number>/",
        views.ArtifactAssignmentView.as_view(),
        name="assignment_artifact",
    ),
    path(
        "assignment/<int:number>/add/",
        views.AddEvaluatorView.as_view(),
        name="assignment_add",
    ),
    path(
        "assignment/<int:number>/remove/<int:pk>/",
        views.RemoveEvaluatorView.as_view(),
        name="assignment_remove",
    ),
]
