"""External reviewer requests: a reviewer's request and the chairs' decisions (namespace
"reviews")."""

from django.urls import path

from reviews.external import views

urlpatterns = [
    path("<int:number>/external/", views.ExternalRequestView.as_view(), name="external_request"),
    path("external-requests/", views.ExternalRequestsView.as_view(), name="external_requests"),
    path(
        "external-requests/<int:pk>/decide/",
        views.ExternalDecideView.as_view(),
        name="external_decide",
    ),
]
