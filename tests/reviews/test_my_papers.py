"""The reviewer's My papers page: released assignments only, never a conflicted paper."""

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from reviews.review_forms import ensure_default_form
from reviews.reviewing import services
from tests import factories
from tests.reviews.reviewing_helpers import FULL_ANSWERS, assign, login, make_paper


def my_papers(conference):
    return reverse("reviews:my_papers", kwargs={"conference": conference.slug})


@pytest.fixture
def research_paper(conference, author):
    paper = factories.SubmissionFactory(
        conference=conference, title="Sparse kernels for LLMs", authors=[author]
    )
    paper.topics.set(conference.topics.filter(name__in=["LLMs", "Compilers"]))
    return paper


@pytest.fixture
def industry_paper(conference, outsider):
    industry = conference.tracks.get(slug="industry")
    industry.anonymity = enums.Anonymity.OPEN
    industry.save()
    return factories.SubmissionFactory(
        conference=conference, track=industry, title="Serving at scale", authors=[outsider]
    )


def test_released_assignments_are_listed_without_authors_on_anonymous_tracks(
    client, conference, ml_reviewer, research_paper, industry_paper
):
    assign(research_paper, ml_reviewer)
    assign(industry_paper, ml_reviewer)
    login(client, ml_reviewer)
    response = client.get(my_papers(conference))
    page = response.content.decode()
    assert [a.submission for a in response.context["assignments"]] == [
        research_paper,
        industry_paper,
    ]
    assert "Sparse kernels for LLMs" in page and "Compilers" in page and "Research" in page
    assert "Ada Author" not in page
    assert "Olly Outsider" in page  # the industry track is open here


def test_unreleased_and_other_peoples_assignments_are_not_shown(
    client, conference, ml_reviewer, systems_reviewer, research_paper, industry_paper
):
    assign(research_paper, ml_reviewer, released=False)
    assign(industry_paper, systems_reviewer)
    login(client, ml_reviewer)
    response = client.get(my_papers(conference))
    page = response.content.decode()
    assert response.context["assignments"] == []
    assert "Sparse kernels" not in page and "Serving at scale" not in page
    assert "No papers have been released to you yet" in page


def test_conflicted_reviewer_sees_nothing_of_a_conflicted_paper(
    client, conference, conflicted_reviewer, research_paper
):
    assign(research_paper, conflicted_reviewer)
    factories.ConflictFactory(submission=research_paper, user=conflicted_reviewer)
    login(client, conflicted_reviewer)
    page = client.get(my_papers(conference)).content.decode()
    assert "Sparse kernels" not in page and f"#{research_paper.number}" not in page


@pytest.mark.parametrize("role", ["author", "outsider", "chair"])
def test_non_reviewers_get_404(client, conference, role, request):
    login(client, request.getfixturevalue(role))
    assert client.get(my_papers(conference)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, conference):
    response = client.get(my_papers(conference))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("n_papers", [1, 5])
def test_my_papers_query_count_is_constant(
    client, conference, ml_reviewer, n_papers, django_assert_num_queries
):
    ensure_default_form(conference)
    for i in range(n_papers):
        paper = factories.SubmissionFactory(
            conference=conference, authors=[factories.UserFactory()]
        )
        paper.topics.set(conference.topics.all()[:2])
        assignment = assign(paper, ml_reviewer)
        if i % 2:
            services.save_draft(
                assignment, actor=ml_reviewer, answers={"summary": "S"}, expected_version=0
            )
    login(client, ml_reviewer)
    with django_assert_num_queries(16):  # with the papers the reviewer leads
        response = client.get(my_papers(conference))
    assert len(response.context["assignments"]) == n_papers


# --- "My reviews": status, deadline, what remains (review-writing helper) ------------------


def test_my_reviews_shows_status_summary_deadline_and_missing_fields(
    client, conference, ml_reviewer, author
):
    papers = [make_paper(conference, author, title=f"Paper {i}") for i in range(3)]
    assignments = [assign(p, ml_reviewer) for p in papers]
    services.save_draft(
        assignments[1], actor=ml_reviewer, answers={"summary": "Half done"}, expected_version=0
    )
    services.submit_review(
        assignments[2], actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
    )
    login(client, ml_reviewer)
    response = client.get(my_papers(conference))
    page = response.content.decode()
    assert [row.status for row in response.context["rows"]] == [
        "not_started",
        "draft",
        "submitted",
    ]
    assert "<h1>My reviews</h1>" in page and "1 of 3 submitted" in page
    assert [len(row.missing) for row in response.context["rows"]] == [8, 7, 0]
    assert "Still to answer (7)" in page and "AoE" in page and 'class="local-time"' in page
    assert page.count("Decline<span") == 1  # only the paper not started


def test_declined_assignment_disappears_from_my_reviews(client, conference, ml_reviewer, author):
    assignment = assign(make_paper(conference, author), ml_reviewer)
    services.decline_assignment(assignment, actor=ml_reviewer, reason="Outside my area")
    login(client, ml_reviewer)
    response = client.get(my_papers(conference))
    assert response.context["rows"] == []
    assert "Sparse kernels" not in response.content.decode()
