"""The artifacts API under /api/v1/conferences/<slug>/ (global url names api-artifact-*): every
route of the artifacts app is listed here; the viewsets live in the workflow packages' api.py."""

from django.urls import path

from artifacts.registration.api import ArtifactRegistrationViewSet as Registration

ARTIFACT = "artifacts/<int:number>/"
urlpatterns: list = [
    path(
        ARTIFACT,
        Registration.as_view({"get": "retrieve", "post": "create", "patch": "partial_update"}),
        name="api-artifact",
    ),
    path(
        f"{ARTIFACT}submit/", Registration.as_view({"post": "submit"}), name="api-artifact-submit"
    ),
    path(
        f"{ARTIFACT}withdraw/",
        Registration.as_view({"post": "withdraw"}),
        name="api-artifact-withdraw",
    ),
    path(
        f"{ARTIFACT}return/",
        Registration.as_view({"post": "return_to_authors"}),
        name="api-artifact-return",
    ),
    path(
        f"{ARTIFACT}appendix/",
        Registration.as_view({"post": "appendix"}),
        name="api-artifact-appendix",
    ),
    path(
        f"{ARTIFACT}smoke-checks/",
        Registration.as_view({"get": "smoke_checks", "post": "smoke_checks"}),
        name="api-artifact-smoke-checks",
    ),
]
