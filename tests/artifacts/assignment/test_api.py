"""The bidding and assignment API: evaluators' bids and "mine"; chairs' assignments, run and
commit (stale refused), removal with the work as a 409; refused roles everywhere."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from artifacts.models import ArtifactBid, EvaluatorAssignment, KickTheTiresCheck
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world(status="submitted")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def u(world, name, **kw):
    return reverse(name, kwargs={"conference": world.conference.slug, **kw})


def test_evaluator_lists_and_places_bids(world):
    world.artifact.access_instructions = "ssh secret-host"
    world.artifact.save()
    client = api(world.other_evaluator)
    listing = client.get(u(world, "api-artifact-bids")).json()
    [row] = listing["results"]
    assert row["number"] == world.artifact.submission.number
    assert row["bid"] is None and row["fits"] is True
    assert "secret-host" not in str(listing)
    target = u(world, "api-artifact-bid", number=world.artifact.submission.number)
    assert client.put(target, {"preference": "eager"}, format="json").json() == {
        "preference": "eager"
    }
    assert client.put(target, {"preference": "nope"}, format="json").status_code == 400
    assert client.put(target, {"preference": "conflict"}, format="json").status_code == 200
    assert client.get(u(world, "api-artifact-bids")).json()["results"] == []
    assert client.put(target, {"preference": "eager"}, format="json").status_code == 404
    assert ArtifactBid.objects.get(user=world.other_evaluator).preference == "conflict"


def test_mine_lists_only_my_live_assignments(world):
    rows = api(world.evaluator_a).get(u(world, "api-artifacts-mine")).json()["results"]
    assert [(r["number"], r["alias"]) for r in rows] == [
        (world.artifact.submission.number, "Evaluator A")
    ]
    assert api(world.other_evaluator).get(u(world, "api-artifacts-mine")).json()["results"] == []


@pytest.mark.parametrize("who", ["outsider", "author", "ae_chair"])
def test_evaluator_endpoints_refuse_others(world, who):
    client = api(getattr(world, who))
    assert client.get(u(world, "api-artifact-bids")).status_code == 404
    assert client.get(u(world, "api-artifacts-mine")).status_code == 404
    target = u(world, "api-artifact-bid", number=world.artifact.submission.number)
    assert client.put(target, {"preference": "eager"}, format="json").status_code == 404
    assert not ArtifactBid.objects.exists()


def test_chair_lists_adds_and_removes(world):
    client = api(world.ae_chair)
    rows = client.get(u(world, "api-artifact-assignments")).json()["results"]
    assert {r["name"] for r in rows} == {world.evaluator_a.name, world.evaluator_b.name}
    created = client.post(
        u(world, "api-artifact-assignments"),
        {"number": world.artifact.submission.number, "evaluator": world.other_evaluator.pk},
        format="json",
    )
    assert created.status_code == 201 and created.json()["alias"] == "C"
    gone = client.delete(u(world, "api-artifact-assignment", pk=created.json()["id"]))
    assert gone.json() == {"outcome": "deleted"}
    assert not EvaluatorAssignment.objects.filter(evaluator=world.other_evaluator).exists()


def test_removing_with_work_is_a_409_naming_the_work(world):
    a = EvaluatorAssignment.objects.get(evaluator=world.evaluator_a)
    KickTheTiresCheck.objects.create(assignment=a)
    client = api(world.ae_chair)
    target = u(world, "api-artifact-assignment", pk=a.pk)
    refused = client.delete(target)
    assert refused.status_code == 409
    assert refused.json()["error"]["current"]["work"] == ["a kick-the-tires checklist in progress"]
    a.refresh_from_db()
    assert a.removed_at is None
    assert client.delete(target, {"confirm": True}, format="json").json() == {"outcome": "retired"}
    a.refresh_from_db()
    assert a.removed_at is not None


def test_a_misfit_needs_an_override(world):
    world.artifact.gpu_count = 2
    world.artifact.save()
    client = api(world.ae_chair)
    data = {"number": world.artifact.submission.number, "evaluator": world.other_evaluator.pk}
    refused = client.post(u(world, "api-artifact-assignments"), data, format="json")
    assert refused.status_code == 400
    assert "Give a reason" in refused.json()["error"]["message"]
    ok = client.post(
        u(world, "api-artifact-assignments"), {**data, "override": "lab GPUs"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["fits"] is False


def test_run_and_commit_and_stale(world):
    client = api(world.ae_chair)
    run = client.post(u(world, "api-artifact-assignment-run")).json()
    assert [p["evaluator"] for p in run["pairs"]] == [world.other_evaluator.pk]
    body = {
        "pairs": [{"artifact": p["artifact"], "evaluator": p["evaluator"]} for p in run["pairs"]],
        "digest": run["digest"],
    }
    ArtifactBid.objects.create(
        artifact=world.artifact, user=world.other_evaluator, preference="willing"
    )
    stale = client.post(u(world, "api-artifact-assignment-commit"), body, format="json")
    assert stale.status_code == 400
    assert "changed since this preview" in stale.json()["error"]["message"]
    run = client.post(u(world, "api-artifact-assignment-run")).json()
    body["digest"] = run["digest"]
    done = client.post(u(world, "api-artifact-assignment-commit"), body, format="json")
    assert done.json() == {"created": 1}


def test_kick_the_tires_endpoint_reports_skips(world):
    client = api(world.ae_chair)
    answer = client.post(
        u(world, "api-artifact-kick-the-tires"),
        {"numbers": [world.artifact.submission.number]},
        format="json",
    ).json()
    assert answer["started"] == []
    assert answer["skipped"] == [
        {"number": world.artifact.submission.number, "reason": "It has 2 of its 3 evaluators."}
    ]


def test_a_conflicted_chair_sees_and_touches_none_of_its_evaluators(world):
    client = api(world.conflicted_ae_chair)
    assert client.get(u(world, "api-artifact-assignments")).json()["results"] == []
    a = EvaluatorAssignment.objects.get(evaluator=world.evaluator_a)
    assert client.delete(u(world, "api-artifact-assignment", pk=a.pk)).status_code == 404
    added = client.post(
        u(world, "api-artifact-assignments"),
        {"number": world.artifact.submission.number, "evaluator": world.other_evaluator.pk},
        format="json",
    )
    assert added.status_code == 404
    run = client.post(u(world, "api-artifact-assignment-run")).json()
    assert run["pairs"] == [] and run["hidden"] == 1
    answer = client.post(
        u(world, "api-artifact-kick-the-tires"), {"all": True}, format="json"
    ).json()
    assert answer["started"] == []
    assert EvaluatorAssignment.objects.count() == 2


@pytest.mark.parametrize("who", ["outsider", "author", "evaluator_a", "other_evaluator"])
def test_chair_endpoints_refuse_others(world, who):
    client = api(getattr(world, who))
    a = EvaluatorAssignment.objects.get(evaluator=world.evaluator_a)
    assert client.get(u(world, "api-artifact-assignments")).status_code == 404
    assert client.post(u(world, "api-artifact-assignments"), {}, format="json").status_code == 404
    assert client.delete(u(world, "api-artifact-assignment", pk=a.pk)).status_code == 404
    assert client.post(u(world, "api-artifact-assignment-run")).status_code == 404
    assert (
        client.post(u(world, "api-artifact-assignment-commit"), {}, format="json").status_code
        == 404
    )
    assert (
        client.post(u(world, "api-artifact-kick-the-tires"), {}, format="json").status_code == 404
    )
    assert EvaluatorAssignment.objects.count() == 2


def test_an_archived_conference_is_read_only(world):
    from django.utils import timezone

    type(world.conference).objects.filter(pk=world.conference.pk).update(archived_at=timezone.now())
    chair = api(world.ae_chair)
    assert chair.get(u(world, "api-artifact-assignments")).status_code == 200
    assert chair.post(u(world, "api-artifact-assignment-run")).status_code == 403
    target = u(world, "api-artifact-bid", number=world.artifact.submission.number)
    put = api(world.other_evaluator).put(target, {"preference": "eager"}, format="json")
    assert put.status_code == 403
    assert not ArtifactBid.objects.exists()
