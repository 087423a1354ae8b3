"""The artifacts API under /api/v1/conferences/<slug>/ (global url names api-*): every route of
the artifacts app is listed here; the viewsets live in the workflow packages' api.py."""

from django.urls import path

from artifacts.evaluation.api import EvaluationViewSet

ARTIFACT = "artifacts/<int:number>/"
E = EvaluationViewSet
urlpatterns: list = [
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
]
