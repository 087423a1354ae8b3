"""The dashboard through the API: rows for chairs (paged, filtered, conflicted rows redacted),
decisions set one by one, in bulk and cleared; every other role refused."""

import pytest
from django.urls import reverse

from decisions.models import Decision
from decisions.outcomes import outcomes_of
from tests import factories


def api_url(name, conference, **kwargs):
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


@pytest.fixture
def outcomes(conference):
    return outcomes_of(conference)


def test_rows_for_the_chair_filtered_and_sorted(api, chair, conference, make_scored_paper):
    split = make_scored_paper(ml=[6], systems=[1], title="Split")
    calm = make_scored_paper(ml=[4], systems=[4], title="Calm")
    api.force_authenticate(chair)
    response = api.get(api_url("api-decisions-dashboard", conference), {"sort": "-gap"})
    assert response.status_code == 200
    assert [r["number"] for r in response.data["results"]] == [split.number, calm.number]
    row = response.data["results"][0]
    assert row["gap"] == 5.0 and row["scores"]["overall_merit"]["spread"] == 5.0
    assert row["reviews"]["ml"] == {"done": 1, "assigned": 1}
    assert row["decision"] is None and row["conflicted"] is False
    only = api.get(api_url("api-decisions-dashboard", conference), {"gap": "2"})
    assert [r["number"] for r in only.data["results"]] == [split.number]


def test_bad_filters_answer_400(api, chair, conference):
    api.force_authenticate(chair)
    response = api.get(api_url("api-decisions-dashboard", conference), {"gap": "much"})
    assert response.status_code == 400 and "gap" in response.data["error"]["fields"]


def test_the_rows_are_paged(api, chair, conference):
    for _ in range(101):
        factories.SubmissionFactory(conference=conference)
    api.force_authenticate(chair)
    response = api.get(api_url("api-decisions-dashboard", conference))
    assert response.data["count"] == 101 and len(response.data["results"]) == 100
    assert response.data["next"]


def test_a_conflicted_chair_gets_the_row_redacted_and_cannot_decide(
    api, conflicted_chair, conference, make_scored_paper, outcomes
):
    mine = make_scored_paper(ml=[6], systems=[1], title="Mine")
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    api.force_authenticate(conflicted_chair)
    rows = api.get(api_url("api-decisions-dashboard", conference)).data["results"]
    assert rows == [
        {
            "number": mine.number,
            "title": "Mine",
            "track": "Research",
            "topics": [],
            "conflicted": True,
        }
    ]
    one = api.post(
        api_url("api-decision-list", conference),
        {"number": mine.number, "outcome": outcomes[0].pk},
        format="json",
    )
    assert one.status_code == 404
    bulk = api.post(
        api_url("api-decision-bulk", conference),
        {"numbers": [mine.number], "outcome": outcomes[0].pk},
        format="json",
    )
    assert bulk.status_code == 200 and bulk.data["done"] == []
    assert "conflicted" in bulk.data["skipped"][0]["reason"]
    factories.DecisionFactory(submission=mine, outcome=outcomes[0])
    delete = api.delete(api_url("api-decision-detail", conference, number=mine.number))
    assert delete.status_code == 404
    assert Decision.objects.filter(submission=mine).count() == 1


def test_set_bulk_and_clear(api, chair, conference, outcomes):
    a, b = (factories.SubmissionFactory(conference=conference) for _ in range(2))
    api.force_authenticate(chair)
    one = api.post(
        api_url("api-decision-list", conference),
        {"number": a.number, "outcome": outcomes[2].pk, "reason": "Out of scope"},
        format="json",
    )
    assert one.status_code == 200
    assert one.data == {
        "number": a.number,
        "outcome": outcomes[2].pk,
        "label": "Reject",
        "status": "pending",
        "reason": "Out of scope",
    }
    bulk = api.post(
        api_url("api-decision-bulk", conference),
        {"numbers": [a.number, b.number, 999], "outcome": outcomes[1].pk},
        format="json",
    )
    assert bulk.data["done"] == [a.number, b.number]
    assert bulk.data["skipped"] == [{"number": 999, "reason": "No paper has this number."}]
    assert (
        api.delete(api_url("api-decision-detail", conference, number=a.number)).status_code == 204
    )
    assert not Decision.objects.filter(submission=a).exists()
    assert (
        api.delete(api_url("api-decision-detail", conference, number=a.number)).status_code == 404
    )


def test_bad_decisions_answer_400(api, chair, conference, outcomes):
    paper = factories.SubmissionFactory(conference=conference)
    retired = outcomes[0]
    retired.active = False
    retired.save()
    api.force_authenticate(chair)
    url = api_url("api-decision-list", conference)
    for body in (
        {"number": paper.number, "outcome": retired.pk},
        {"number": paper.number, "outcome": factories.OutcomeFactory().pk},
        {"number": paper.number, "outcome": "x"},
        {"number": 2**70, "outcome": outcomes[1].pk},
    ):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, body
    withdrawn = factories.SubmissionFactory(conference=conference, status="withdrawn")
    response = api.post(url, {"number": withdrawn.number, "outcome": outcomes[1].pk}, format="json")
    assert response.status_code == 400 and "not under review" in response.data["error"]["message"]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_everyone_but_chairs_gets_404(api, conference, outcomes, role, request):
    paper = factories.SubmissionFactory(conference=conference)
    api.force_authenticate(request.getfixturevalue(role))
    assert api.get(api_url("api-decisions-dashboard", conference)).status_code == 404
    post = api.post(
        api_url("api-decision-list", conference),
        {"number": paper.number, "outcome": outcomes[0].pk},
        format="json",
    )
    assert post.status_code == 404
    assert (
        api.delete(api_url("api-decision-detail", conference, number=paper.number)).status_code
        == 404
    )
    assert not Decision.objects.exists()


def test_anonymous_gets_401(api, conference):
    assert api.get(api_url("api-decisions-dashboard", conference)).status_code == 401


@pytest.mark.parametrize("papers", [1, 10])
def test_api_queries_do_not_grow(
    api, chair, conference, make_scored_paper, django_assert_num_queries, papers
):
    for i in range(papers):
        make_scored_paper(ml=[i % 6 + 1], systems=[2])
    api.force_authenticate(chair)
    api.get(api_url("api-decisions-dashboard", conference))
    with django_assert_num_queries(QUERIES_API):
        response = api.get(api_url("api-decisions-dashboard", conference))
    assert response.data["count"] == papers


QUERIES_API = 13  # cached scores and fit (the second request)
