"""The evaluation API: the same rules and services as the page; 404 for who may not see,
403 with the service's sentence for who may not act; authors' answers never carry an
evaluator's id, name or address."""

import json

import pytest
from django.core import mail

from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import services
from artifacts.models import Artifact, ArtifactMessage, Evaluation, RequestedBadge
from tests.artifacts.evaluation.conftest import api_url, leaks

pytestmark = pytest.mark.django_db


def as_user(api, user):
    api.force_authenticate(user)
    return api


def messages_url(world, thread="authors"):
    return api_url(world, "api-artifact-messages", thread=thread)


def test_author_lists_and_posts_in_the_authors_thread(world, api):
    services.post_message(
        actor=world.evaluator_a, artifact=world.artifact, thread="authors", body="Q?"
    )
    services.post_message(
        actor=world.evaluator_b, artifact=world.artifact, thread="evaluators", body="psst"
    )
    as_user(api, world.author)
    response = api.get(messages_url(world))
    assert response.status_code == 200
    assert [(m["sender"], m["body"]) for m in response.json()] == [("Evaluator A", "Q?")]
    posted = api.post(messages_url(world), {"body": "A answer"}, format="json")
    assert posted.status_code == 201
    assert posted.json()["sender"] == "The authors (you)"
    dumped = json.dumps(response.json()) + json.dumps(posted.json())
    assert leaks(dumped) == []
    # No field that could carry a person: the id is the message's.
    keys = {"id", "sender", "role", "kind", "body", "created_at", "is_own"}
    assert all(set(m) == keys for m in [*response.json(), posted.json()])
    assert api.get(messages_url(world, "evaluators")).status_code == 404
    assert (
        api.post(messages_url(world, "evaluators"), {"body": "x"}, format="json").status_code == 404
    )


def test_evaluator_uses_both_threads(world, api):
    as_user(api, world.evaluator_a)
    assert (
        api.post(messages_url(world, "evaluators"), {"body": "hi B"}, format="json").status_code
        == 201
    )
    assert [m["sender"] for m in api.get(messages_url(world, "evaluators")).json()] == [
        "Evaluator A (you)"
    ]


@pytest.mark.parametrize("who", ["outsider", "other_evaluator", "conflicted_ae_chair"])
def test_strangers_get_404(world, api, who):
    as_user(api, getattr(world, who))
    for name in ("api-artifact-kick-check", "api-artifact-evaluation"):
        assert api.get(api_url(world, name)).status_code == 404
    assert api.get(messages_url(world)).status_code == 404
    assert api.post(api_url(world, "api-artifact-publish")).status_code == 404


def test_oversized_message_is_a_clear_400(world, api):
    as_user(api, world.author)
    response = api.post(messages_url(world), {"body": "z" * 20_001}, format="json")
    assert response.status_code == 400
    assert "20000" in json.dumps(response.json()) or "20,000" in json.dumps(response.json())
    assert not ArtifactMessage.objects.exists()


def test_kick_check_get_put(world, api):
    as_user(api, world.evaluator_a)
    url = api_url(world, "api-artifact-kick-check")
    assert api.get(url).json()["done"] is False
    response = api.put(
        url, {"answers": {"claims": True}, "notes": "ok", "done": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["answers"]["claims"] is True and response.json()["done"] is True
    bad = api.put(url, {"answers": {"nonsense": True}}, format="json")
    assert bad.status_code == 400 and "Unknown checklist items" in bad.json()["error"]["message"]
    as_user(api, world.author)
    assert api.get(url).status_code == 404


def test_kick_message_and_answer(world, api):
    as_user(api, world.evaluator_b)
    response = api.post(
        api_url(world, "api-artifact-kick-message"), {"body": "Broken"}, format="json"
    )
    assert response.status_code == 201 and response.json() == {"status": S.AWAITING_AUTHOR}
    again = api.post(api_url(world, "api-artifact-kick-message"), {"body": "Again"}, format="json")
    assert again.status_code == 403
    assert "waiting for the authors" in again.json()["error"]["message"]
    as_user(api, world.author)
    response = api.post(
        api_url(world, "api-artifact-kick-answer"), {"body": "Fixed"}, format="json"
    )
    assert response.json() == {"status": S.KICK_THE_TIRES}


def test_evaluation_get_put_submit(make_world, api):
    world = make_world(status=S.EVALUATING)
    as_user(api, world.evaluator_a)
    url = api_url(world, "api-artifact-evaluation")
    assert api.get(url).json()["alias"] == "Evaluator A"
    body = {
        "to_authors": "Good",
        "verdicts": [{"badge": "available", "verdict": "award", "justification": "DOI"}],
    }
    assert api.put(url, body, format="json").status_code == 200
    refused = api.post(api_url(world, "api-artifact-evaluation-submit"), {}, format="json")
    assert refused.status_code == 400
    assert "missing: Artifacts Evaluated – Functional" in json.dumps(
        refused.json(), ensure_ascii=False
    )
    body["verdicts"].append({"badge": "functional", "verdict": "award", "justification": "Runs"})
    assert api.put(url, body, format="json").status_code == 200
    submitted = api.post(api_url(world, "api-artifact-evaluation-submit"), {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["submitted_at"]
    unknown = api.put(url, {"verdicts": [{"badge": "nope", "verdict": "award"}]}, format="json")
    assert unknown.status_code == 400
    as_user(api, world.author)
    assert api.get(url).status_code == 404
    assert Evaluation.objects.get().submitted_at is not None


def test_proposal_decision_publish(make_world, api, django_capture_on_commit_callbacks):
    world = make_world(status=S.DISCUSSION)
    Artifact.objects.filter(pk=world.artifact.pk).update(lead=world.evaluator_b)
    as_user(api, world.evaluator_a)
    body = {"proposals": {"available": "award", "functional": "do_not_award"}, "note": "n"}
    refused = api.put(api_url(world, "api-artifact-proposal"), body, format="json")
    assert refused.status_code == 403
    as_user(api, world.evaluator_b)
    assert api.put(api_url(world, "api-artifact-proposal"), body, format="json").status_code == 200
    assert dict(RequestedBadge.objects.values_list("badge__key", "proposal")) == body["proposals"]
    decision = {
        "outcomes": {"available": "awarded", "functional": "not_awarded"},
        "public_report": "R",
    }
    assert (
        api.post(api_url(world, "api-artifact-decision"), decision, format="json").status_code
        == 403
    )
    as_user(api, world.ae_chair)
    assert api.post(api_url(world, "api-artifact-decision"), decision, format="json").json() == {
        "status": S.DECIDED
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(api_url(world, "api-artifact-publish")).json() == {"status": S.PUBLISHED}
    assert any("Badges awarded: Artifacts Available" in m.body for m in mail.outbox)
    as_user(api, world.conflicted_ae_chair)
    assert api.post(api_url(world, "api-artifact-publish")).status_code == 404


def test_archived_conference_is_read_only(world, api):
    from django.utils import timezone

    world.conference.archived_at = timezone.now()
    world.conference.save(update_fields=["archived_at"])
    as_user(api, world.author)
    assert api.get(messages_url(world)).status_code == 200
    response = api.post(messages_url(world), {"body": "late"}, format="json")
    assert response.status_code == 403
    assert not ArtifactMessage.objects.exists()


def test_api_refusals_name_the_reason(make_world, api):
    world = make_world(status=S.AWAITING_AUTHOR)
    as_user(api, world.evaluator_a)
    response = api.post(api_url(world, "api-artifact-kick-answer"), {"body": "x"}, format="json")
    assert response.status_code == 403
    assert "Only the artifact's authors answer" in response.json()["error"]["message"]
    as_user(api, world.author)
    assert (
        api.post(api_url(world, "api-artifact-evaluation-submit"), {}, format="json").status_code
        == 404
    )
    assert (
        api.put(
            api_url(world, "api-artifact-kick-check"), {"answers": {}}, format="json"
        ).status_code
        == 404
    )
    refused = api.post(api_url(world, "api-artifact-decision"), {"outcomes": {}}, format="json")
    assert refused.status_code == 403 and "AE chair" in refused.json()["error"]["message"]
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.AWAITING_AUTHOR
