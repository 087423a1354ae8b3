"""Chairs' discussion leads and progress pages, and the lead's "papers you lead" list and
meta-review page (namespace "reviews")."""

from django.urls import path

from reviews.views import leading, meta, progress

urlpatterns = [
    path("leads/", meta.LeadsView.as_view(), name="leads"),
    path("leads/auto/", meta.AutoAssignLeadsView.as_view(), name="leads_auto"),
    path("leads/<int:number>/", meta.AssignLeadView.as_view(), name="lead_assign"),
    path("leading/", leading.LeadingView.as_view(), name="leading"),
    path("<int:number>/meta-review/", meta.MetaReviewView.as_view(), name="meta_review"),
    path("progress/", progress.ProgressView.as_view(), name="progress"),
    path("progress/remind/", progress.RemindView.as_view(), name="progress_remind"),
]
