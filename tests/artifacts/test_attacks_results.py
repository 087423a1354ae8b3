"""The public results (issue 12): only published artifacts, and a non-public conference
hides them from whoever may not see it; a decided-but-unpublished badge leaks through no
count, filter, page, API or proceedings export."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from artifacts.badges import queries
from artifacts.models import RequestedBadge
from mlsys.conferences.models import Conference
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db

TITLE = "Qzdecided but secret"


@pytest.fixture
def decided():
    w = af.artifact_world(status="decided")
    RequestedBadge.objects.filter(artifact=w.artifact).update(outcome="awarded")
    w.artifact.submission.title = TITLE
    w.artifact.submission.save(update_fields=["title"])
    return w


def test_a_decided_badge_is_not_public_before_publication(decided, client):
    w = decided
    slug = w.conference.slug
    number = w.artifact.submission.number
    for url in (
        reverse("artifacts:results", kwargs={"conference": slug}),
        reverse("artifacts:results", kwargs={"conference": slug}) + "?badge=available",
        reverse("api-artifact-results", kwargs={"conference": slug}),
        reverse("api-artifact-results", kwargs={"conference": slug}) + "?badge=available",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert TITLE not in response.content.decode(), url
    assert (
        client.get(
            reverse("artifacts:paper_results", kwargs={"conference": slug, "number": number})
        ).status_code
        == 404
    )
    assert queries.awarded_labels(w.conference) == {}
    client.force_login(w.ae_chair)
    export = client.get(reverse("artifacts:badge_export", kwargs={"conference": slug}))
    assert TITLE not in b"".join(export.streaming_content).decode()


def test_a_non_public_conference_hides_its_results(decided, client):
    w = decided
    Conference.objects.filter(pk=w.conference.pk).update(is_public=False)
    slug = w.conference.slug
    page = reverse("artifacts:results", kwargs={"conference": slug})
    api = reverse("api-artifact-results", kwargs={"conference": slug})
    response = client.get(page)
    assert response.status_code == 302 and "login" in response["Location"]
    assert APIClient().get(api).status_code in (401, 403, 404)
    client.force_login(w.outsider)
    assert client.get(page).status_code == 404
    outsider = APIClient()
    outsider.force_login(w.outsider)
    assert outsider.get(api).status_code == 404
