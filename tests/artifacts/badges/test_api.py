"""The badges API: public results (anonymous callers of a public conference), the badge metadata
export for AE chairs, the stamped camera-ready's status and a new stamp (AE chairs)."""

import json

import pytest
from django.urls import reverse

from artifacts.models import StampedPaper
from tests.artifacts.badges.conftest import final_pdf, published_artifact
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def _url(name, conference, **kwargs):
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


def test_anonymous_callers_read_a_public_conferences_results(world, api):
    response = api.get(_url("api-artifact-results", world.conference))
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["number"] == world.artifact.submission.number
    assert [b["key"] for b in row["badges"]] == ["available", "reproduced"]
    assert row["authors"] == ["Ada Author"]
    assert row["doi_url"] == "https://doi.org/10.5281/zenodo.1234567"
    assert "email" not in json.dumps(row)
    one = api.get(_url("api-artifact-paper-results", world.conference, number=row["number"])).json()
    assert one["title"] == world.artifact.submission.title and "abstract" in one


def test_a_private_conferences_results_are_404_to_outsiders(world, api):
    world.conference.is_public = False
    world.conference.save()
    assert api.get(_url("api-artifact-results", world.conference)).status_code == 404
    api.force_authenticate(world.outsider)
    assert api.get(_url("api-artifact-results", world.conference)).status_code == 404
    api.force_authenticate(world.evaluator_a)
    assert api.get(_url("api-artifact-results", world.conference)).status_code == 200


def test_results_filter_by_badge_and_hide_unpublished(db, api):
    conference = af.ae_conference()
    published_artifact(conference, 1, keys=("available",))
    published_artifact(conference, 2, keys=("available", "reproduced"))
    af.ArtifactFactory(conference=conference, status="decided", badges=["reproduced"])
    rows = api.get(_url("api-artifact-results", conference), {"badge": "reproduced"}).json()
    assert [r["number"] for r in rows["results"]] == [2]
    assert api.get(_url("api-artifact-results", conference)).json()["count"] == 2
    assert api.get(_url("api-artifact-paper-results", conference, number=3)).status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_the_results_api_query_count_does_not_grow(db, api, count, django_assert_num_queries):
    conference = af.ae_conference()
    for n in range(1, count + 1):
        published_artifact(conference, n, keys=("available", "reproduced"))
    # conference (no schedule); count, page, authors, awarded badges
    with django_assert_num_queries(5):
        assert api.get(_url("api-artifact-results", conference)).json()["count"] == count


def test_the_export_is_for_ae_chairs(world, api):
    url = _url("api-artifact-badge-export", world.conference)
    csv_url = _url("api-artifact-badge-export-csv", world.conference)
    assert api.get(url).status_code in (401, 403)
    for person in (world.author, world.evaluator_a, world.outsider):
        api.force_authenticate(person)
        assert api.get(url).status_code == 404, person
        assert api.get(csv_url).status_code == 404, person
    api.force_authenticate(world.ae_chair)
    response = api.get(url)
    data = json.loads(b"".join(response.streaming_content))
    assert [r["badges"] for r in data["artifacts"]] == [
        ["Artifacts Available", "Results Reproduced"]
    ]
    csv_body = b"".join(api.get(csv_url).streaming_content).decode()
    assert csv_body.startswith("number,title,badges,doi")


def test_the_stamp_status_and_a_new_stamp(world, api, django_capture_on_commit_callbacks):
    number = world.artifact.submission.number
    url = _url("api-artifact-stamp", world.conference, number=number)
    source = final_pdf(world.artifact.submission)
    api.force_authenticate(world.author)
    status = api.get(url).json()
    assert status == {
        "published": True,
        "awarded_badges": ["Artifacts Available", "Results Reproduced"],
        "final_pdf": source.pk,
        "current": False,
        "latest": None,
    }
    assert api.post(url).status_code == 403  # authors read, never stamp
    for person in (
        world.conflicted_ae_chair,
        world.evaluator_a,
        world.other_evaluator,
        world.outsider,
    ):
        api.force_authenticate(person)
        assert api.get(url).status_code == 404, person
        assert api.post(url).status_code == 404, person
    assert not StampedPaper.objects.exists()
    api.force_authenticate(world.ae_chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    status = api.get(url).json()
    assert status["current"] is True and status["latest"]["status"] == "ready"
    assert status["latest"]["download_url"].endswith("?download=1")


def test_a_stamp_with_nothing_to_stamp_is_a_409(world, api):
    api.force_authenticate(world.ae_chair)
    response = api.post(
        _url("api-artifact-stamp", world.conference, number=world.artifact.submission.number)
    )
    assert response.status_code == 409 and "no final PDF" in json.dumps(response.json())


def test_an_archived_conference_refuses_a_stamp(world, api):
    from django.utils import timezone

    final_pdf(world.artifact.submission)
    world.conference.archived_at = timezone.now()
    world.conference.save()
    api.force_authenticate(world.ae_chair)
    url = _url("api-artifact-stamp", world.conference, number=world.artifact.submission.number)
    assert api.post(url).status_code == 403
    assert api.get(url).status_code == 200
