"""Chairs reach a paper's reviews and discussion (reviews:paper) from the submissions list, the
submission page, Progress and Leads; never for a paper they are conflicted with."""

import pytest
from django.urls import reverse

from tests import factories
from tests.reviews.response_fixtures import make_paper, review


def url(name, conference, **kwargs):
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


@pytest.fixture
def papers(conference, author, ml_reviewer, chair):
    mine = make_paper(conference, author, number=1, title="Open paper")
    other = make_paper(conference, author, number=2, title="Conflicted paper")
    draft = factories.SubmissionFactory(
        conference=conference, number=3, title="Draft paper", status="draft"
    )
    review(mine, ml_reviewer)
    review(other, ml_reviewer)
    factories.ConflictFactory(submission=other, user=chair, state="confirmed")
    return mine, other, draft


def test_submissions_list_links_reviews_of_papers_the_chair_may_see(
    client, conference, chair, papers
):
    client.force_login(chair)
    html = client.get(url("submissions:chair_list", conference)).content.decode()
    assert url("reviews:paper", conference, number=1) in html
    assert url("reviews:paper", conference, number=2) not in html  # conflicted
    assert url("reviews:paper", conference, number=3) not in html  # draft: nothing to review
    assert 'Reviews<span class="visually-hidden"> and discussion of #1</span>' in html


def test_submission_page_links_reviews_unless_the_chair_is_conflicted(
    client, conference, chair, papers
):
    client.force_login(chair)
    page = client.get(url("submissions:chair_detail", conference, number=1)).content.decode()
    assert f'href="{url("reviews:paper", conference, number=1)}"' in page
    page = client.get(url("submissions:chair_detail", conference, number=2)).content.decode()
    assert url("reviews:paper", conference, number=2) not in page
    assert client.get(url("reviews:paper", conference, number=2)).status_code == 404


@pytest.mark.parametrize("name", ["reviews:progress", "reviews:leads"])
def test_progress_and_leads_link_reviews_of_listed_papers(client, conference, chair, papers, name):
    client.force_login(chair)
    html = client.get(url(name, conference)).content.decode()
    assert f'href="{url("reviews:paper", conference, number=1)}"' in html
    assert url("reviews:paper", conference, number=2) not in html


def test_linked_page_opens_for_the_chair(client, conference, chair, papers):
    client.force_login(chair)
    response = client.get(url("reviews:paper", conference, number=1))
    assert response.status_code == 200
    assert "Open paper" in response.content.decode()


def test_assignment_pages_link_reviews_unless_the_chair_is_conflicted(
    client, conference, chair, papers
):
    client.force_login(chair)
    html = client.get(url("reviews:assignment", conference)).content.decode()
    assert f'href="{url("reviews:paper", conference, number=1)}"' in html
    assert url("reviews:paper", conference, number=2) not in html
    page = client.get(url("reviews:assignment_paper", conference, number=1)).content.decode()
    assert f'href="{url("reviews:paper", conference, number=1)}"' in page
