"""The artifacts API under /api/v1/conferences/<slug>/ (global url names api-artifact*): every
route of the artifacts app is listed here; the viewsets live in the workflow packages' api.py."""

from django.urls import path

from artifacts.assignment.api import AssignmentViewSet, BidViewSet, MineViewSet
from artifacts.badges.api import BadgeExportViewSet, ResultsViewSet, StampViewSet
from artifacts.committee.api import CommitteeViewSet, HardwareViewSet
from artifacts.evaluation.api import EvaluationViewSet
from artifacts.registration.api import ArtifactRegistrationViewSet as Registration
from artifacts.setup.api import BadgeViewSet, SettingsViewSet

ARTIFACT = "artifacts/<int:number>/"
E = EvaluationViewSet
urlpatterns: list = [
    # Settings, badges, committee (artifacts/setup/api.py, artifacts/committee/api.py)
    path(
        "artifacts/settings/",
        SettingsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-artifacts-settings",
    ),
    path(
        "artifacts/badges/",
        BadgeViewSet.as_view({"get": "list", "post": "create"}),
        name="api-artifacts-badges",
    ),
    path(
        "artifacts/badges/<int:pk>/",
        BadgeViewSet.as_view({"patch": "partial_update"}),
        name="api-artifacts-badge",
    ),
    path(
        "artifacts/badges/<int:pk>/retire/",
        BadgeViewSet.as_view({"post": "retire"}),
        name="api-artifacts-badge-retire",
    ),
    path(
        "artifacts/badges/<int:pk>/restore/",
        BadgeViewSet.as_view({"post": "restore"}),
        name="api-artifacts-badge-restore",
    ),
    path(
        "artifacts/committee/",
        CommitteeViewSet.as_view({"get": "list"}),
        name="api-artifacts-committee",
    ),
    path(
        "artifacts/hardware/",
        HardwareViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="api-artifacts-hardware",
    ),
    # Bidding and assignment (artifacts/assignment/api.py)
    path("artifacts/bids/", BidViewSet.as_view({"get": "list"}), name="api-artifact-bids"),
    path(
        "artifacts/bids/<int:number>/",
        BidViewSet.as_view({"put": "update"}),
        name="api-artifact-bid",
    ),
    path("artifacts/mine/", MineViewSet.as_view({"get": "list"}), name="api-artifacts-mine"),
    path(
        "artifacts/assignments/",
        AssignmentViewSet.as_view({"get": "list", "post": "create"}),
        name="api-artifact-assignments",
    ),
    path(
        "artifacts/assignments/<int:pk>/",
        AssignmentViewSet.as_view({"delete": "destroy"}),
        name="api-artifact-assignment",
    ),
    path(
        "artifacts/assignments/run/",
        AssignmentViewSet.as_view({"post": "run"}),
        name="api-artifact-assignment-run",
    ),
    path(
        "artifacts/assignments/commit/",
        AssignmentViewSet.as_view({"post": "commit"}),
        name="api-artifact-assignment-commit",
    ),
    path(
        "artifacts/assignments/kick-the-tires/",
        AssignmentViewSet.as_view({"post": "kick_the_tires"}),
        name="api-artifact-kick-the-tires",
    ),
    # Registration (artifacts/registration/api.py)
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
    # Evaluation (artifacts/evaluation/api.py)
    path(
        f"{ARTIFACT}threads/<str:thread>/messages/",
        E.as_view({"get": "messages", "post": "post_message"}),
        name="api-artifact-messages",
    ),
    path(
        f"{ARTIFACT}kick-the-tires/",
        E.as_view({"get": "kick_check", "put": "save_kick_check"}),
        name="api-artifact-kick-check",
    ),
    path(
        f"{ARTIFACT}kick-the-tires/message/",
        E.as_view({"post": "kick_message"}),
        name="api-artifact-kick-message",
    ),
    path(
        f"{ARTIFACT}kick-the-tires/answer/",
        E.as_view({"post": "kick_answer"}),
        name="api-artifact-kick-answer",
    ),
    path(
        f"{ARTIFACT}evaluation/",
        E.as_view({"get": "evaluation", "put": "save_evaluation"}),
        name="api-artifact-evaluation",
    ),
    path(
        f"{ARTIFACT}evaluation/submit/",
        E.as_view({"post": "submit_evaluation"}),
        name="api-artifact-evaluation-submit",
    ),
    path(f"{ARTIFACT}proposal/", E.as_view({"put": "proposal"}), name="api-artifact-proposal"),
    path(f"{ARTIFACT}decision/", E.as_view({"post": "decision"}), name="api-artifact-decision"),
    path(f"{ARTIFACT}publish/", E.as_view({"post": "publish"}), name="api-artifact-publish"),
    # Results, badge metadata, the stamped camera-ready (artifacts/badges/api.py)
    path(
        "artifacts/results/",
        ResultsViewSet.as_view({"get": "list"}),
        name="api-artifact-results",
    ),
    path(
        "artifacts/results/<int:number>/",
        ResultsViewSet.as_view({"get": "retrieve"}),
        name="api-artifact-paper-results",
    ),
    path(
        "artifacts/badges/export/",
        BadgeExportViewSet.as_view({"get": "list"}),
        name="api-artifact-badge-export",
    ),
    path(
        "artifacts/badges/export/csv/",
        BadgeExportViewSet.as_view({"get": "csv"}),
        name="api-artifact-badge-export-csv",
    ),
    path(
        f"{ARTIFACT}stamp/",
        StampViewSet.as_view({"get": "retrieve", "post": "create"}),
        name="api-artifact-stamp",
    ),
]
