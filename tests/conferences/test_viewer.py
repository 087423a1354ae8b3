"""One access context per request (mlsys.conferences.viewer): the facts the rules read are
remembered by the request's viewer, never on the user or the conference; services enforce their
own permission whoever calls them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mlsys.accounts.services import create_api_token
from mlsys.conferences.models import Conference
from mlsys.conferences.queries import with_schedule
from mlsys.conferences.rules import load_roles
from mlsys.conferences.viewer import Viewer, acting, as_viewer
from reviews.bidding.services import place_bid
from reviews.enums import BidValue
from reviews.models import Review
from reviews.reviewing import services as reviewing
from reviews.rules import load_conflicts
from tests.reviews.reviewing_helpers import FULL_ANSWERS, assign, make_paper


def test_a_viewer_reads_each_fact_once_per_conference(
    conference, ml_reviewer, author, django_assert_num_queries
):
    paper = make_paper(conference, author)
    viewer = Viewer(ml_reviewer)
    viewer.know(with_schedule(Conference.objects.filter(pk=conference.pk)).get())
    # Roles; live assignments; conflicts (conflict rows, authorship, "conflict" bids).
    with django_assert_num_queries(5):
        assert viewer.has_perm("reviews.view_bidding", conference)
        assert viewer.has_perm("reviews.bid_on_submission", paper) is False  # bidding closed
        assert viewer.has_perm("reviews.view_discussion", paper)
    with django_assert_num_queries(0):
        for _ in range(10):
            viewer.has_perm("reviews.view_discussion", paper)


def test_a_plain_user_gets_the_same_answers_without_a_memo(conference, chair, ml_reviewer):
    for user in (chair, ml_reviewer):
        for perm in ("conferences.change_conference", "reviews.view_bidding"):
            assert user.has_perm(perm, conference) == Viewer(user).has_perm(perm, conference)
    assert as_viewer(ml_reviewer).user is ml_reviewer
    viewer = Viewer(ml_reviewer)
    assert as_viewer(viewer) is viewer
    assert acting(viewer) == (viewer, ml_reviewer)


def test_nothing_is_cached_on_the_user_or_the_conference(client, conference, chair):
    client.force_login(chair)
    response = client.get(reverse("submissions:chair_list", kwargs={"conference": conference.slug}))
    assert response.status_code == 200
    viewer = response.wsgi_request.viewer
    assert isinstance(viewer, Viewer)
    assert viewer.fact(load_roles, conference) == {"program_chair"}
    old_caches = {
        "_conference_roles",
        "_conflicted_ids",
        "_assigned_ids",
        "_submitted_review_ids",
        "_authored_submissions",
        "_deadline_map",
        "_phase_modes",
    }
    assert not old_caches & set(vars(response.wsgi_request.user._wrapped))
    assert not old_caches & set(vars(response.wsgi_request.conference))


def test_forget_drops_only_the_named_fact(conference, ml_reviewer):
    viewer = Viewer(ml_reviewer)
    viewer.fact(load_roles, conference)
    viewer.fact(load_conflicts, conference)
    viewer.forget(load_conflicts)
    assert [key[0] for key in viewer._facts] == [load_roles]
    viewer.forget()
    assert viewer._facts == {}


def test_a_conflict_bid_updates_the_callers_viewer(conference, ml_reviewer, author):
    conference.phase_settings.create(phase="bidding", mode="open")
    paper = make_paper(conference, author)
    conference.refresh_from_db()
    viewer = Viewer(ml_reviewer)
    viewer.know(conference)
    assert viewer.has_perm("reviews.bid_on_submission", paper)
    place_bid(user=viewer, submission=paper, value=BidValue.CONFLICT)
    assert not viewer.has_perm("reviews.bid_on_submission", paper)


def test_the_api_viewer_is_the_token_user_not_the_session_user(
    client, conference, chair, ml_reviewer
):
    _, raw = create_api_token(user=chair, name="script")
    client.force_login(ml_reviewer)  # a different session user
    response = client.get(
        f"/api/v1/conferences/{conference.slug}/committee/",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200  # chairs only: the token's user was asked
    assert response.wsgi_request.viewer.user == chair


def test_write_review_refuses_anyone_but_the_assigned_reviewer(
    conference, author, ml_reviewer, systems_reviewer, chair
):
    """The services enforce the permission themselves (before, they trusted the caller)."""
    assignment = assign(make_paper(conference, author), ml_reviewer)
    for intruder in (systems_reviewer, chair):
        with pytest.raises(PermissionDenied):
            reviewing.write_review(
                assignment, actor=intruder, answers={"summary": "Mine now"}, expected_version=0
            )
        with pytest.raises(PermissionDenied):
            reviewing.save_draft(
                assignment, actor=intruder, answers={"summary": "Mine now"}, expected_version=0
            )
    assert not Review.objects.exists()
    written = reviewing.write_review(
        assignment,
        actor=Viewer(ml_reviewer),
        answers=FULL_ANSWERS,
        expected_version=0,
        submit=True,
    )
    assert (written.outcome, written.review.state) == ("submitted", "submitted")
    again = reviewing.write_review(
        assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=written.review.version
    )
    assert again.outcome == "unchanged"
