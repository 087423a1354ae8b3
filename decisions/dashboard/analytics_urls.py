"""Routes of the plots, threshold, consistency and meeting pages (namespace ``decisions``),
included by decisions/urls.py next to the dashboard's own."""

from django.urls import path

from decisions.dashboard import analytics_views as views

urlpatterns = [
    path("plots/", views.PlotsView.as_view(), name="plots"),
    path("threshold/", views.ThresholdView.as_view(), name="threshold"),
    path("threshold/apply/", views.ThresholdApplyView.as_view(), name="threshold_apply"),
    path("consistency/", views.ConsistencyView.as_view(), name="consistency"),
    path("meeting/", views.MeetingView.as_view(), name="meeting"),
    path("meeting/where/", views.MeetingWhereView.as_view(), name="meeting_where"),
    path("meeting/start/", views.MeetingStartView.as_view(), name="meeting_start"),
    path("meeting/move/", views.MeetingMoveView.as_view(), name="meeting_move"),
    path("meeting/<int:number>/decide/", views.MeetingDecideView.as_view(), name="meeting_decide"),
]
