"""Chairs' discussion leads page, and the lead's "papers you lead" list and meta-review page
(namespace "reviews")."""

from django.urls import path

from reviews.meta import views

urlpatterns = [
    path("leads/", views.LeadsView.as_view(), name="leads"),
    path("leads/export/", views.LeadsExportView.as_view(), name="leads_export"),
    path("leads/auto/", views.AutoAssignLeadsView.as_view(), name="leads_auto"),
    path("leads/<int:number>/", views.AssignLeadView.as_view(), name="lead_assign"),
    path("leading/", views.LeadingView.as_view(), name="leading"),
    path("<int:number>/meta-review/", views.MetaReviewView.as_view(), name="meta_review"),
]
