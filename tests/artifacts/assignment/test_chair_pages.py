"""The AE chairs' assignment pages: the overview (names for unconflicted chairs only), run →
preview → confirm (a stale preview refused), add by hand (misfits need a reason, conflicted
evaluators never offered), removal with and without work, kick-the-tires start; refused
roles; constant queries."""

import pytest
from django.core import mail
from django.urls import reverse

from artifacts.models import (
    AESettings,
    ArtifactBid,
    EvaluatorAssignment,
    HardwareProfile,
    KickTheTiresCheck,
)
from mlsys.core.models import AuditEvent
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world(status="submitted")


def url(world, name, **kw):
    return reverse(name, kwargs={"conference": world.conference.slug, **kw})


def number(world):
    return world.artifact.submission.number


# --- The overview --------------------------------------------------------------------------


def test_overview_names_evaluators_for_an_unconflicted_chair(client, world):
    client.force_login(world.ae_chair)
    page = client.get(url(world, "artifacts:assignment")).content.decode()
    assert world.evaluator_a.name in page and world.evaluator_b.name in page
    assert world.artifact.submission.title in page


def test_a_conflicted_chair_sees_the_artifact_but_not_its_evaluators(client, world):
    client.force_login(world.conflicted_ae_chair)
    page = client.get(url(world, "artifacts:assignment")).content.decode()
    assert world.artifact.submission.title in page
    assert "You are conflicted with this paper" in page
    assert world.evaluator_a.name not in page and world.evaluator_b.name not in page
    page = url(world, "artifacts:assignment_artifact", number=number(world))
    assert client.get(page).status_code == 404
    add = url(world, "artifacts:assignment_add", number=number(world))
    assert client.post(add, {"evaluator": world.other_evaluator.pk}).status_code == 404
    pk = world.artifact.assignments.first().pk
    remove = url(world, "artifacts:assignment_remove", number=number(world), pk=pk)
    assert client.get(remove).status_code == 404
    assert client.post(remove, {"confirm": "yes"}).status_code == 404
    assert world.artifact.assignments.count() == 2


@pytest.mark.parametrize("who", ["outsider", "author", "evaluator_a", "other_evaluator"])
def test_chair_pages_are_refused_to_others(client, world, who):
    client.force_login(getattr(world, who))
    pk = world.artifact.assignments.first().pk
    for name, kw in [
        ("artifacts:assignment", {}),
        ("artifacts:assignment_artifact", {"number": number(world)}),
        ("artifacts:assignment_remove", {"number": number(world), "pk": pk}),
    ]:
        assert client.get(url(world, name, **kw)).status_code == 404
    for name, kw in [
        ("artifacts:assignment_run", {}),
        ("artifacts:assignment_commit", {}),
        ("artifacts:assignment_kick_the_tires", {}),
        ("artifacts:assignment_add", {"number": number(world)}),
        ("artifacts:assignment_remove", {"number": number(world), "pk": pk}),
    ]:
        assert client.post(url(world, name, **kw), {"all": "1"}).status_code == 404
    assert world.artifact.assignments.count() == 2
    assert world.artifact.status == "submitted"


def _conference_with(n):
    conference = af.ae_conference()
    chair = af.ae_chair(conference)
    for _ in range(n):
        artifact = af.ArtifactFactory(conference=conference, status="submitted")
        af.EvaluatorAssignmentFactory(artifact=artifact)
        af.EvaluatorAssignmentFactory(artifact=artifact)
    return conference, chair


@pytest.mark.parametrize("n", [1, 10])
def test_overview_queries_are_constant(client, django_assert_num_queries, n):
    conference, chair = _conference_with(n)
    client.force_login(chair)
    target = reverse("artifacts:assignment", kwargs={"conference": conference.slug})
    client.get(target)
    with django_assert_num_queries(22):
        response = client.get(target)
    assert response.status_code == 200


# --- Run, preview, confirm -----------------------------------------------------------------


def test_run_preview_and_confirm(client, world, django_capture_on_commit_callbacks):
    AESettings.objects.filter(conference=world.conference).update(evaluators_per_artifact=3)
    client.force_login(world.ae_chair)
    preview = client.post(url(world, "artifacts:assignment_run"))
    assert preview.status_code == 200
    body = preview.content.decode()
    assert world.other_evaluator.name in body
    assert EvaluatorAssignment.objects.count() == 2  # nothing stored by a run
    form = preview.context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(world, "artifacts:assignment_commit"),
            {"pairs": form.initial["pairs"], "digest": form.initial["digest"]},
        )
    assert response.status_code == 302
    added = EvaluatorAssignment.objects.get(evaluator=world.other_evaluator)
    assert added.alias == "C"
    assert [m.to for m in mail.outbox] == [[world.other_evaluator.email.lower()]]


def test_a_stale_preview_is_refused_by_the_page(client, world):
    client.force_login(world.ae_chair)
    preview = client.post(url(world, "artifacts:assignment_run"))
    form = preview.context["form"]
    ArtifactBid.objects.create(
        artifact=world.artifact, user=world.other_evaluator, preference="conflict"
    )
    response = client.post(
        url(world, "artifacts:assignment_commit"),
        {"pairs": form.initial["pairs"], "digest": form.initial["digest"]},
        follow=True,
    )
    assert "changed since this preview" in response.content.decode()
    assert EvaluatorAssignment.objects.count() == 2


def test_a_damaged_commit_is_refused(client, world):
    client.force_login(world.ae_chair)
    response = client.post(
        url(world, "artifacts:assignment_commit"), {"pairs": "1:x", "digest": "abc"}, follow=True
    )
    assert "damaged" in response.content.decode()


# --- By hand -------------------------------------------------------------------------------


def test_add_a_fitting_evaluator_by_hand(client, world):
    client.force_login(world.ae_chair)
    page = client.get(url(world, "artifacts:assignment_artifact", number=number(world)))
    assert world.other_evaluator.name in page.content.decode()
    response = client.post(
        url(world, "artifacts:assignment_add", number=number(world)),
        {"evaluator": world.other_evaluator.pk},
    )
    assert response.status_code == 302
    assert EvaluatorAssignment.objects.get(evaluator=world.other_evaluator).alias == "C"
    assert AuditEvent.objects.filter(action="artifacts.evaluator_assigned").exists()


def test_a_misfit_needs_a_reason(client, world):
    world.artifact.gpu_count = 1
    world.artifact.save()
    client.force_login(world.ae_chair)
    target = url(world, "artifacts:assignment_add", number=number(world))
    response = client.post(target, {"evaluator": world.other_evaluator.pk})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert not EvaluatorAssignment.objects.filter(evaluator=world.other_evaluator).exists()
    response = client.post(
        target, {"evaluator": world.other_evaluator.pk, "override": "Has a lab GPU"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="artifacts.evaluator_assigned")
    assert "Has a lab GPU" in event.note


def test_conflicted_evaluators_are_not_offered_nor_added(client, world):
    f.ConflictFactory(submission=world.artifact.submission, user=world.other_evaluator)
    client.force_login(world.ae_chair)
    page = client.get(url(world, "artifacts:assignment_artifact", number=number(world)))
    assert world.other_evaluator.name not in page.content.decode()
    response = client.post(
        url(world, "artifacts:assignment_add", number=number(world)),
        {"evaluator": world.other_evaluator.pk},
    )
    assert response.status_code == 400
    assert not EvaluatorAssignment.objects.filter(evaluator=world.other_evaluator).exists()


def test_remove_without_work_deletes(client, world):
    client.force_login(world.ae_chair)
    a = EvaluatorAssignment.objects.get(evaluator=world.evaluator_b)
    target = url(world, "artifacts:assignment_remove", number=number(world), pk=a.pk)
    assert client.post(target).status_code == 302
    assert not EvaluatorAssignment.objects.filter(pk=a.pk).exists()
    assert AuditEvent.objects.filter(action="artifacts.evaluator_removed").exists()


def test_remove_with_work_confirms_then_retires(client, world):
    client.force_login(world.ae_chair)
    a = EvaluatorAssignment.objects.get(evaluator=world.evaluator_a)
    KickTheTiresCheck.objects.create(assignment=a, answers={"claims": True})
    af.ArtifactMessageFactory(
        artifact=world.artifact, sender=world.evaluator_a, sender_role="evaluator"
    )
    target = url(world, "artifacts:assignment_remove", number=number(world), pk=a.pk)
    page = client.post(target)
    assert page.status_code == 200
    body = page.content.decode()
    assert "kick-the-tires checklist in progress" in body
    assert "1 message in the" in body
    a.refresh_from_db()
    assert a.removed_at is None
    assert client.get(target).status_code == 200  # the confirmation again, changing nothing
    assert client.post(target, {"confirm": "yes"}).status_code == 302
    a.refresh_from_db()
    assert a.removed_at is not None and a.removed_by == world.ae_chair
    assert KickTheTiresCheck.objects.filter(assignment=a).exists()
    # Re-adding restores the same letter.
    client.post(
        url(world, "artifacts:assignment_add", number=number(world)),
        {"evaluator": world.evaluator_a.pk},
    )
    a.refresh_from_db()
    assert a.removed_at is None and a.alias == "A"


# --- Kick-the-tires ------------------------------------------------------------------------


def test_start_kick_the_tires_skips_artifacts_without_enough_evaluators(
    client, world, django_capture_on_commit_callbacks
):
    AESettings.objects.filter(conference=world.conference).update(evaluators_per_artifact=2)
    short = af.ArtifactFactory(conference=world.conference, status="submitted")
    client.force_login(world.ae_chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(world, "artifacts:assignment_kick_the_tires"), {"all": "1"}, follow=True
        )
    body = response.content.decode()
    world.artifact.refresh_from_db()
    short.refresh_from_db()
    assert world.artifact.status == "kick_the_tires"
    assert short.status == "submitted"
    assert "It has 0 of its 2 evaluators" in body
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.evaluator_a.email.lower(), world.evaluator_b.email.lower()]
    )


def test_a_conflicted_chair_cannot_start_kick_the_tires(client, world):
    AESettings.objects.filter(conference=world.conference).update(evaluators_per_artifact=2)
    client.force_login(world.conflicted_ae_chair)
    response = client.post(
        url(world, "artifacts:assignment_kick_the_tires"),
        {"artifact": world.artifact.pk},
        follow=True,
    )
    world.artifact.refresh_from_db()
    assert world.artifact.status == "submitted"
    assert "skipped" in response.content.decode()


def test_hardware_profiles_are_read_for_fit(client, world):
    HardwareProfile.objects.create(user=world.other_evaluator, testbeds=["CloudLab"])
    world.artifact.special_hardware = ["CloudLab"]
    world.artifact.save()
    client.force_login(world.ae_chair)
    page = client.get(url(world, "artifacts:assignment_artifact", number=number(world)))
    fitting = [e["evaluator"].user for e in page.context["fitting"]]
    assert fitting == [world.other_evaluator]


def test_start_kick_the_tires_for_one_artifact(client, world):
    AESettings.objects.filter(conference=world.conference).update(evaluators_per_artifact=2)
    client.force_login(world.ae_chair)
    page = url(world, "artifacts:assignment_artifact", number=number(world))
    assert "Start kick-the-tires" in client.get(page).content.decode()
    response = client.post(
        url(world, "artifacts:assignment_kick_the_tires"),
        {"artifact": world.artifact.pk, "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page
    world.artifact.refresh_from_db()
    assert world.artifact.status == "kick_the_tires"
