"""Bids through the API: the bidding page's rules for PC members, every bid for chairs."""

import pytest

from mlsys.core.models import AuditEvent
from reviews.models import Bid
from submissions.models import Conflict
from tests import factories
from tests.api.clients import anonymous, token_client

pytestmark = pytest.mark.django_db


def url(conference, suffix: str) -> str:
    return f"/api/v1/conferences/{conference.slug}/{suffix}"


def paper(conference, **kwargs):
    return factories.SubmissionFactory(conference=conference, **kwargs)


# --- The PC member's side ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_pc_member_lists_papers_with_their_bid_in_constant_queries(
    conference, ml_reviewer, bidding_open, count, django_assert_num_queries
):
    papers = [paper(conference) for _ in range(count)]
    factories.BidFactory(submission=papers[0], user=ml_reviewer, value="eager")
    client = token_client(ml_reviewer)
    with django_assert_num_queries(10):
        response = client.get(url(conference, "bidding/"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["number"] for r in rows] == sorted(p.number for p in papers)
    assert rows[0]["my_bid"] == "eager"
    assert all(r["my_bid"] is None for r in rows[1:])


def test_conflicted_papers_are_never_listed_and_answer_404(conference, ml_reviewer, bidding_open):
    visible = paper(conference, title="Visible")
    mine = paper(conference, title="My own", authors=[ml_reviewer])
    conflicted = paper(conference, title="Conflicted")
    factories.ConflictFactory(submission=conflicted, user=ml_reviewer, state="confirmed")
    client = token_client(ml_reviewer)
    titles = [r["title"] for r in client.get(url(conference, "bidding/")).json()["results"]]
    assert titles == ["Visible"]
    for hidden in (mine, conflicted):
        response = client.put(url(conference, f"bidding/{hidden.number}/"), {"value": "eager"})
        assert response.status_code == 404
    assert not Bid.objects.exists()
    saved = client.put(url(conference, f"bidding/{visible.number}/"), {"value": "eager"})
    assert saved.status_code == 200


def test_anonymous_track_authors_are_not_listed(conference, ml_reviewer, bidding_open, author):
    industry = conference.tracks.get(slug="industry")
    industry.anonymity = "open"
    industry.save(update_fields=["anonymity"])
    paper(conference, title="Blind", authors=[author])
    paper(conference, title="Open", authors=[author], track=industry)
    rows = token_client(ml_reviewer).get(url(conference, "bidding/")).json()["results"]
    assert {r["title"]: r["authors"] for r in rows} == {"Blind": [], "Open": ["Ada Author"]}


def test_pc_member_sets_and_replaces_a_bid(conference, ml_reviewer, bidding_open):
    target = paper(conference)
    client = token_client(ml_reviewer)
    first = client.put(url(conference, f"bidding/{target.number}/"), {"value": "willing"})
    assert first.status_code == 200
    assert first.json() == {"number": target.number, "value": "willing", "hidden": False}
    client.put(url(conference, f"bidding/{target.number}/"), {"value": "not_willing"})
    assert list(Bid.objects.values_list("user", "value")) == [(ml_reviewer.pk, "not_willing")]
    assert AuditEvent.objects.filter(action="reviews.bid_placed").count() == 2


def test_a_conflict_bid_declares_a_conflict_and_hides_the_paper(
    conference, ml_reviewer, bidding_open
):
    target = paper(conference)
    client = token_client(ml_reviewer)
    response = client.put(url(conference, f"bidding/{target.number}/"), {"value": "conflict"})
    assert response.json() == {"number": target.number, "value": "conflict", "hidden": True}
    assert Conflict.objects.get(user=ml_reviewer).state == "confirmed"
    assert client.get(url(conference, "bidding/")).json()["results"] == []
    again = client.put(url(conference, f"bidding/{target.number}/"), {"value": "eager"})
    assert again.status_code == 404


def test_bidding_closed_is_403_and_changes_nothing(conference, ml_reviewer):
    target = paper(conference)
    client = token_client(ml_reviewer)
    response = client.put(url(conference, f"bidding/{target.number}/"), {"value": "eager"})
    assert response.status_code == 403
    assert "Bidding is closed" in response.json()["error"]["message"]
    assert not Bid.objects.exists()


@pytest.mark.parametrize("body", [{}, {"value": "very_eager"}, {"value": 3}])
def test_a_bad_bid_value_is_400_with_a_message(conference, ml_reviewer, bidding_open, body):
    target = paper(conference)
    response = token_client(ml_reviewer).put(url(conference, f"bidding/{target.number}/"), body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["value"]
    assert not Bid.objects.exists()


@pytest.mark.parametrize("role", ["chair", "author", "outsider"])
def test_only_pc_members_bid(request, conference, bidding_open, role):
    target = paper(conference)
    client = token_client(request.getfixturevalue(role))
    assert client.get(url(conference, "bidding/")).status_code == 404
    assert (
        client.put(url(conference, f"bidding/{target.number}/"), {"value": "eager"}).status_code
        == 404
    )
    assert not Bid.objects.exists()


def test_anonymous_bidding_is_401(conference, bidding_open):
    assert anonymous().get(url(conference, "bidding/")).status_code == 401


# --- The chairs' list ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_chair_lists_every_bid_in_constant_queries(
    conference, chair, ml_reviewer, count, django_assert_num_queries
):
    for _ in range(count):
        factories.BidFactory(submission=paper(conference), user=ml_reviewer, value="eager")
    client = token_client(chair)
    with django_assert_num_queries(11):
        response = client.get(url(conference, "bids/"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == count
    assert {(r["user"], r["name"], r["value"]) for r in rows} == {
        (ml_reviewer.pk, "Mia Learner", "eager")
    }


def test_conflicted_chair_never_sees_bids_on_their_conflicted_papers(
    conference, chair, conflicted_chair, ml_reviewer
):
    theirs = paper(conference)
    other = paper(conference)
    factories.ConflictFactory(submission=theirs, user=conflicted_chair, state="confirmed")
    for p in (theirs, other):
        factories.BidFactory(submission=p, user=ml_reviewer)
    numbers = [
        r["number"]
        for r in token_client(conflicted_chair).get(url(conference, "bids/")).json()["results"]
    ]
    assert numbers == [other.number]
    filtered = token_client(conflicted_chair).get(
        url(conference, "bids/"), {"number": theirs.number}
    )
    assert filtered.json()["results"] == []
    everything = token_client(chair).get(url(conference, "bids/")).json()["results"]
    assert sorted(r["number"] for r in everything) == sorted([theirs.number, other.number])


def test_chair_filters_bids(conference, chair, ml_reviewer, systems_reviewer):
    target = paper(conference)
    factories.BidFactory(submission=target, user=ml_reviewer, value="eager")
    factories.BidFactory(submission=target, user=systems_reviewer, value="not_willing")
    client = token_client(chair)
    by_user = client.get(url(conference, "bids/"), {"user": systems_reviewer.pk}).json()
    assert [r["value"] for r in by_user["results"]] == ["not_willing"]
    by_value = client.get(url(conference, "bids/"), {"value": "eager"}).json()
    assert [r["user"] for r in by_value["results"]] == [ml_reviewer.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"number": "two"}, "number"),
        ({"user": "²"}, "user"),
        ({"user": 2**64}, "user"),
        ({"value": "x"}, "value"),
    ],
)
def test_bad_bid_filters_are_400(conference, chair, params, field):
    response = token_client(chair).get(url(conference, "bids/"), params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][field]


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_only_chairs_list_bids(request, conference, role):
    factories.BidFactory(submission=paper(conference), user=request.getfixturevalue("ml_reviewer"))
    assert (
        token_client(request.getfixturevalue(role)).get(url(conference, "bids/")).status_code == 404
    )
    assert anonymous().get(url(conference, "bids/")).status_code == 401
