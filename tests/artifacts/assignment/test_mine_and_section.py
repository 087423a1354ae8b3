"""The evaluator's "My artifacts" and this package's section of the artifact page: chairs see
names, an evaluator their own alias and the others' letters, authors no identity."""

import pytest
from django.urls import reverse

from artifacts.models import Evaluation, KickTheTiresCheck
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world(status="kick_the_tires")


def detail(client, world, user):
    client.force_login(user)
    return client.get(
        reverse(
            "artifacts:detail",
            kwargs={
                "conference": world.conference.slug,
                "number": world.artifact.submission.number,
            },
        )
    )


def test_my_artifacts_lists_alias_status_and_next_step(client, world):
    af.ArtifactMessageFactory(artifact=world.artifact)
    client.force_login(world.evaluator_a)
    response = client.get(reverse("artifacts:mine", kwargs={"conference": world.conference.slug}))
    body = response.content.decode()
    assert "Evaluator A" in body
    assert "Fill the kick-the-tires checklist." in body
    assert "1 with the authors" in body
    assert world.evaluator_b.name not in body
    KickTheTiresCheck.objects.create(
        assignment=world.artifact.assignments.get(alias="A"), submitted_at=world.artifact.created_at
    )
    body = client.get(
        reverse("artifacts:mine", kwargs={"conference": world.conference.slug})
    ).content.decode()
    assert "combined message" in body


def test_my_artifacts_leaves_out_retired_and_others(client, world):
    client.force_login(world.other_evaluator)
    body = client.get(
        reverse("artifacts:mine", kwargs={"conference": world.conference.slug})
    ).content.decode()
    assert "No artifact is assigned to you yet." in body


@pytest.mark.parametrize("n", [1, 10])
def test_my_artifacts_queries_are_constant(client, django_assert_num_queries, n):
    conference = af.ae_conference()
    evaluator = af.evaluator(conference)
    for _ in range(n):
        a = af.EvaluatorAssignmentFactory(
            artifact=af.ArtifactFactory(conference=conference, status="evaluating"),
            evaluator=evaluator,
        )
        Evaluation.objects.create(assignment=a)
    client.force_login(evaluator)
    target = reverse("artifacts:mine", kwargs={"conference": conference.slug})
    client.get(target)
    with django_assert_num_queries(11):
        response = client.get(target)
    assert response.content.decode().count("Write your evaluation") == n


def test_section_names_evaluators_for_the_chair(client, world):
    body = detail(client, world, world.ae_chair).content.decode()
    assert f"Evaluator A: {world.evaluator_a.name}" in body
    assert "Change the evaluators" in body


def test_section_gives_an_evaluator_letters_only(client, world):
    body = detail(client, world, world.evaluator_b).content.decode()
    assert "You are <strong>Evaluator B</strong>" in body
    assert "Evaluator A" in body
    assert world.evaluator_a.name not in body


def test_section_shows_authors_no_identity(client, world):
    body = detail(client, world, world.author).content.decode()
    assert world.evaluator_a.name not in body and world.evaluator_b.name not in body
    assert "assignment-heading" not in body


def test_the_conflicted_chair_does_not_reach_the_artifact_page(client, world):
    assert detail(client, world, world.conflicted_ae_chair).status_code == 404


def test_a_retired_evaluator_is_off_the_section(client, world):
    from django.utils import timezone

    world.artifact.assignments.filter(alias="B").update(removed_at=timezone.now())
    body = detail(client, world, world.ae_chair).content.decode()
    assert world.evaluator_b.name not in body
