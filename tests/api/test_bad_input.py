"""Bad numbers get a 400 or a form error, never a 500 (issue 8): Unicode digits (``²``, ``①``)
that ``str.isdigit()`` accepts and ``int()`` refuses, and integers past 2**63 that overflow the
database driver. Also OPTIONS on the meta-review and author-response endpoints."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mlsys.accounts.services import create_api_token
from mlsys.conferences.enums import Phase, PhaseMode
from mlsys.core.numbers import parse_id, parse_int
from reviews.models import Review
from tests import factories
from tests.reviews import paper_fixtures
from tests.reviews.paper_fixtures import ML_TEXT, write_review


@pytest.fixture
def paper(conference, author, ml_reviewer, systems_reviewer, conflicted_reviewer, conflicted_chair):
    return paper_fixtures.reviewed_paper(
        conference, author, ml_reviewer, systems_reviewer, conflicted_reviewer, conflicted_chair
    )


pytestmark = pytest.mark.django_db

UNICODE_DIGITS = ["²", "①", "#²", "٣", "1²"]
TOO_BIG = [str(2**63), str(2**64), "9" * 40]


def api_client(user) -> APIClient:
    _, key = create_api_token(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_parse_helpers_accept_only_ascii_digits_in_range():
    assert parse_id("42") == 42
    assert parse_id(" 7 ") == 7
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
    for bad in ["²", "①", "٣", "-1", "1.0", "", "0x10", str(2**63), 2**63, -1, True, None]:
        assert parse_id(bad) is None, bad
    assert parse_int("-3") == -3
    assert parse_int(str(-(2**63))) == -(2**63)
    assert parse_int("-²") is None
    assert parse_int(str(-(2**63) - 1)) is None


# --- Searches -----------------------------------------------------------------------------------


@pytest.mark.parametrize("q", [*UNICODE_DIGITS, *TOO_BIG])
def test_bidding_search_with_odd_numbers_is_a_normal_search(client, conference, ml_reviewer, q):
    factories.PhaseSettingFactory(conference=conference, phase=Phase.BIDDING, mode=PhaseMode.OPEN)
    kernel = factories.SubmissionFactory(conference=conference, title="Kernel fusion")
    client.force_login(ml_reviewer)
    url = reverse("reviews:bidding", kwargs={"conference": conference.slug})
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert list(response.context["submissions"]) == []
    assert [
        s.title for s in client.get(url, {"q": f"#{kernel.number}"}).context["submissions"]
    ] == ["Kernel fusion"]


@pytest.mark.parametrize("q", [*UNICODE_DIGITS, *TOO_BIG])
def test_submissions_search_with_odd_numbers_is_a_normal_search(client, conference, chair, q):
    factories.SubmissionFactory(conference=conference, title="Kernel fusion")
    client.force_login(chair)
    page = client.get(
        reverse("submissions:chair_list", kwargs={"conference": conference.slug}), {"q": q}
    )
    assert page.status_code == 200
    response = api_client(chair).get(
        f"/api/v1/conferences/{conference.slug}/submissions/", {"q": q}
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


# --- Id filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["topic", "tag"])
@pytest.mark.parametrize("value", [*UNICODE_DIGITS, *TOO_BIG, "-5"])
def test_submission_id_filters_refuse_non_ids_with_400(conference, chair, name, value):
    response = api_client(chair).get(
        f"/api/v1/conferences/{conference.slug}/submissions/", {name: value}
    )
    assert response.status_code == 400
    assert name in response.json()["error"]["fields"]


def test_submission_topic_filter_still_filters(conference, chair):
    topic = conference.topics.get(name="LLMs")
    tagged = factories.SubmissionFactory(conference=conference, title="LLM paper")
    tagged.topics.add(topic)
    factories.SubmissionFactory(conference=conference, title="Other")
    response = api_client(chair).get(
        f"/api/v1/conferences/{conference.slug}/submissions/", {"topic": str(topic.pk)}
    )
    assert [r["title"] for r in response.json()["results"]] == ["LLM paper"]


@pytest.mark.parametrize("name", ["reviewer", "submission"])
@pytest.mark.parametrize("value", [*UNICODE_DIGITS, "abc", "-5", "1.5"])
def test_reviews_filters_refuse_non_ids_with_400(paper, chair, name, value):
    response = api_client(chair).get(
        f"/api/v1/conferences/{paper.conference.slug}/reviews/", {name: value}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {name: ["Enter a whole number (digits 0-9)."]}


@pytest.mark.parametrize("name", ["reviewer", "submission"])
@pytest.mark.parametrize("value", [*TOO_BIG, "99999999999999999999", " 99999999999999999999 "])
def test_reviews_filters_call_all_digit_ids_past_the_range_too_large(paper, chair, name, value):
    response = api_client(chair).get(
        f"/api/v1/conferences/{paper.conference.slug}/reviews/", {name: value}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        name: ["This number is too large (it must be below 2^63)."]
    }


def test_reviews_reviewer_filter_still_filters(paper, chair, ml_reviewer, systems_reviewer):
    write_review(paper, ml_reviewer, paper_fixtures.answers(ML_TEXT))
    write_review(paper, systems_reviewer, paper_fixtures.answers("Systems view"))
    response = api_client(chair).get(
        f"/api/v1/conferences/{paper.conference.slug}/reviews/", {"reviewer": str(ml_reviewer.pk)}
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [
        Review.objects.get(reviewer=ml_reviewer, submission=paper).pk
    ]


# --- Review scores ------------------------------------------------------------------------------


@pytest.mark.parametrize("score", ["²", "①", "-²", str(2**70)])
def test_review_score_with_odd_digits_is_a_field_error(paper, ml_reviewer, score):
    response = api_client(ml_reviewer).post(
        f"/api/v1/conferences/{paper.conference.slug}/reviews/",
        {"submission": paper.number, "answers": {"summary": ML_TEXT, "overall_merit": score}},
        format="json",
    )
    assert response.status_code == 400
    assert "overall_merit" in str(response.json()["error"]["fields"])
    assert not Review.objects.exists()


# --- ORCID --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-009²", "①000-0002-1825-0097", "0000-0002-1825-00٩7"]
)
def test_orcid_with_unicode_digits_is_refused(client, author, orcid):
    client.force_login(author)
    page = client.post(reverse("accounts:profile"), {"profile-name": "Ada", "profile-orcid": orcid})
    assert page.status_code == 200
    assert page.context["profile_form"].errors["orcid"]
    response = api_client(author).patch("/api/v1/me/", {"orcid": orcid}, format="json")
    assert response.status_code == 400
    assert "orcid" in response.json()["error"]["fields"]
    author.refresh_from_db()
    assert author.orcid == ""


# --- OPTIONS ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["meta-review/", "response/"])
def test_options_on_single_object_endpoints_answers_200(paper, chair, author, suffix):
    factories.MetaReviewFactory(submission=paper, lead=chair)
    url = f"/api/v1/conferences/{paper.conference.slug}/submissions/{paper.number}/{suffix}"
    for user in (chair, author):
        response = api_client(user).options(url)
        assert response.status_code == 200, response.content
        assert response.json()["name"]
