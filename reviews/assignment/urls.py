"""The chairs' assignment pages (namespace "reviews")."""

from django.urls import path

from reviews.assignment import exports, views

urlpatterns = [
    path("assignment/", views.AssignmentHomeView.as_view(), name="assignment"),
    path("assignment/export/", exports.AssignmentExportView.as_view(), name="assignment_export"),
    path("assignment/solve/", views.SolveView.as_view(), name="assignment_solve"),
    path("assignment/release/", views.ReleaseView.as_view(), name="assignment_release"),
    path("assignment/proposals/<int:pk>/", views.ProposalView.as_view(), name="proposal"),
    path(
        "assignment/proposals/<int:pk>/export/",
        exports.ProposalExportView.as_view(),
        name="proposal_export",
    ),
    path(
        "assignment/proposals/<int:pk>/progress/",
        views.ProposalProgressView.as_view(),
        name="proposal_progress",
    ),
    path(
        "assignment/proposals/<int:pk>/commit/",
        views.ProposalActionView.as_view(action="commit"),
        name="proposal_commit",
    ),
    path(
        "assignment/proposals/<int:pk>/undo/",
        views.UndoCommitView.as_view(),
        name="proposal_undo",
    ),
    path(
        "assignment/proposals/<int:pk>/discard/",
        views.ProposalActionView.as_view(action="discard"),
        name="proposal_discard",
    ),
    path(
        "assignment/proposals/<int:pk>/pairs/<int:pair>/remove/",
        views.ProposalActionView.as_view(action="remove"),
        name="proposal_remove",
    ),
    path(
        "assignment/proposals/<int:pk>/pairs/<int:pair>/swap/",
        views.PickReviewerView.as_view(mode="swap"),
        name="proposal_swap",
    ),
    path(
        "assignment/proposals/<int:pk>/papers/<int:number>/add/",
        views.PickReviewerView.as_view(mode="add"),
        name="proposal_add",
    ),
    path(
        "assignment/papers/<int:number>/",
        views.PickReviewerView.as_view(mode="manual"),
        name="assignment_paper",
    ),
    path(
        "assignment/papers/<int:number>/remove/<int:pk>/",
        views.RemoveAssignmentView.as_view(),
        name="assignment_remove",
    ),
    path(
        "assignment/papers/<int:number>/removed/<int:pk>/restore/",
        views.RemovedAssignmentActionView.as_view(action="restore"),
        name="assignment_restore",
    ),
    path(
        "assignment/papers/<int:number>/removed/<int:pk>/keep/",
        views.RemovedAssignmentActionView.as_view(action="keep"),
        name="assignment_keep_review",
    ),
    path(
        "assignment/papers/<int:number>/removed/<int:pk>/set-aside/",
        views.RemovedAssignmentActionView.as_view(action="set_aside"),
        name="assignment_set_aside_review",
    ),
]
