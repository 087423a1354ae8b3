"""Oversized input (issue 12): refused with a sentence, nothing stored, no 500."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from artifacts.models import Artifact, ArtifactMessage
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_login(user)
    return api


def test_a_huge_message_is_refused():
    w = af.artifact_world()
    url = reverse(
        "api-artifact-messages",
        kwargs={
            "conference": w.conference.slug,
            "number": w.artifact.submission.number,
            "thread": "authors",
        },
    )
    response = _api(w.author).post(url, {"body": "x" * 1_000_001}, format="json")
    assert response.status_code == 400
    assert not ArtifactMessage.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("summary", "x" * 1_000_000),
        ("access_instructions", "y" * 1_000_000),
        ("access_secret", "z" * 100_000),
        ("special_hardware", ["gpu"] * 10_000),
        ("experiments", [{"name": "e", "human_minutes": 1, "compute_hours": 1}] * 10_000),
        ("repository_url", "https://github.com/" + "a" * 10_000),
        ("gpu_count", 10**30),
    ],
)
def test_huge_registration_fields_are_refused(field, value):
    w = af.artifact_world(status="registered")
    url = reverse(
        "api-artifact",
        kwargs={"conference": w.conference.slug, "number": w.artifact.submission.number},
    )
    response = _api(w.author).patch(
        url, {field: value, "revision": w.artifact.revision}, format="json"
    )
    assert response.status_code == 400, response.content[:300]
    assert Artifact.objects.get(pk=w.artifact.pk).revision == w.artifact.revision
