"""The AE committee API (AE chairs and program chairs; others 404) and the evaluator's own
hardware profile (AE evaluators; others 404)."""

import pytest
from django.urls import reverse

from artifacts.models import HardwareProfile
from mlsys.conferences.models import CommitteeMembership
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world()


def url(world, name):
    return reverse(name, kwargs={"conference": world.conference.slug})


def test_committee_list(api, world):
    HardwareProfile.objects.create(user=world.evaluator_a, gpus=[{"model": "A100", "count": 2}])
    api.force_authenticate(world.program_chair)
    data = api.get(url(world, "api-artifacts-committee")).json()
    rows = {r["email"]: r for r in data["results"]}
    a = rows[world.evaluator_a.email]
    assert (a["role"], a["load_limit"], a["live_assignments"]) == ("ae_evaluator", 2, 1)
    assert a["hardware"]["gpus"] == [{"model": "A100", "count": 2}]
    assert rows[world.other_evaluator.email]["hardware"] is None


@pytest.mark.parametrize("n", [1, 10])
def test_committee_list_query_count_is_constant(api, world, n, django_assert_num_queries):
    CommitteeMembership.objects.filter(conference=world.conference, role="ae_evaluator").delete()
    for _ in range(n):
        user = af.evaluator(world.conference)
        HardwareProfile.objects.create(user=user)
    api.force_authenticate(world.ae_chair)
    # 4 of them: the viewer's conflicts (the counts leave out their conflicted artifacts).
    with django_assert_num_queries(9):
        response = api.get(url(world, "api-artifacts-committee"))
    assert response.json()["count"] == n + 2  # two AE chairs


@pytest.mark.parametrize("who", ["evaluator_a", "author", "outsider"])
def test_committee_list_is_404_for_others(api, world, who):
    api.force_authenticate(getattr(world, who))
    assert api.get(url(world, "api-artifacts-committee")).status_code == 404


def test_hardware_get_and_put(api, world):
    api.force_authenticate(world.evaluator_a)
    empty = api.get(url(world, "api-artifacts-hardware")).json()
    assert empty["gpus"] == [] and empty["cpu_cores"] is None
    body = {
        "gpus": [{"model": "H100", "count": 8}],
        "cpu_cores": 128,
        "ram_gb": 1024,
        "disk_gb": 10000,
        "cloud_credits": "",
        "cloud_gpus": False,
        "testbeds": ["Chameleon"],
        "notes": "",
    }
    response = api.put(url(world, "api-artifacts-hardware"), body, format="json")
    assert response.status_code == 200, response.content
    assert HardwareProfile.objects.get(user=world.evaluator_a).gpus == [
        {"model": "H100", "count": 8}
    ]


def test_hardware_put_bad_values_is_400_and_keeps_the_profile(api, world):
    HardwareProfile.objects.create(user=world.evaluator_a, cpu_cores=8)
    api.force_authenticate(world.evaluator_a)
    response = api.put(
        url(world, "api-artifacts-hardware"),
        {"gpus": [{"model": "A100", "count": 5000}], "cpu_cores": -1},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "gpus" in fields and "cpu_cores" in fields
    assert HardwareProfile.objects.get(user=world.evaluator_a).cpu_cores == 8


@pytest.mark.parametrize("who", ["ae_chair", "author", "outsider"])
def test_hardware_is_404_for_non_evaluators(api, world, who):
    api.force_authenticate(getattr(world, who))
    assert api.get(url(world, "api-artifacts-hardware")).status_code == 404
    assert api.put(url(world, "api-artifacts-hardware"), {}, format="json").status_code == 404
