"""An AE evaluator who is also on the PC and bid "conflict" on a paper in reviewing is
conflicted with its artifact (artifacts.rules.load_artifact_conflicts says so): the bidding
list, the bid endpoints and the assignment solver must agree, or the evaluator is shown the
artifact, bids on it, and is assigned an artifact they may not open."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from artifacts.assignment import pool as pools
from artifacts.assignment import queries
from mlsys.conferences import enums
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = af.artifact_world(status="submitted")
    f.MembershipFactory(
        conference=w.conference,
        user=w.other_evaluator,
        role=enums.Role.PC_MEMBER,
        status=enums.InvitationStatus.ACCEPTED,
    )
    f.BidFactory(submission=w.artifact.submission, user=w.other_evaluator, value="conflict")
    return w


def test_rules_see_the_review_conflict_bid(world):
    assert not world.other_evaluator.has_perm("artifacts.bid_on_artifact", world.artifact)


def test_bidding_hides_an_artifact_conflicted_by_a_review_bid(world, client):
    assert world.artifact not in queries.for_bidding(world.other_evaluator, world.conference)
    client.force_login(world.other_evaluator)
    page = client.get(reverse("artifacts:bidding", kwargs={"conference": world.conference.slug}))
    assert world.artifact.submission.title not in page.content.decode()
    api = APIClient()
    api.force_login(world.other_evaluator)
    listing = api.get(reverse("api-artifact-bids", kwargs={"conference": world.conference.slug}))
    assert [r["number"] for r in listing.json()["results"]] == []
    url = reverse(
        "api-artifact-bid",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    assert api.put(url, {"preference": "eager"}, format="json").status_code == 404


def test_the_solver_never_proposes_an_evaluator_conflicted_by_a_review_bid(world):
    pool = pools.load(world.conference, [world.artifact])
    assert pool.is_conflicted(world.artifact, world.other_evaluator.pk)
