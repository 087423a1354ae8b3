"""An author never reads a per-evaluator verdict, its justification or the comments meant for
the other evaluators (issue 12), before or after publication, on the page, in the API or by
email; they read the badges' outcomes once published."""

import json

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from artifacts import enums
from artifacts.evaluation import decide
from artifacts.evaluation import services as evaluation
from artifacts.evaluation.services import VerdictInput
from artifacts.models import AESettings
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db

HIDDEN = ("Qzjustification", "Qzinternal")


def _surfaces(w, client):
    kwargs = {"conference": w.conference.slug, "number": w.artifact.submission.number}
    client.force_login(w.author)
    api = APIClient()
    api.force_login(w.author)
    texts = [client.get(reverse("artifacts:detail", kwargs=kwargs)).content.decode()]
    for name, extra in (
        ("api-artifact", {}),
        ("api-artifact-messages", {"thread": "authors"}),
        ("api-artifact-stamp", {}),
    ):
        texts.append(json.dumps(api.get(reverse(name, kwargs={**kwargs, **extra})).json()))
    return "\n".join(texts)


@pytest.mark.parametrize("visibility", enums.ReportVisibility.values)
def test_authors_never_read_verdicts_or_internal_comments(
    client, visibility, django_capture_on_commit_callbacks
):
    w = af.artifact_world(status="evaluating")
    AESettings.objects.filter(conference=w.conference).update(report_visibility=visibility)
    with django_capture_on_commit_callbacks(execute=True):
        for user in (w.evaluator_a, w.evaluator_b):
            w.artifact.refresh_from_db()
            ids = [rb.badge_id for rb in w.artifact.requested_badges.all()]
            evaluation.save_evaluation(
                actor=user,
                artifact=w.artifact,
                to_authors=f"Qzforauthors {user.pk}",
                to_evaluators="Qzinternal",
                verdicts={pk: VerdictInput("do_not_award", "Qzjustification") for pk in ids},
                submit=True,
            )
        before = _surfaces(w, client)
        w.artifact.refresh_from_db()
        ids = [rb.badge_id for rb in w.artifact.requested_badges.all()]
        decide.decide(
            actor=w.ae_chair,
            artifact=w.artifact,
            outcomes=dict.fromkeys(ids, enums.BadgeOutcome.NOT_AWARDED),
            public_report="The public report.",
        )
        decided = _surfaces(w, client)
        w.artifact.refresh_from_db()
        decide.publish(actor=w.ae_chair, artifact=w.artifact)
    after = _surfaces(w, client)
    for text in (before, decided, after):
        assert [m for m in HIDDEN if m in text] == []
    assert "Not awarded" not in decided  # the outcome waits for publication
    emails = "\n".join(str(m.message()) for m in mail.outbox if w.author.email in m.to)
    assert [m for m in HIDDEN if m in emails] == []
