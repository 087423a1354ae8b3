"""Attacks of an AE chair conflicted with a paper (issue 12): nothing of its artifact's
evaluators may reach them, not even through a count."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def _committee_counts(user, w) -> dict[str, int]:
    client = APIClient()
    client.force_login(user)
    url = reverse("api-artifacts-committee", kwargs={"conference": w.conference.slug})
    response = client.get(url)
    assert response.status_code == 200
    return {row["email"]: row["live_assignments"] for row in response.json()["results"]}


def test_committee_api_count_does_not_reveal_the_conflicted_artifacts_evaluators():
    """Evaluator A's only assignment is the paper the chair is conflicted with: a count of 1
    beside A (and 0 beside the unassigned evaluator) names A as its evaluator."""
    w = af.artifact_world()
    counts = _committee_counts(w.conflicted_ae_chair, w)
    assert counts[w.evaluator_a.email] == 0
    assert counts[w.evaluator_b.email] == 0
    # The unconflicted chair still sees the real load.
    assert _committee_counts(w.ae_chair, w)[w.evaluator_a.email] == 1


def test_committee_page_count_does_not_reveal_the_conflicted_artifacts_evaluators(client):
    w = af.artifact_world()
    client.force_login(w.conflicted_ae_chair)
    response = client.get(reverse("artifacts:committee", kwargs={"conference": w.conference.slug}))
    members = {m.user_id: m.live_assignments for m in response.context["members"]}
    assert members[w.evaluator_a.pk] == 0
    client.force_login(w.ae_chair)
    response = client.get(reverse("artifacts:committee", kwargs={"conference": w.conference.slug}))
    assert {m.user_id: m.live_assignments for m in response.context["members"]}[
        w.evaluator_a.pk
    ] == 1


def test_load_page_count_does_not_reveal_the_conflicted_artifacts_evaluators(client):
    from mlsys.conferences.models import CommitteeMembership

    w = af.artifact_world()
    member = CommitteeMembership.objects.get(conference=w.conference, user=w.evaluator_a)
    client.force_login(w.conflicted_ae_chair)
    url = reverse(
        "artifacts:committee_load", kwargs={"conference": w.conference.slug, "pk": member.pk}
    )
    assert "Assigned now: 0." in client.get(url).content.decode()


def _second_artifact(w):
    return af.ArtifactFactory(conference=w.conference, status="submitted", badges=["available"])


def test_assignment_page_load_does_not_reveal_the_conflicted_artifacts_evaluators(client):
    """On another artifact's page the candidates' loads ("1 of 2") minus the assignments the
    chair can see would name the conflicted artifact's evaluators."""
    w = af.artifact_world()
    other = _second_artifact(w)
    client.force_login(w.conflicted_ae_chair)
    url = reverse(
        "artifacts:assignment_artifact",
        kwargs={"conference": w.conference.slug, "number": other.submission.number},
    )
    response = client.get(url)
    assert response.status_code == 200
    loads = {e["evaluator"].user.pk: e["evaluator"].shown_load for e in response.context["fitting"]}
    assert loads[w.evaluator_a.pk] == 0
    assert loads[w.evaluator_b.pk] == 0
    client.force_login(w.ae_chair)
    response = client.get(url)
    loads = {e["evaluator"].user.pk: e["evaluator"].shown_load for e in response.context["fitting"]}
    assert loads[w.evaluator_a.pk] == 1


def test_assignment_preview_load_does_not_reveal_the_conflicted_artifacts_evaluators(client):
    w = af.artifact_world()
    _second_artifact(w)
    client.force_login(w.conflicted_ae_chair)
    response = client.post(
        reverse("artifacts:assignment_run", kwargs={"conference": w.conference.slug})
    )
    assert response.status_code == 200
    pairs = response.context["proposal"].pairs
    assert pairs, "the preview proposes evaluators for the other artifact"
    for pair in pairs:
        assert pair.evaluator.shown_load == 0, pair.evaluator.name


def test_an_author_who_chairs_cannot_count_their_own_evaluators():
    """A program chair (or AE chair) who wrote the paper: the same counts would name the
    evaluators of their own artifact, whom an author must never learn."""
    from tests import factories as f

    w = af.artifact_world()
    f.AuthorFactory(
        submission=w.artifact.submission,
        user=w.program_chair,
        name=w.program_chair.name,
        email=w.program_chair.email,
        order=5,
    )
    counts = _committee_counts(w.program_chair, w)
    assert counts[w.evaluator_a.email] == 0
    assert counts[w.evaluator_b.email] == 0
