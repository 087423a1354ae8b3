"""List pages and API lists cost the same number of queries for 1 and for 5 items."""

import pytest
from django.urls import reverse

from mlsys.conferences.enums import Area, DeadlineKind, Role, Side
from tests import factories

#: The home page with every section (chair desk, reviewing tasks, papers, conferences); the
#: sections' own query-count tests are in tests/reviews/test_home.py.
# +1: the shepherding section; +2: the Deciding section (decisions.home); +1: AE (artifacts).
HOME_QUERIES = 20


def _conferences_for(user, n):
    for i in range(n):
        conference = factories.ConferenceFactory(slug=f"extra{i}")
        factories.DeadlineFactory(conference=conference, kind=DeadlineKind.SUBMISSION)
        factories.DeadlineFactory(conference=conference, kind=DeadlineKind.BIDDING)
        factories.TrackFactory(conference=conference)
        factories.MembershipFactory(conference=conference, user=user, role=Role.PROGRAM_CHAIR)


def _measure(client, django_assert_num_queries, path, limit):
    with django_assert_num_queries(limit):
        response = client.get(path)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("extra", [0, 4])
def test_home_page_queries_do_not_grow(client, chair, django_assert_num_queries, extra):
    _conferences_for(chair, extra)
    client.force_login(chair)
    response = _measure(client, django_assert_num_queries, reverse("home"), HOME_QUERIES)
    assert len(response.context["conference_blocks"]) == 1 + extra
    body = response.content.decode()
    assert body.count("Program chair") == 1 + extra


@pytest.mark.parametrize("extra", [0, 4])
def test_committee_page_queries_do_not_grow(
    client, conference, chair, url, django_assert_num_queries, extra
):
    for _i in range(extra):
        factories.MembershipFactory(conference=conference, role=Role.PC_MEMBER, side=Side.ML)
        factories.MembershipFactory(
            conference=conference, role=Role.AE_EVALUATOR, side="", max_load=None
        )
    client.force_login(chair)
    response = _measure(client, django_assert_num_queries, url("committee"), 8)
    assert response.context["member_count"] == 1 + 2 * extra


@pytest.mark.parametrize("extra", [0, 4])
def test_topics_page_queries_do_not_grow(
    client, conference, chair, url, django_assert_num_queries, extra
):
    conference.topics.all().delete()
    for i in range(1 + extra):
        factories.TopicFactory(conference=conference, area=Area.ML, name=f"Topic {i}")
    client.force_login(chair)
    _measure(client, django_assert_num_queries, url("topics"), 7)


@pytest.mark.parametrize("extra", [0, 4])
def test_tracks_page_queries_do_not_grow(
    client, conference, chair, url, django_assert_num_queries, extra
):
    for _i in range(extra):
        factories.TrackFactory(conference=conference)
    client.force_login(chair)
    _measure(client, django_assert_num_queries, url("tracks"), 7)


@pytest.mark.parametrize("extra", [0, 4])
def test_api_conference_list_queries_do_not_grow(client, chair, django_assert_num_queries, extra):
    _conferences_for(chair, extra)
    client.force_login(chair)
    response = _measure(client, django_assert_num_queries, "/api/v1/conferences/", 6)
    assert response.json()["count"] == 1 + extra


@pytest.mark.parametrize("resource", ["tracks", "topics", "committee"])
@pytest.mark.parametrize("extra", [0, 4])
def test_api_conference_collections_queries_do_not_grow(
    client, conference, chair, django_assert_num_queries, extra, resource
):
    for _ in range(extra):
        factories.TrackFactory(conference=conference)
        factories.TopicFactory(conference=conference)
        factories.MembershipFactory(conference=conference)
    client.force_login(chair)
    path = f"/api/v1/conferences/{conference.slug}/{resource}/"
    _measure(client, django_assert_num_queries, path, 5 if resource != "committee" else 6)
