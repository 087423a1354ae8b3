"""A program chair who is also an author of a paper in their own conference (issue 10): the
management page and the list flag the paper "Is an author", and the chair is conflicted with
it everywhere (no reviews link, no status, conflict or release action; another chair handles
it), including when the author row is matched by their email without a linked account. The
paper's bids ("conflict" bids are reviewer-declared conflicts) stay hidden from them."""

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from reviews.bidding.services import place_bid
from reviews.enums import BidValue
from submissions.conflicts import recompute_conflicts
from submissions.models import Conflict
from tests import factories


def url(name, conference, **kwargs):
    return reverse(f"submissions:{name}", kwargs={"conference": conference.slug, **kwargs})


@pytest.fixture
def chair_author(conference):
    user = factories.UserFactory(name="Cora Chairauthor", email="cora@lab.example.edu")
    factories.MembershipFactory(conference=conference, user=user, role=enums.Role.PROGRAM_CHAIR)
    return user


@pytest.fixture
def paper(conference, author, chair_author):
    sub = factories.SubmissionFactory(
        conference=conference, number=3, status="submitted", authors=[author]
    )
    factories.AuthorFactory(
        submission=sub, user=chair_author, name=chair_author.name, email=chair_author.email
    )
    factories.SubmissionFactory(conference=conference, number=4, status="submitted")
    return sub


def test_management_page_flags_the_chair_as_an_author_and_offers_no_action(
    client, conference, paper, chair_author, chair
):
    client.force_login(chair_author)
    response = client.get(url("chair_detail", conference, number=3))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["viewer_is_author"] is True
    assert "Is an author" in html and "You are an author of this paper" in html
    assert not response.context["can_act"] and not response.context["reviews_visible"]
    assert url("chair_desk_reject", conference, number=3) not in html
    client.force_login(chair)
    response = client.get(url("chair_detail", conference, number=3))
    assert response.context["viewer_is_author"] is False
    assert "You are an author of this paper" not in response.content.decode()


def test_chair_list_flags_only_the_chairs_own_paper(client, conference, paper, chair_author):
    client.force_login(chair_author)
    response = client.get(url("chair_list", conference))
    flags = {s.number: s.viewer_is_author for s in response.context["submissions"]}
    assert flags == {3: True, 4: False}
    assert response.content.decode().count('conflict-author">Is an author') == 1


def test_chair_author_cannot_desk_reject_their_paper(client, conference, paper, chair_author):
    client.force_login(chair_author)
    response = client.post(url("chair_desk_reject", conference, number=3), {"reason": "Off"})
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.status == "submitted"


def test_author_row_matched_by_email_only_flags_and_conflicts_the_chair(
    client, conference, chair_author, author
):
    """No linked account (the row was typed with the chair's address): the page still says
    "Is an author", and conflict detection makes the chair conflicted (no action)."""
    sub = factories.SubmissionFactory(
        conference=conference, number=5, status="submitted", authors=[author]
    )
    factories.AuthorFactory(submission=sub, user=None, name="C. C.", email="Cora@Lab.example.edu")
    recompute_conflicts(conference)
    assert Conflict.objects.filter(submission=sub, user=chair_author, source="author").exists()
    client.force_login(chair_author)
    response = client.get(url("chair_detail", conference, number=5))
    assert response.context["viewer_is_author"] is True
    assert not response.context["can_act"]
    response = client.post(url("chair_desk_reject", conference, number=5), {"reason": "Off"})
    assert response.status_code == 403


def test_conflicted_chair_is_not_told_who_bid_conflict(
    client, conference, paper, chair_author, chair, ml_reviewer
):
    """A reviewer's "conflict" bid is a reviewer-declared conflict: the unconflicted chair sees
    it with its history; the chair who authors the paper sees neither name nor event."""
    factories.PhaseSettingFactory(conference=conference, phase="bidding", mode="open")
    conference.__dict__.pop("_phase_modes", None)
    place_bid(user=ml_reviewer, submission=paper, value=BidValue.CONFLICT)
    assert Conflict.objects.filter(submission=paper, user=ml_reviewer).exists()
    client.force_login(chair)
    html = client.get(url("chair_detail", conference, number=3)).content.decode()
    assert ml_reviewer.name in html
    client.force_login(chair_author)
    response = client.get(url("chair_detail", conference, number=3))
    html = response.content.decode()
    assert ml_reviewer.name not in html and ml_reviewer.email not in html
    assert "1 conflict declared by reviewers while bidding is not shown to you" in html
