"""Ids and numbers of another conference or another artifact in URLs and bodies (issue 12):
an AE chair of one conference, an evaluator or an author never reaches another's objects."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from artifacts.models import Badge, EvaluatorAssignment
from mlsys.conferences.models import CommitteeMembership
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    return af.artifact_world(), af.artifact_world()


def _api(user):
    api = APIClient()
    api.force_login(user)
    return api


def test_a_chair_cannot_touch_another_conferences_badge(two, client):
    mine, theirs = two
    badge = Badge.objects.filter(conference=theirs.conference).first()
    slug = mine.conference.slug
    api = _api(mine.ae_chair)
    for name, method in (
        ("api-artifacts-badge", "patch"),
        ("api-artifacts-badge-retire", "post"),
        ("api-artifacts-badge-restore", "post"),
    ):
        url = reverse(name, kwargs={"conference": slug, "pk": badge.pk})
        response = getattr(api, method)(url, {"label": "Pwned"}, format="json")
        assert response.status_code == 404, name
    client.force_login(mine.ae_chair)
    for name in ("badge_edit", "badge_retire", "badge_up", "badge_delete"):
        url = reverse(f"artifacts:{name}", kwargs={"conference": slug, "pk": badge.pk})
        assert client.post(url, {"label": "Pwned", "confirm": "yes"}).status_code == 404, name
    badge.refresh_from_db()
    assert badge.label != "Pwned" and badge.active


def test_a_chair_cannot_reach_another_conferences_committee_member(two, client):
    mine, theirs = two
    member = CommitteeMembership.objects.get(conference=theirs.conference, user=theirs.evaluator_a)
    client.force_login(mine.ae_chair)
    for name in ("committee_resend", "committee_load"):
        url = reverse(
            f"artifacts:{name}", kwargs={"conference": mine.conference.slug, "pk": member.pk}
        )
        assert client.post(url, {"max_load": 9}).status_code == 404, name
    member.refresh_from_db()
    assert member.max_load != 9


def test_assignments_of_another_conference_or_artifact_cannot_be_removed(two, client):
    mine, theirs = two
    assignment = EvaluatorAssignment.objects.filter(artifact=theirs.artifact).first()
    api = _api(mine.ae_chair)
    url = reverse(
        "api-artifact-assignment", kwargs={"conference": mine.conference.slug, "pk": assignment.pk}
    )
    assert api.delete(url, {"confirm": True}, format="json").status_code == 404
    # The page: a visible artifact's number with the conflicted artifact's assignment id.
    other = af.ArtifactFactory(conference=mine.conference, status="submitted")
    hidden = EvaluatorAssignment.objects.filter(artifact=mine.artifact).first()
    client.force_login(mine.conflicted_ae_chair)
    url = reverse(
        "artifacts:assignment_remove",
        kwargs={
            "conference": mine.conference.slug,
            "number": other.submission.number,
            "pk": hidden.pk,
        },
    )
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert EvaluatorAssignment.objects.live().filter(pk__in=[assignment.pk, hidden.pk]).count() == 2


def test_an_evaluator_cannot_add_another_conferences_evaluator_or_bid_elsewhere(two):
    mine, theirs = two
    api = _api(mine.ae_chair)
    response = api.post(
        reverse("api-artifact-assignments", kwargs={"conference": mine.conference.slug}),
        {"number": mine.artifact.submission.number, "evaluator": theirs.other_evaluator.pk},
        format="json",
    )
    assert response.status_code == 400
    # An evaluator of one conference bids through another's URL: not theirs.
    api = _api(mine.other_evaluator)
    url = reverse(
        "api-artifact-bid",
        kwargs={"conference": theirs.conference.slug, "number": theirs.artifact.submission.number},
    )
    assert api.put(url, {"preference": "eager"}, format="json").status_code == 404


def test_an_author_cannot_act_on_another_artifact_by_number(two):
    mine, theirs = two
    other = af.ArtifactFactory(conference=mine.conference, status="registered")
    api = _api(mine.author)
    slug = mine.conference.slug
    n = other.submission.number
    for name, method, body in (
        ("api-artifact", "patch", {"summary": "x", "revision": other.revision}),
        ("api-artifact-submit", "post", {}),
        ("api-artifact-withdraw", "post", {}),
        ("api-artifact-smoke-checks", "post", {}),
        ("api-artifact-kick-answer", "post", {"body": "x"}),
    ):
        url = reverse(name, kwargs={"conference": slug, "number": n})
        assert getattr(api, method)(url, body, format="json").status_code == 404, name
    # Their own number under the other conference's slug.
    url = reverse(
        "api-artifact",
        kwargs={"conference": theirs.conference.slug, "number": mine.artifact.submission.number},
    )
    assert api.get(url).status_code == 404


def test_the_contact_is_one_of_the_papers_authors():
    w = af.artifact_world(status="registered")
    url = reverse(
        "api-artifact",
        kwargs={"conference": w.conference.slug, "number": w.artifact.submission.number},
    )
    api = _api(w.author)
    answers = []
    for pk in (w.evaluator_a.pk, 10**9):
        response = api.patch(url, {"contact": pk, "revision": w.artifact.revision}, format="json")
        assert response.status_code == 400
        answers.append(response.json())
        assert w.evaluator_a.name not in response.content.decode()
    # The same sentence for a real user and for no user: ids are not enumerable.
    assert answers[0] == answers[1]
    w.artifact.refresh_from_db()
    assert w.artifact.contact_id == w.author.pk
