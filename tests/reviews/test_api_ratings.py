"""Review helpfulness ratings through the API: reviews.discussion.services.rate_review and the
paper page's rules (chairs read every rating, a reviewer the ones they gave)."""

import pytest

from mlsys.core.models import AuditEvent
from reviews.models import ReviewRating
from tests import factories
from tests.api.clients import anonymous, token_client
from tests.reviews import paper_fixtures
from tests.reviews.paper_fixtures import ML_TEXT, SYSTEMS_TEXT, answers, assign, write_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviews(paper, ml_reviewer, systems_reviewer):
    return (
        write_review(paper, ml_reviewer, answers(ML_TEXT)),
        write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT)),
    )


def rate_url(paper, review) -> str:
    slug = paper.conference.slug
    return f"/api/v1/conferences/{slug}/submissions/{paper.number}/reviews/{review.pk}/rating/"


def list_url(paper) -> str:
    return f"/api/v1/conferences/{paper.conference.slug}/submissions/{paper.number}/ratings/"


def test_reviewer_rates_another_review_and_replaces_the_rating(paper, reviews, ml_reviewer):
    _mine, theirs = reviews
    client = token_client(ml_reviewer)
    first = client.put(rate_url(paper, theirs), {"helpfulness": 2})
    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["rater"], body["helpfulness"], body["helpfulness_label"]) == (
        "You",
        2,
        "Excellent",
    )
    # Named as on the paper page (this conference shows reviewers each other's names).
    assert (body["review"], body["reviewer"]) == (theirs.pk, "Sam Kernel (Reviewer B)")
    client.put(rate_url(paper, theirs), {"helpfulness": 0})
    assert list(ReviewRating.objects.values_list("rater", "review", "helpfulness")) == [
        (ml_reviewer.pk, theirs.pk, 0)
    ]
    assert AuditEvent.objects.filter(action="reviews.review_rated").count() == 2


@pytest.mark.parametrize("role", ["ml_reviewer", "chair"])
def test_own_review_and_chairs_are_refused_with_403(request, paper, reviews, role):
    mine, _theirs = reviews
    response = token_client(request.getfixturevalue(role)).put(
        rate_url(paper, mine), {"helpfulness": 1}
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You cannot rate this review."
    assert not ReviewRating.objects.exists()


@pytest.mark.parametrize(
    "role", ["conflicted_reviewer", "conflicted_chair", "bystander", "author", "outsider"]
)
def test_everyone_else_gets_404(request, paper, reviews, role):
    client = token_client(request.getfixturevalue(role))
    assert client.put(rate_url(paper, reviews[0]), {"helpfulness": 1}).status_code == 404
    assert client.get(list_url(paper)).status_code == 404
    assert not ReviewRating.objects.exists()


def test_anonymous_gets_401(paper, reviews):
    assert anonymous().put(rate_url(paper, reviews[0]), {"helpfulness": 1}).status_code == 401
    assert anonymous().get(list_url(paper)).status_code == 401


def test_a_reviewer_who_has_not_submitted_cannot_reach_other_reviews(
    paper, ml_reviewer, systems_reviewer
):
    theirs = write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT))
    response = token_client(ml_reviewer).put(rate_url(paper, theirs), {"helpfulness": 1})
    assert response.status_code == 404
    assert not ReviewRating.objects.exists()


def test_a_review_of_another_paper_is_404(conference, paper, reviews, ml_reviewer, author):
    other = factories.SubmissionFactory(conference=conference, authors=[author])
    assign(other, ml_reviewer)
    response = token_client(ml_reviewer).put(rate_url(other, reviews[1]), {"helpfulness": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("body", [{}, {"helpfulness": 5}, {"helpfulness": "great"}])
def test_bad_rating_is_400(paper, reviews, ml_reviewer, body):
    response = token_client(ml_reviewer).put(rate_url(paper, reviews[1]), body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["helpfulness"]
    assert not ReviewRating.objects.exists()


@pytest.mark.parametrize("count", [1, 10])
def test_chair_reads_every_rating_in_constant_queries(
    conference, paper, reviews, chair, ml_reviewer, count, django_assert_num_queries
):
    mine, _theirs = reviews
    for i in range(count):
        rater = paper_fixtures.member(conference, name=f"Rater {i}")
        write_review(paper, rater, answers(f"Review {i}"))
        factories.ReviewRatingFactory(review=mine, rater=rater, helpfulness=1)
    client = token_client(chair)
    with django_assert_num_queries(13):
        response = client.get(list_url(paper))
    rows = response.json()
    assert len(rows) == count
    assert {(r["review"], r["reviewer"]) for r in rows} == {(mine.pk, "Mia Learner (Reviewer A)")}
    assert rows[0]["rater"].startswith("Rater ")


def test_a_reviewer_reads_only_the_ratings_they_gave(paper, reviews, ml_reviewer, systems_reviewer):
    mine, theirs = reviews
    factories.ReviewRatingFactory(review=theirs, rater=ml_reviewer, helpfulness=2)
    factories.ReviewRatingFactory(review=mine, rater=systems_reviewer, helpfulness=0)
    rows = token_client(ml_reviewer).get(list_url(paper)).json()
    assert [(r["review"], r["rater"], r["helpfulness"]) for r in rows] == [(theirs.pk, "You", 2)]
