from django.urls import path

from artifacts.evaluation import views

A = "<int:number>/"
urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("overview/export.csv", views.OverviewExportView.as_view(), name="overview_export"),
    path("overview/bulk/", views.OverviewBulkView.as_view(), name="overview_bulk"),
    path(f"{A}thread/<str:thread>/", views.MessageView.as_view(), name="post_message"),
    path(f"{A}kick-the-tires/check/", views.KickCheckView.as_view(), name="kick_check"),
    path(f"{A}kick-the-tires/message/", views.KickMessageView.as_view(), name="kick_message"),
    path(f"{A}kick-the-tires/answer/", views.KickAnswerView.as_view(), name="kick_answer"),
    path(f"{A}evaluation/", views.EvaluationView.as_view(), name="save_evaluation"),
    path(f"{A}lead/", views.LeadView.as_view(), name="set_lead"),
    path(f"{A}proposal/", views.ProposalView.as_view(), name="propose_badges"),
    path(f"{A}decision/", views.DecisionView.as_view(), name="decide_badges"),
    path(f"{A}reopen/", views.ReopenView.as_view(), name="reopen_decision"),
    path(f"{A}publish/", views.PublishView.as_view(), name="publish_badges"),
    path(f"{A}advance/", views.AdvanceView.as_view(), name="advance_artifact"),
]
