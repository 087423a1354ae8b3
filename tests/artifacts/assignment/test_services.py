"""Assignment services on their own: aliases, the work an assignment carries, adding and
removing by hand, refused actors."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from artifacts.assignment import services
from artifacts.models import Badge, BadgeVerdict, Evaluation, EvaluatorAssignment
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def test_aliases_run_a_to_z_then_aa():
    letters = list(itertools.islice(services.aliases(), 28))
    assert letters[:3] == ["A", "B", "C"] and letters[25:] == ["Z", "AA", "AB"]


def test_next_alias_skips_retired_letters_and_reuses_deleted_ones():
    world = af.artifact_world(status="submitted")
    a = EvaluatorAssignment.objects.get(alias="A")
    a.removed_at = a.created_at
    a.save()
    assert services.next_alias(world.artifact) == "C"
    EvaluatorAssignment.objects.filter(alias="B").delete()
    assert services.next_alias(world.artifact) == "B"


def test_work_names_an_evaluation_with_its_verdicts():
    world = af.artifact_world(status="evaluating")
    a = EvaluatorAssignment.objects.get(alias="A")
    evaluation = Evaluation.objects.create(assignment=a, submitted_at=a.created_at)
    BadgeVerdict.objects.create(
        evaluation=evaluation,
        badge=Badge.objects.get(conference=world.conference, key="available"),
        verdict="award",
        justification="DOI resolves.",
    )
    assert services.work_on(a) == ["a submitted evaluation (1 badge verdict)"]
    with pytest.raises(services.ConfirmationNeeded) as caught:
        services.remove_evaluator(a, actor=world.ae_chair)
    assert caught.value.work == ["a submitted evaluation (1 badge verdict)"]
    assert services.remove_evaluator(a, actor=world.ae_chair, confirm=True) == "retired"
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


@pytest.mark.parametrize("who", ["outsider", "author", "evaluator_a", "conflicted_ae_chair"])
def test_add_and_remove_are_refused_to_others(who):
    world = af.artifact_world(status="submitted")
    actor = getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.add_evaluator(world.artifact, world.other_evaluator, actor=actor)
    with pytest.raises(PermissionDenied):
        services.remove_evaluator(EvaluatorAssignment.objects.first(), actor=actor)
    assert EvaluatorAssignment.objects.count() == 2


def test_only_accepted_evaluators_are_added():
    world = af.artifact_world(status="submitted")
    with pytest.raises(ValidationError, match="accepted AE evaluators"):
        services.add_evaluator(world.artifact, f.UserFactory(), actor=world.ae_chair)


def test_no_evaluator_is_added_to_a_withdrawn_artifact():
    world = af.artifact_world(status="withdrawn")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.add_evaluator(world.artifact, world.other_evaluator, actor=world.ae_chair)


def test_a_live_evaluator_is_not_added_twice():
    world = af.artifact_world(status="submitted")
    with pytest.raises(ValidationError, match="already on it"):
        services.add_evaluator(world.artifact, world.evaluator_a, actor=world.ae_chair)
