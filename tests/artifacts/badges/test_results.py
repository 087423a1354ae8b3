"""The public results pages: who sees them, what they show (only published artifacts, safe
links, the final author list), the badge filter and counts, constant query counts."""

import re

import pytest
from django.urls import reverse

from decisions.models import CameraReady
from tests import factories
from tests.artifacts.badges.conftest import award, published_artifact
from tests.factories import artifacts as af
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def _url(conference, **params):
    url = reverse("artifacts:results", kwargs={"conference": conference.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _paper_url(conference, number):
    return reverse(
        "artifacts:paper_results", kwargs={"conference": conference.slug, "number": number}
    )


def test_anonymous_visitors_read_a_public_conferences_results(world, client):
    body = client.get(_url(world.conference)).content.decode()
    number = world.artifact.submission.number
    assert f"#{number} {world.artifact.submission.title}" in body
    assert "Ada Author" in body
    assert 'href="https://github.com/example/artifact" rel="noopener nofollow"' in body
    assert 'href="https://doi.org/10.5281/zenodo.1234567" rel="noopener nofollow"' in body
    assert world.artifact.version in body
    # Awarded badges only, drawn from the page's one set of seals.
    assert 'aria-label="Artifacts Available"' in body
    assert 'aria-label="Results Reproduced"' in body
    assert '<use href="#seal-' in body
    assert "Artifacts Available · Results Reproduced" in body
    assert "Functional · " not in body and "Evaluated – Functional ·" not in body


def test_a_private_conferences_results_need_a_role_there(world, client):
    world.conference.is_public = False
    world.conference.save()
    response = client.get(_url(world.conference))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.outsider)
    assert client.get(_url(world.conference)).status_code == 404
    assert client.get(_paper_url(world.conference, 1)).status_code == 404
    client.force_login(world.evaluator_a)
    assert client.get(_url(world.conference)).status_code == 200


def test_only_published_artifacts_appear(db, client):
    conference = af.ae_conference()
    shown = published_artifact(conference, 1, title="Shown paper")
    hidden = af.ArtifactFactory(conference=conference, status="decided", badges=["available"])
    award(hidden, "available")
    hidden.submission.title = "Decided not published"
    hidden.submission.save()
    body = client.get(_url(conference)).content.decode()
    assert "Shown paper" in body and "Decided not published" not in body
    assert client.get(_paper_url(conference, shown.submission.number)).status_code == 200
    assert client.get(_paper_url(conference, hidden.submission.number)).status_code == 404


def test_the_badge_filter_and_the_counts(db, client):
    conference = af.ae_conference()
    published_artifact(conference, 1, keys=("available",), title="Only available")
    published_artifact(conference, 2, keys=("available", "reproduced"), title="Both badges")
    body = client.get(_url(conference)).content.decode()
    assert "All: 2" in body
    assert "Artifacts Available: 2" in body and "Results Reproduced: 1" in body
    assert "Artifacts Evaluated – Functional: 0" in body
    filtered = client.get(_url(conference, badge="reproduced")).content.decode()
    assert "Both badges" in filtered and "Only available" not in filtered
    # An unknown badge is no filter at all.
    assert "Only available" in client.get(_url(conference, badge="<x>")).content.decode()
    none = client.get(_url(conference, badge="functional")).content.decode()
    assert "No published artifact has this badge." in none


def test_hostile_links_and_titles_are_never_rendered_live(db, client):
    conference = af.ae_conference()
    published_artifact(
        conference,
        1,
        title="<script>alert(1)</script>",
        repository_url="javascript:alert(1)",
        doi='10.1/x" onmouseover="alert(1)',
        version="<b>v1</b>",
    )
    for url in (_url(conference), _paper_url(conference, 1)):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
        assert "javascript:" not in body
        assert 'onmouseover="' not in body
        assert "<b>v1</b>" not in body
        hrefs = re.findall(r'<a href="(https?:[^"]*)"([^>]*)>', body)
        for href, rest in hrefs:
            if "doi.org" in href or "example" in href:
                assert 'rel="noopener nofollow"' in rest


def test_the_final_author_list_replaces_the_submitted_one(world, client):
    CameraReady.objects.create(
        submission=world.artifact.submission,
        final_authors=[
            {"name": "Final Name", "email": "final@x.example", "affiliation": "Lab"},
            {"name": "Second Final", "email": "s@x.example", "affiliation": ""},
        ],
    )
    body = client.get(_url(world.conference)).content.decode()
    assert "Final Name, Second Final" in body and "Ada Author" not in body
    assert "final@x.example" not in body
    paper = client.get(_paper_url(world.conference, world.artifact.submission.number))
    assert "Final Name, Second Final" in paper.content.decode()


def test_the_paper_page_shows_title_authors_abstract_badges_and_links(world, client):
    submission = world.artifact.submission
    submission.abstract = "We evaluate <i>things</i>."
    submission.save()
    body = client.get(_paper_url(world.conference, submission.number)).content.decode()
    assert f"#{submission.number} {submission.title}" in body
    assert "Ada Author" in body and "ada" not in body.split("Ada Author")[1][:40].lower()
    assert "We evaluate &lt;i&gt;things&lt;/i&gt;." in body
    assert "<figcaption>Artifacts Available</figcaption>" in body
    assert "<figcaption>Results Reproduced</figcaption>" in body
    assert "Functional</figcaption>" not in body
    assert 'href="https://github.com/example/artifact" rel="noopener nofollow"' in body
    assert "Evaluator" not in body  # nothing of the evaluation itself


@pytest.mark.parametrize("count", [1, 10])
def test_the_results_page_query_count_does_not_grow(db, client, count, django_assert_num_queries):
    conference = af.ae_conference()
    for n in range(1, count + 1):
        published_artifact(conference, n, keys=("available", "reproduced"))
    CameraReady.objects.create(
        submission=conference.submissions.get(number=1), final_authors=[{"name": "F"}]
    )
    # conference + schedule (3); badge counts; count, page, authors, awarded badges
    with django_assert_num_queries(8):
        response = client.get(_url(conference))
    assert response.status_code == 200
    assert response.content.decode().count('<use href="#seal-') == 2 * count


@pytest.mark.parametrize("count", [1, 10])
def test_a_logged_in_visitor_costs_the_same_with_1_or_10_rows(
    db, client, count, django_assert_num_queries
):
    conference = af.ae_conference()
    for n in range(1, count + 1):
        published_artifact(conference, n)
    client.force_login(factories.UserFactory())
    # + session, user, roles (conference visibility, export link)
    with django_assert_num_queries(11):
        assert client.get(_url(conference, badge="available")).status_code == 200


def test_a_page_holds_100_results(db, client):
    conference = af.ae_conference()
    for n in range(1, 102):
        published_artifact(conference, n)
    first = client.get(_url(conference)).content.decode()
    assert first.count('<th scope="row">') == 100 and "Page 1 of 2" in first
    second = client.get(_url(conference, page=2)).content.decode()
    assert second.count('<th scope="row">') == 1


def test_the_results_pages_pass_the_accessibility_checks(world, client):
    number = world.artifact.submission.number
    for url in (_url(world.conference), _paper_url(world.conference, number)):
        assert accessibility_problems(client.get(url).content.decode()) == {}
