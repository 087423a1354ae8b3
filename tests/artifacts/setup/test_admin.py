"""The artifacts models in the Django admin: listed and viewable, never added, changed or
deleted there (the services behind the pages do that); the access secret is never shown."""

import pytest
from django.urls import reverse

from artifacts.models import Badge
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db

MODELS = [
    "aesettings",
    "badge",
    "hardwareprofile",
    "artifact",
    "requestedbadge",
    "evaluatorassignment",
    "artifactbid",
    "evaluation",
    "badgeverdict",
    "artifactmessage",
]


@pytest.fixture
def admin_client(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load(admin_client, model):
    af.artifact_world()
    assert admin_client.get(reverse(f"admin:artifacts_{model}_changelist")).status_code == 200


def test_read_only(admin_client):
    world = af.artifact_world()
    badge = Badge.objects.filter(conference=world.conference).first()
    assert admin_client.get(reverse("admin:artifacts_badge_add")).status_code == 403
    delete = reverse("admin:artifacts_badge_delete", args=[badge.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:artifacts_badge_change", args=[badge.pk])
    admin_client.post(change, {"label": "Changed"})
    badge.refresh_from_db()
    assert badge.label != "Changed"
    page = admin_client.get(reverse("admin:artifacts_artifact_change", args=[world.artifact.pk]))
    assert page.status_code == 200 and "access_secret" not in page.content.decode()
