"""An evaluator found conflicted with a paper after being assigned (a Conflict row, a
"conflict" bid) may no longer open its artifact (artifacts.rules.is_live_evaluator): the
emails must not bring them what the page refuses, the evaluators-only thread above all."""

import pytest
from django.core import mail

from artifacts.evaluation import decide
from artifacts.evaluation import services as evaluation
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = af.artifact_world()
    f.ConflictFactory(submission=w.artifact.submission, user=w.evaluator_b)
    assert not w.evaluator_b.has_perm("artifacts.view_evaluator_thread", w.artifact)
    return w


def _to(address):
    return [m for m in mail.outbox if address.lower() in [t.lower() for t in m.to]]


def test_the_evaluators_thread_is_not_emailed_to_a_conflicted_evaluator(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.post_message(
            actor=world.evaluator_a,
            artifact=world.artifact,
            thread="evaluators",
            body="Qzinternal: the authors' baseline looks fabricated",
        )
        evaluation.post_message(
            actor=world.author, artifact=world.artifact, thread="authors", body="Qzauthors"
        )
    assert _to(world.evaluator_b.email) == []


def test_status_emails_skip_a_conflicted_evaluator(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide.advance(actor=world.ae_chair, artifact=world.artifact)  # → evaluating
    assert _to(world.evaluator_a.email), "the live evaluator is told"
    assert _to(world.evaluator_b.email) == []


def test_my_artifacts_shows_no_thread_activity_of_a_conflicted_artifact(world, client):
    from django.urls import reverse

    for _ in range(3):
        evaluation.post_message(
            actor=world.evaluator_a, artifact=world.artifact, thread="evaluators", body="x"
        )
    client.force_login(world.evaluator_b)
    html = client.get(
        reverse("artifacts:mine", kwargs={"conference": world.conference.slug})
    ).content.decode()
    assert "ask the AE chairs to take you off" in html
    assert "3 among evaluators" not in html
