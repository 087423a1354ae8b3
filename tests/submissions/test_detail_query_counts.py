"""Detail pages and the API detail cost the same, exact number of queries for 1 and 10 rows."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.submissions.author_helpers import register

pytestmark = pytest.mark.django_db

#: Measured on this code; a change means a page now queries per author or per track (or was
#: optimised: then lower the number).
AUTHOR_DETAIL_QUERIES = 21
CHAIR_DETAIL_QUERIES = 21
CONFERENCE_PAGE_QUERIES = 8


def url(name, conference, **kwargs):
    return reverse(f"submissions:{name}", kwargs={"conference": conference.slug, **kwargs})


def coauthors(n):
    return [(f"Coauthor {i}", f"coauthor{i}@lab.example.org") for i in range(n)]


@pytest.mark.parametrize("count", [1, 10])
def test_author_detail_page_queries_are_constant(
    client, conference, author, count, django_assert_num_queries
):
    paper = register(conference, author, coauthors=coauthors(count))
    client.force_login(author)
    client.get(url("detail", conference, number=paper.number))  # warm the session

    with django_assert_num_queries(AUTHOR_DETAIL_QUERIES):
        response = client.get(url("detail", conference, number=paper.number))

    assert response.status_code == 200
    assert response.text.count("@lab.example.org") >= count


@pytest.mark.parametrize("count", [1, 10])
def test_chair_detail_page_queries_are_constant(
    client, conference, author, chair, count, django_assert_num_queries
):
    paper = register(conference, author, coauthors=coauthors(count))
    client.force_login(chair)
    client.get(url("chair_detail", conference, number=paper.number))

    with django_assert_num_queries(CHAIR_DETAIL_QUERIES):
        response = client.get(url("chair_detail", conference, number=paper.number))

    assert response.status_code == 200
    assert response.text.count("@lab.example.org") >= count


@pytest.mark.parametrize("count", [1, 10])
def test_conference_page_queries_are_constant(
    client, conference, author, count, django_assert_num_queries
):
    conference.tracks.all().delete()
    for i in range(count):
        factories.TrackFactory(conference=conference, name=f"Track number {i}", order=i)
    path = reverse("conferences:detail", kwargs={"conference": conference.slug})
    client.force_login(author)
    client.get(path)

    with django_assert_num_queries(CONFERENCE_PAGE_QUERIES):
        response = client.get(path)

    assert response.status_code == 200
    assert response.text.count("Track number ") == count


API_DETAIL_QUERIES = 8
#: A chair's answer also reads their conflicts (three queries): tags are hidden on those papers.
CHAIR_CONFLICT_QUERIES = 3


@pytest.mark.parametrize("who", ["author", "chair"])
@pytest.mark.parametrize("count", [1, 10])
def test_api_submission_detail_queries_are_constant(
    conference, author, chair, who, count, django_assert_num_queries
):
    paper = register(conference, author, coauthors=coauthors(count))
    api = APIClient()
    api.force_authenticate({"author": author, "chair": chair}[who])
    path = f"/api/v1/conferences/{conference.slug}/submissions/{paper.number}/"

    extra = CHAIR_CONFLICT_QUERIES if who == "chair" else 0
    with django_assert_num_queries(API_DETAIL_QUERIES + extra):
        response = api.get(path)

    assert response.status_code == 200
    assert len(response.json()["authors"]) == count + 1
