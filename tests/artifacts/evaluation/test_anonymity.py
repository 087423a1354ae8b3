"""End to end, the authors never learn who evaluated their artifact: after threads, the
kick-the-tires round, evaluations, the decision and publication, no evaluator's name or
address is in the page an author reads, the API answers they get, or any email (headers or
body) sent to them. And a conflicted AE chair sees nothing of the artifact's evaluation."""

import json

import pytest
from django.core import mail

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import decide, services
from artifacts.evaluation.services import VerdictInput
from artifacts.models import AESettings, Artifact
from tests.artifacts.evaluation.conftest import api_url, leaks, page_url, url

pytestmark = pytest.mark.django_db


def refresh(world):
    world.artifact.refresh_from_db()
    return world.artifact


def run_the_whole_evaluation(world):
    a, b, chair, author = world.evaluator_a, world.evaluator_b, world.ae_chair, world.author
    services.post_message(actor=a, artifact=refresh(world), thread="authors", body="Hello from A")
    services.post_message(actor=chair, artifact=refresh(world), thread="authors", body="Chair here")
    services.post_message(actor=b, artifact=refresh(world), thread="evaluators", body="B only")
    services.save_kick_check(
        actor=a, artifact=refresh(world), answers={"claims": True}, notes="n", done=True
    )
    services.post_kick_message(actor=b, artifact=refresh(world), body="Combined message")
    services.answer_kick_message(actor=author, artifact=refresh(world), body="Fixed")
    decide.advance(actor=chair, artifact=refresh(world))  # → evaluating
    for user in (a, b):
        ids = [rb.badge_id for rb in refresh(world).requested_badges.all()]
        services.save_evaluation(
            actor=user,
            artifact=refresh(world),
            to_authors=f"Comments of {user.pk}",
            to_evaluators="internal",
            verdicts={pk: VerdictInput("award", "fine") for pk in ids},
            submit=True,
        )
    assert refresh(world).status == S.DISCUSSION
    decide.pick_leads(actor=chair, conference=world.conference, artifacts=[refresh(world)])
    ids = [rb.badge_id for rb in refresh(world).requested_badges.all()]
    decide.propose(
        actor=a, artifact=refresh(world), proposals=dict.fromkeys(ids, "award"), note="ok"
    )
    decide.decide(
        actor=chair,
        artifact=refresh(world),
        outcomes=dict.fromkeys(ids, enums.BadgeOutcome.AWARDED),
        public_report=decide.report_draft(refresh(world)),
    )
    decide.publish(actor=chair, artifact=refresh(world))


@pytest.mark.parametrize("visibility", enums.ReportVisibility.values)
def test_authors_never_see_an_evaluator(
    world, client, api, visibility, django_capture_on_commit_callbacks
):
    AESettings.objects.filter(conference=world.conference).update(report_visibility=visibility)
    with django_capture_on_commit_callbacks(execute=True):
        run_the_whole_evaluation(world)
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.PUBLISHED
    author_address = world.author.email.lower()
    to_author = [m for m in mail.outbox if author_address in m.to]
    assert len(to_author) >= 4  # two messages, kick-the-tires, publication
    for message in to_author:
        assert leaks(str(message.message())) == [], message.subject
        assert all(author_address == t or "eval.example" not in t for t in message.to)
    # Evaluators' own emails each go to one evaluator.
    assert all(len(m.to) == 1 for m in mail.outbox if author_address not in m.to)

    client.force_login(world.author)
    html = client.get(page_url(world)).content.decode()
    assert "Hello from A" in html and "Combined message" in html and "The AE chairs" in html
    assert "B only" not in html and "internal" not in html
    assert leaks(html) == []

    api.force_authenticate(world.author)
    answer = api.get(api_url(world, "api-artifact-messages", thread="authors"))
    assert answer.status_code == 200
    assert leaks(json.dumps(answer.json())) == []
    assert api.get(api_url(world, "api-artifact-messages", thread="evaluators")).status_code == 404


def test_conflicted_chair_sees_nothing(world, client, api):
    services.post_message(
        actor=world.evaluator_a, artifact=world.artifact, thread="evaluators", body="x"
    )
    client.force_login(world.conflicted_ae_chair)
    assert client.get(page_url(world)).status_code == 404
    for name, kwargs in (
        ("post_message", {"thread": "authors"}),
        ("kick_message", {}),
        ("save_evaluation", {}),
    ):
        assert client.post(url(world, name, **kwargs), {"body": "x"}).status_code == 404
    api.force_authenticate(world.conflicted_ae_chair)
    assert api.get(api_url(world, "api-artifact-messages", thread="evaluators")).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "other_evaluator"])
def test_strangers_see_no_page(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(page_url(world)).status_code == 404


def test_author_of_another_paper_sees_nothing(world, make_world, client):
    from tests import factories as f
    from tests.factories import artifacts as af

    stranger = f.UserFactory()
    af.ArtifactFactory(conference=world.conference, authors=[stranger])
    client.force_login(stranger)
    assert client.get(page_url(world)).status_code == 404
    assert (
        client.post(url(world, "post_message", thread="authors"), {"body": "x"}).status_code == 404
    )
