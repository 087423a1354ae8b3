"""The AE committee: inviting evaluators (one or a CSV), their hardware profiles."""

from django.urls import path

from artifacts.committee import views

urlpatterns = [
    path("committee/", views.CommitteeView.as_view(), name="committee"),
    path("committee/invite/", views.InviteView.as_view(), name="committee_invite"),
    path("committee/import/", views.ImportView.as_view(), name="committee_import"),
    path("committee/<int:pk>/resend/", views.ResendView.as_view(), name="committee_resend"),
    path("committee/<int:pk>/load/", views.LoadView.as_view(), name="committee_load"),
    path("hardware/", views.HardwareView.as_view(), name="hardware"),
]
