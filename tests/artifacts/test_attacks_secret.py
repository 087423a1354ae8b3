"""The access secret (issue 12): never in an email, an audit entry, an API answer to someone
not allowed, or the page of an evaluator taken off the artifact; and an evaluator does not read
another's evaluation before submitting their own."""

import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from artifacts import secrets
from artifacts.evaluation import services as evaluation
from artifacts.evaluation.services import VerdictInput
from artifacts.models import Artifact, EvaluatorAssignment
from mlsys.core.models import AuditEvent
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db

SECRET = "Qzs3cret-ssh-password"


def _api(user):
    api = APIClient()
    api.force_login(user)
    return api


def _urls(w):
    kwargs = {"conference": w.conference.slug, "number": w.artifact.submission.number}
    return reverse("api-artifact", kwargs=kwargs), reverse("artifacts:detail", kwargs=kwargs)


def test_the_secret_stays_out_of_audit_emails_and_unauthorised_answers(
    client, django_capture_on_commit_callbacks
):
    w = af.artifact_world(status="registered")
    api_url, page_url = _urls(w)
    with django_capture_on_commit_callbacks(execute=True):
        response = _api(w.author).patch(
            api_url, {"access_secret": SECRET, "revision": w.artifact.revision}, format="json"
        )
    assert response.status_code == 200, response.content
    assert SECRET not in response.content.decode()
    stored = Artifact.objects.get(pk=w.artifact.pk).access_secret
    assert secrets.decrypt(stored) == SECRET
    for event in AuditEvent.objects.all():
        text = json.dumps(event.changes, default=str) + (event.note or "")
        assert SECRET not in text and stored not in text, event.action
    assert all(SECRET not in str(m.message()) for m in mail.outbox)
    Artifact.objects.filter(pk=w.artifact.pk).update(status="kick_the_tires")
    for user in (w.other_evaluator, w.conflicted_ae_chair, w.outsider):
        answer = _api(user).get(api_url + "?include=access_secret")
        assert answer.status_code == 404
        assert SECRET not in answer.content.decode()
    # Evaluator A sees it on request; once taken off the artifact, nothing.
    assert SECRET in _api(w.evaluator_a).get(api_url + "?include=access_secret").content.decode()
    EvaluatorAssignment.objects.filter(artifact=w.artifact, evaluator=w.evaluator_a).update(
        removed_at=timezone.now()
    )
    assert _api(w.evaluator_a).get(api_url + "?include=access_secret").status_code == 404
    client.force_login(w.evaluator_a)
    assert client.get(page_url).status_code == 404
    reveal = reverse(
        "artifacts:reveal_secret",
        kwargs={"conference": w.conference.slug, "number": w.artifact.submission.number},
    )
    assert SECRET not in client.post(reveal).content.decode()


def test_an_evaluator_reads_no_other_evaluation_before_submitting(client):
    w = af.artifact_world(status="evaluating")
    ids = [rb.badge_id for rb in w.artifact.requested_badges.all()]
    evaluation.save_evaluation(
        actor=w.evaluator_b,
        artifact=w.artifact,
        to_authors="Qzb-to-authors",
        to_evaluators="Qzb-to-evaluators",
        verdicts={pk: VerdictInput("do_not_award", "Qzb-justification") for pk in ids},
        submit=True,
    )
    _api_url, page_url = _urls(w)
    client.force_login(w.evaluator_a)
    html = client.get(page_url).content.decode()
    for marker in ("Qzb-to-authors", "Qzb-to-evaluators", "Qzb-justification"):
        assert marker not in html
    answer = _api(w.evaluator_a).get(
        reverse(
            "api-artifact-evaluation",
            kwargs={"conference": w.conference.slug, "number": w.artifact.submission.number},
        )
    )
    assert "Qzb" not in answer.content.decode()
    client.force_login(w.ae_chair)  # the markers are there to be found
    assert "Qzb-to-evaluators" in client.get(page_url).content.decode()
