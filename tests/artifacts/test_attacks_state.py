"""State-machine abuse through the API (issue 12): the right person in the wrong status, after
the evaluation deadline, with badges that were not requested, or at an archived conference,
is refused with a sentence and nothing changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from artifacts.models import Artifact, ArtifactMessage, BadgeVerdict, Evaluation, RequestedBadge
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Conference
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_login(user)
    return api


def _url(w, name):
    return reverse(
        name, kwargs={"conference": w.conference.slug, "number": w.artifact.submission.number}
    )


VERDICTS = {
    "verdicts": [
        {"badge": "available", "verdict": "award", "justification": "ok"},
        {"badge": "functional", "verdict": "award", "justification": "ok"},
    ]
}


def test_no_evaluation_in_kick_the_tires():
    w = af.artifact_world(status="kick_the_tires")
    response = _api(w.evaluator_a).put(_url(w, "api-artifact-evaluation"), VERDICTS, format="json")
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_no_evaluation_after_the_deadline():
    w = af.artifact_world(status="evaluating")
    f.DeadlineFactory(
        conference=w.conference,
        kind=DeadlineKind.AE_EVALUATION,
        at=timezone.now() - timedelta(hours=1),
    )
    response = _api(w.evaluator_a).put(_url(w, "api-artifact-evaluation"), VERDICTS, format="json")
    assert response.status_code == 403
    assert not BadgeVerdict.objects.exists()


def test_no_verdict_on_a_badge_not_requested():
    w = af.artifact_world(status="evaluating")
    body = {"verdicts": [{"badge": "reproduced", "verdict": "award", "justification": "x"}]}
    response = _api(w.evaluator_a).put(_url(w, "api-artifact-evaluation"), body, format="json")
    assert response.status_code in (400, 403)
    assert not BadgeVerdict.objects.exists()


def test_a_badge_key_of_another_conference_is_not_this_ones():
    w = af.artifact_world(status="evaluating", badges=("available",))
    other = af.artifact_world()  # its "functional" badge has the same key elsewhere
    assert other.conference != w.conference
    body = {"verdicts": [{"badge": "functional", "verdict": "award", "justification": "x"}]}
    response = _api(w.evaluator_a).put(_url(w, "api-artifact-evaluation"), body, format="json")
    assert response.status_code in (400, 403)
    assert not BadgeVerdict.objects.exists()


@pytest.mark.parametrize("status", ["kick_the_tires", "evaluating", "published", "withdrawn"])
def test_no_decision_outside_discussion(status):
    w = af.artifact_world(status=status)
    body = {"outcomes": {"available": "awarded", "functional": "awarded"}, "public_report": "x"}
    response = _api(w.ae_chair).post(_url(w, "api-artifact-decision"), body, format="json")
    assert response.status_code == 403
    assert Artifact.objects.get(pk=w.artifact.pk).status == status
    assert not RequestedBadge.objects.filter(artifact=w.artifact, outcome="awarded").exists()


@pytest.mark.parametrize("status", ["evaluating", "discussion"])
def test_no_publication_before_a_decision(status):
    w = af.artifact_world(status=status)
    response = _api(w.ae_chair).post(_url(w, "api-artifact-publish"), {}, format="json")
    assert response.status_code == 403
    assert Artifact.objects.get(pk=w.artifact.pk).status == status


def test_the_authors_answer_only_when_asked():
    w = af.artifact_world(status="kick_the_tires")
    response = _api(w.author).post(
        _url(w, "api-artifact-kick-answer"), {"body": "fixed"}, format="json"
    )
    assert response.status_code == 403
    assert Artifact.objects.get(pk=w.artifact.pk).status == "kick_the_tires"


def test_a_proposal_only_from_the_lead():
    w = af.artifact_world(status="discussion")
    Artifact.objects.filter(pk=w.artifact.pk).update(lead=w.evaluator_a)
    body = {"proposals": {"available": "award"}, "note": "x"}
    response = _api(w.evaluator_b).put(_url(w, "api-artifact-proposal"), body, format="json")
    assert response.status_code == 403
    assert not RequestedBadge.objects.filter(artifact=w.artifact).exclude(proposal="").exists()


def test_an_archived_conference_takes_no_message():
    w = af.artifact_world()
    Conference.objects.filter(pk=w.conference.pk).update(archived_at=timezone.now())
    url = reverse(
        "api-artifact-messages",
        kwargs={
            "conference": w.conference.slug,
            "number": w.artifact.submission.number,
            "thread": "authors",
        },
    )
    assert _api(w.author).post(url, {"body": "x"}, format="json").status_code == 403
    assert not ArtifactMessage.objects.exists()
