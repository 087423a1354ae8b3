"""Assignment proposals and release through the API: the chairs' pages' rules and services."""

import pytest

from reviews.assignment import services
from reviews.enums import PairChange, ProposalStatus
from reviews.models import Assignment, AssignmentProposal, ProposedPair
from tests import factories
from tests.api.clients import anonymous, token_client
from tests.reviews.assignment_fixtures import solved, write_review

pytestmark = pytest.mark.django_db


def url(conference, suffix: str = "") -> str:
    return f"/api/v1/conferences/{conference.slug}/assignment/{suffix}"


def proposal_url(proposal, suffix: str = "") -> str:
    return url(proposal.conference, f"proposals/{proposal.pk}/{suffix}")


SOLVE = {"track": "research", "w_affinity": 1, "w_bid": 1, "w_topic": 0.5}


# --- Who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_everyone_but_chairs_gets_404_and_nothing_changes(request, small, chair, role):
    proposal = solved(small, chair)
    client = token_client(request.getfixturevalue(role))
    for target in (url(small.conference, "proposals/"), proposal_url(proposal)):
        assert client.get(target).status_code == 404, target
    for suffix in ("pairs/", "undo-preview/"):
        assert client.get(proposal_url(proposal, suffix)).status_code == 404, suffix
    assert client.post(url(small.conference, "proposals/"), SOLVE).status_code == 404
    for suffix in ("commit/", "discard/", "undo/"):
        assert client.post(proposal_url(proposal, suffix)).status_code == 404, suffix
    assert client.post(url(small.conference, "release/")).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY
    assert AssignmentProposal.objects.count() == 1 and not Assignment.objects.exists()


def test_anonymous_gets_401(small, chair):
    proposal = solved(small, chair)
    client = anonymous()
    assert client.get(url(small.conference, "proposals/")).status_code == 401
    assert client.post(proposal_url(proposal, "commit/")).status_code == 401
    assert client.post(url(small.conference, "release/")).status_code == 401


def test_another_conferences_proposal_is_404(small, chair):
    other = factories.conference_in_submission_phase(slug="other2027")
    theirs = factories.AssignmentProposalFactory(conference=other, status=ProposalStatus.READY)
    client = token_client(chair)
    assert client.get(url(small.conference, f"proposals/{theirs.pk}/")).status_code == 404
    assert client.post(url(small.conference, f"proposals/{theirs.pk}/commit/")).status_code == 404


# --- Solve ---------------------------------------------------------------------------------------


def test_solve_queues_a_proposal_and_the_status_follows_the_solver(
    small, chair, django_capture_on_commit_callbacks
):
    client = token_client(chair)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url(small.conference, "proposals/"), SOLVE)
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["in_progress"], body["track"]) == ("queued", True, "research")
    assert body["params"]["w_topic"] == 0.5 and len(queued) == 1
    proposal = AssignmentProposal.objects.get(pk=body["id"])
    assert proposal.created_by == chair and proposal.track == small.track
    queued[0]()  # the worker runs the solve
    status = client.get(proposal_url(proposal)).json()
    assert (status["status"], status["in_progress"], status["progress"]) == ("ready", False, 1.0)
    assert status["report"][0]["papers"] == 6 and status["hidden_papers"] == 0
    pairs = client.get(proposal_url(proposal, "pairs/")).json()
    assert pairs["count"] == 18
    assert {p["change"] for p in pairs["results"]} == {"new"}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"w_affinity": -1}, "w_affinity", "greater than or equal to 0"),
        ({"w_affinity": 0, "w_bid": 0, "w_topic": 0}, "non_field_errors", "At least one weight"),
        ({"track": "posters"}, "track", "No track “posters”; the tracks are research, industry"),
        ({"w_bid": "lots"}, "w_bid", "valid number"),
        ({"expertise_threshold": -2}, "expertise_threshold", "greater than or equal to 0"),
    ],
)
def test_bad_solve_input_is_400_and_queues_nothing(small, chair, body, field, message):
    response = token_client(chair).post(url(small.conference, "proposals/"), body)
    assert response.status_code == 400
    assert message in " ".join(response.json()["error"]["fields"][field])
    assert not AssignmentProposal.objects.exists()


@pytest.mark.parametrize("count", [1, 10])
def test_proposal_list_has_constant_queries(small, chair, count, django_assert_num_queries):
    for _ in range(count):
        factories.AssignmentProposalFactory(conference=small.conference, created_by=chair)
    client = token_client(chair)
    with django_assert_num_queries(8):
        response = client.get(url(small.conference, "proposals/"))
    assert response.json()["count"] == count
    assert response.json()["results"][0]["created_by"] == "Chair Person"


@pytest.mark.parametrize("count", [1, 10])
def test_pairs_have_constant_queries(small, chair, count, django_assert_num_queries):
    proposal = factories.AssignmentProposalFactory(
        conference=small.conference, created_by=chair, status=ProposalStatus.READY
    )
    pairs = [(p, u) for u in small.reviewers for p in small.papers][:count]
    ProposedPair.objects.bulk_create(
        ProposedPair(proposal=proposal, submission=p, user=u, change=PairChange.NEW)
        for p, u in pairs
    )
    client = token_client(chair)
    with django_assert_num_queries(13):
        response = client.get(proposal_url(proposal, "pairs/"))
    assert response.json()["count"] == count


def test_conflicted_chair_sees_no_pair_of_their_conflicted_paper(small, chair, conflicted_chair):
    proposal = solved(small, chair)
    theirs = small.papers[0]
    factories.ConflictFactory(submission=theirs, user=conflicted_chair, state="confirmed")
    client = token_client(conflicted_chair)
    pairs = client.get(proposal_url(proposal, "pairs/"), {"page_size": 100}).json()["results"]
    assert theirs.number not in {p["number"] for p in pairs} and len(pairs) == 15
    assert client.get(proposal_url(proposal)).json()["hidden_papers"] == 1
    everything = token_client(chair).get(proposal_url(proposal, "pairs/")).json()
    assert everything["count"] == 18


# --- Commit, discard, release --------------------------------------------------------------------


def test_commit_then_release(small, chair, django_capture_on_commit_callbacks):
    proposal = solved(small, chair)
    client = token_client(chair)
    committed = client.post(proposal_url(proposal, "commit/"))
    assert committed.status_code == 200, committed.content
    body = committed.json()
    assert (body["added"], body["removed"], body["proposal"]["status"]) == (18, 0, "committed")
    assert Assignment.objects.filter(proposal=proposal, released=False).count() == 18
    again = client.post(proposal_url(proposal, "commit/"))
    assert again.status_code == 400
    assert "This proposal is committed; it can't be changed." in again.json()["error"]["message"]
    with django_capture_on_commit_callbacks(execute=True):
        released = client.post(url(small.conference, "release/"))
    assert released.json() == {"reviewers_emailed": 6}
    assert not Assignment.objects.filter(released=False).exists()
    assert client.post(url(small.conference, "release/")).json() == {"reviewers_emailed": 0}


def test_discard(small, chair):
    proposal = solved(small, chair)
    client = token_client(chair)
    response = client.post(proposal_url(proposal, "discard/"))
    assert response.json()["status"] == "discarded"
    assert client.post(proposal_url(proposal, "commit/")).status_code == 400
    assert client.post(proposal_url(proposal, "discard/")).json()["error"]["message"] == (
        "This proposal is already discarded."
    )
    assert not Assignment.objects.exists()


# --- Undo ----------------------------------------------------------------------------------------


def committed_and_released(small, chair):
    proposal = solved(small, chair)
    services.commit_proposal(proposal, actor=chair)
    services.release_assignments(small.conference, actor=chair)
    return proposal


def test_undo_after_release_with_work_is_409_with_the_kept_pairs(small, chair):
    proposal = committed_and_released(small, chair)
    added = list(Assignment.objects.filter(proposal=proposal).order_by("pk"))
    write_review(added[0])
    client = token_client(chair)
    preview = client.get(proposal_url(proposal, "undo-preview/")).json()
    assert preview["can_undo"] and not preview["blocked"]
    assert [k["assignment"] for k in preview["kept"]] == [added[0].pk]
    refused = client.post(proposal_url(proposal, "undo/"), {})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert "choose for each" in error["message"]
    assert [k["assignment"] for k in error["current"]["kept"]] == [added[0].pk]
    assert error["current"]["kept"][0]["work"][0].startswith("a submitted review")
    assert error["current"]["fates"] == ["stay", "retire"]
    assert Assignment.objects.filter(proposal=proposal).count() == 18
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMMITTED

    done = client.post(proposal_url(proposal, "undo/"), {"fates": {str(added[0].pk): "retire"}})
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["deleted"], body["retired"], body["kept"]) == (17, 1, 0)
    assert body["proposal"]["status"] == "undone"
    assert Assignment.objects.get().removed_at is not None


def test_undo_with_one_fate_for_all(small, chair):
    proposal = committed_and_released(small, chair)
    added = list(Assignment.objects.filter(proposal=proposal).order_by("pk"))
    for a in added[:2]:
        write_review(a)
    response = token_client(chair).post(proposal_url(proposal, "undo/"), {"fate_all": "stay"})
    assert response.status_code == 200
    assert (response.json()["kept"], response.json()["deleted"]) == (2, 16)
    assert set(Assignment.objects.values_list("pk", flat=True)) == {a.pk for a in added[:2]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fate_all": "burn"}, "fate_all"),
        ({"fates": {"1": "burn"}}, "fates"),
        ({"fates": {"first": "stay"}}, "fates"),
        ({"fates": ["stay"]}, "fates"),
    ],
)
def test_bad_undo_input_is_400(small, chair, body, field):
    proposal = committed_and_released(small, chair)
    response = token_client(chair).post(proposal_url(proposal, "undo/"), body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][field]
    assert Assignment.objects.filter(proposal=proposal).count() == 18


def test_only_the_latest_commit_is_undone(small, chair):
    first = solved(small, chair)
    services.commit_proposal(first, actor=chair)
    second = solved(small, chair, w_topic=2)
    services.commit_proposal(second, actor=chair)
    response = token_client(chair).post(proposal_url(first, "undo/"))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Only the latest committed proposal can be undone."
    )
    first.refresh_from_db()
    assert first.status == ProposalStatus.COMMITTED


def test_conflicted_chair_cannot_undo_reviews_given_to_their_paper(small, chair, conflicted_chair):
    proposal = committed_and_released(small, chair)
    theirs = small.papers[0]
    factories.ConflictFactory(submission=theirs, user=conflicted_chair, state="confirmed")
    write_review(Assignment.objects.filter(submission=theirs).first())
    client = token_client(conflicted_chair)
    preview = client.get(proposal_url(proposal, "undo-preview/")).json()
    assert preview["blocked"] and preview["hidden"] == 3 and preview["kept"] == []
    response = client.post(proposal_url(proposal, "undo/"), {"fate_all": "retire"})
    assert response.status_code == 403
    assert "another chair must undo it" in response.json()["error"]["message"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMMITTED
