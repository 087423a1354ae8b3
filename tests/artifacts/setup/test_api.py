"""The AE configuration API: settings (with dates) and badges. Reads for anyone who sees the
conference, writes only with artifacts.manage_ae (403), 404 for a conference one cannot see;
the same services and messages as the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse

from artifacts.models import AESettings, Badge
from mlsys.conferences.enums import DeadlineKind as K
from mlsys.conferences.models import Deadline
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world()


def url(world, name, **kwargs):
    return reverse(name, kwargs={"conference": world.conference.slug, **kwargs})


def test_settings_get_and_patch(api, world):
    api.force_authenticate(world.ae_chair)
    data = api.get(url(world, "api-artifacts-settings")).json()
    assert data["evaluators_per_artifact"] == 3
    assert data["dates"][K.AE_REGISTRATION] is None
    at = world.conference.deadline_map()[K.DECISION].at + timedelta(days=1)
    response = api.patch(
        url(world, "api-artifacts-settings"),
        {"evaluations_per_evaluator": 5, "dates": {K.AE_REGISTRATION: at.isoformat()}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["evaluations_per_evaluator"] == 5
    assert AESettings.objects.get(conference=world.conference).evaluations_per_evaluator == 5
    assert Deadline.objects.get(conference=world.conference, kind=K.AE_REGISTRATION).at == at


def test_settings_patch_errors_have_the_services_messages(api, world):
    api.force_authenticate(world.ae_chair)
    early = world.conference.deadline_map()[K.DECISION].at - timedelta(days=1)
    response = api.patch(
        url(world, "api-artifacts-settings"),
        {"evaluators_per_artifact": 5, "dates": {K.AE_REGISTRATION: early.isoformat()}},
        format="json",
    )
    assert response.status_code == 400
    assert AESettings.objects.get(conference=world.conference).evaluators_per_artifact == 3
    fields = response.json()["error"]["fields"]
    assert fields[K.AE_REGISTRATION] == ["Must be on or after “Decisions released”."]
    bad = api.patch(
        url(world, "api-artifacts-settings"), {"dates": {"review": None}}, format="json"
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("who", ["evaluator_a", "author"])
def test_settings_patch_is_403_without_manage_ae(api, world, who):
    api.force_authenticate(getattr(world, who))
    assert api.get(url(world, "api-artifacts-settings")).status_code == 200
    response = api.patch(url(world, "api-artifacts-settings"), {"enabled": False}, format="json")
    assert response.status_code == 403
    assert AESettings.objects.get(conference=world.conference).enabled


def test_invisible_conference_is_404(api, world):
    world.conference.is_public = False
    world.conference.save(update_fields=["is_public"])
    api.force_authenticate(world.outsider)
    assert api.get(url(world, "api-artifacts-settings")).status_code == 404
    assert api.get(url(world, "api-artifacts-badges")).status_code == 404


def test_badges_list_create_update_retire_restore(api, world):
    api.force_authenticate(world.ae_chair)
    listed = api.get(url(world, "api-artifacts-badges")).json()
    assert [b["key"] for b in listed] == ["available", "functional", "reusable", "reproduced"]
    functional = Badge.objects.get(conference=world.conference, key="functional")
    assert listed[2]["requires"] == [functional.pk]
    created = api.post(
        url(world, "api-artifacts-badges"),
        {
            "key": "replicated",
            "label": "Results Replicated",
            "colour": "#102030",
            "checklist": ["Scripts"],
            "required_fields": ["repository_url"],
            "requires": [functional.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    updated = api.patch(
        url(world, "api-artifacts-badge", pk=pk), {"label": "Replicated"}, format="json"
    )
    assert updated.json()["label"] == "Replicated"
    retired = api.post(url(world, "api-artifacts-badge-retire", pk=pk))
    assert retired.json()["active"] is False
    again = api.post(url(world, "api-artifacts-badge-retire", pk=pk))
    assert again.status_code == 400
    assert "already retired" in again.json()["error"]["message"]
    assert api.post(url(world, "api-artifacts-badge-restore", pk=pk)).json()["active"] is True


def test_badge_cycle_is_a_400_with_the_message(api, world):
    api.force_authenticate(world.ae_chair)
    functional = Badge.objects.get(conference=world.conference, key="functional")
    reusable = Badge.objects.get(conference=world.conference, key="reusable")
    response = api.patch(
        url(world, "api-artifacts-badge", pk=functional.pk),
        {"requires": [reusable.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["error"]["fields"]["requires"][0]


@pytest.mark.parametrize("who", ["evaluator_a", "author", "other_evaluator"])
def test_badge_writes_are_403_without_manage_ae(api, world, who):
    api.force_authenticate(getattr(world, who))
    badge = Badge.objects.get(conference=world.conference, key="available")
    assert api.get(url(world, "api-artifacts-badges")).status_code == 200
    assert (
        api.post(url(world, "api-artifacts-badges"), {"key": "x", "label": "X"}).status_code == 403
    )
    assert (
        api.patch(url(world, "api-artifacts-badge", pk=badge.pk), {"label": "X"}).status_code == 403
    )
    assert api.post(url(world, "api-artifacts-badge-retire", pk=badge.pk)).status_code == 403
    badge.refresh_from_db()
    assert badge.active and badge.label == "Artifacts Available"


def test_badge_of_another_conference_is_404(api, world):
    other = af.ae_conference()
    foreign = Badge.objects.get(conference=other, key="available")
    api.force_authenticate(world.ae_chair)
    response = api.patch(url(world, "api-artifacts-badge", pk=foreign.pk), {"label": "X"})
    assert response.status_code == 404
