"""External reviewers: a reviewer asks, a chair approves or declines, the expert sees only
their paper."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from mlsys.conferences.models import CommitteeMembership
from mlsys.mail.models import OutboundEmail
from reviews.external import services as external
from reviews.models import Assignment, ExternalReviewRequest
from tests import factories
from tests.reviews.reviewing_helpers import assign, login, make_paper, url

EXPERT = {
    "name": "Ed Expert",
    "email": "Ed@Expert.example",
    "affiliation": "Expert U",
    "reason": "Knows sparse kernels",
}


@pytest.fixture
def paper(conference, author):
    return make_paper(conference, author)


def requests_url(conference, name="external_requests", **kwargs):
    return reverse(f"reviews:{name}", kwargs={"conference": conference.slug, **kwargs})


def test_reviewer_requests_and_chair_approves_then_expert_sees_only_that_paper(
    client,
    conference,
    paper,
    author,
    ml_reviewer,
    chair,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    other_paper = make_paper(conference, author, title="Another paper")
    assign(paper, ml_reviewer)
    login(client, ml_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("external_request", paper), EXPERT)
    assert response.status_code == 302
    req = ExternalReviewRequest.objects.get()
    assert (req.state, req.email, req.requested_by) == ("pending", "ed@expert.example", ml_reviewer)
    assert [m.to for m in mailoutbox] == [[chair.email]]

    client.logout()
    login(client, chair)
    listing = client.get(requests_url(conference)).content.decode()
    assert "Ed Expert" in listing and "Knows sparse kernels" in listing
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            requests_url(conference, "external_decide", pk=req.pk),
            {"action": "approve", "side": "SYSTEMS"},
        )
    assert response.status_code == 302
    req.refresh_from_db()
    expert = get_user_model().objects.get(email="ed@expert.example")
    assert (req.state, req.reviewer, req.decided_by) == ("approved", expert, chair)
    assert not expert.has_usable_password()
    membership = CommitteeMembership.objects.get(user=expert, conference=conference)
    assert (membership.role, membership.side, membership.status) == (
        "external_reviewer",
        "SYSTEMS",
        "accepted",
    )
    assignment = Assignment.objects.get(reviewer=expert)
    assert (assignment.submission, assignment.kind, assignment.released) == (
        paper,
        "external",
        True,
    )
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {"ed@expert.example", ml_reviewer.email}
    invitation = by_recipient["ed@expert.example"].body
    link = re.search(r"http\S+/password/reset/key/\S+/", invitation).group(0)
    assert url("review", paper) in invitation

    # The password-set link works for the new account.
    client.logout()
    path = link.split("127.0.0.1:8000", 1)[-1]
    first = client.get(path)
    assert first.status_code == 302
    done = client.post(
        first.url, {"password1": "a fresh Pass 123!", "password2": "a fresh Pass 123!"}
    )
    assert done.status_code == 302
    expert.refresh_from_db()
    assert expert.has_usable_password()

    # Scope: only that paper.
    client.logout()
    assert client.login(email="ed@expert.example", password="a fresh Pass 123!")
    assert client.get(url("review", paper)).status_code == 200
    assert client.get(url("review", other_paper)).status_code == 404
    bidding = reverse("reviews:bidding", kwargs={"conference": conference.slug})
    assert client.get(bidding).status_code == 404
    my = client.get(reverse("reviews:my_papers", kwargs={"conference": conference.slug}))
    assert [a.submission for a in my.context["assignments"]] == [paper]
    assert "Another paper" not in my.content.decode()


def test_chair_declines_and_the_requester_is_told(
    client, conference, paper, ml_reviewer, chair, mailoutbox, django_capture_on_commit_callbacks
):
    assign(paper, ml_reviewer)
    req = external.request_external_reviewer(paper, actor=ml_reviewer, **EXPERT)
    login(client, chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            requests_url(conference, "external_decide", pk=req.pk),
            {"action": "decline", "note": "Enough reviewers already"},
        )
    req.refresh_from_db()
    assert (req.state, req.decided_by) == ("declined", chair)
    assert not get_user_model().objects.filter(email="ed@expert.example").exists()
    assert [m.to for m in mailoutbox] == [[ml_reviewer.email]]
    assert "Enough reviewers already" in mailoutbox[0].body


def test_an_author_of_the_paper_cannot_be_approved_and_the_requester_is_not_told_why(
    client, conference, paper, author, ml_reviewer, chair
):
    assign(paper, ml_reviewer)
    login(client, ml_reviewer)
    response = client.post(url("external_request", paper), {**EXPERT, "email": author.email})
    assert response.status_code == 302  # no hint that this address is an author's
    req = ExternalReviewRequest.objects.get()
    client.logout()
    login(client, chair)
    assert "belongs to an author" in client.get(requests_url(conference)).content.decode()
    client.post(requests_url(conference, "external_decide", pk=req.pk), {"action": "approve"})
    req.refresh_from_db()
    assert req.state == "pending"
    assert not Assignment.objects.filter(reviewer=author).exists()


def test_duplicate_pending_request_gets_a_field_message(client, paper, ml_reviewer):
    assign(paper, ml_reviewer)
    external.request_external_reviewer(paper, actor=ml_reviewer, **EXPERT)
    login(client, ml_reviewer)
    response = client.post(url("external_request", paper), EXPERT)
    assert response.status_code == 400
    assert "already been requested" in response.content.decode()
    assert ExternalReviewRequest.objects.count() == 1


def test_existing_account_is_reused_without_a_password_link(
    conference, paper, ml_reviewer, chair, outsider
):
    assign(paper, ml_reviewer)
    req = external.request_external_reviewer(
        paper, actor=ml_reviewer, **{**EXPERT, "email": outsider.email}
    )
    external.approve_external_request(req, actor=chair)
    assert Assignment.objects.get(reviewer=outsider).kind == "external"
    invitation = OutboundEmail.objects.get(template_key="reviews.external_invitation")
    assert "Log in with your existing account." in invitation.body
    assert "password/reset" not in invitation.body
    assert outsider.memberships.get().side == "BOTH"


@pytest.mark.parametrize("role", ["outsider", "systems_reviewer", "author"])
def test_non_reviewers_cannot_request(client, paper, role, request):
    login(client, request.getfixturevalue(role))
    assert client.post(url("external_request", paper), EXPERT).status_code == 404
    assert not ExternalReviewRequest.objects.exists()


@pytest.mark.parametrize("role", ["outsider", "ml_reviewer", "author"])
def test_only_chairs_see_and_decide_requests(client, conference, paper, ml_reviewer, role, request):
    req = external.request_external_reviewer(paper, actor=ml_reviewer, **EXPERT)
    login(client, request.getfixturevalue(role))
    assert client.get(requests_url(conference)).status_code == 404
    decide = requests_url(conference, "external_decide", pk=req.pk)
    assert client.post(decide, {"action": "approve"}).status_code == 404
    req.refresh_from_db()
    assert req.state == "pending"


def test_conflicted_chair_does_not_see_the_request(client, conference, paper, ml_reviewer, chair):
    external.request_external_reviewer(paper, actor=ml_reviewer, **EXPERT)
    factories.ConflictFactory(submission=paper, user=chair)
    login(client, chair)
    assert "Ed Expert" not in client.get(requests_url(conference)).content.decode()


def test_anonymous_visitor_is_sent_to_log_in(client, conference, paper):
    for target in (requests_url(conference), url("external_request", paper)):
        response = client.get(target)
        assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("n", [1, 5])
def test_requests_page_query_count_is_constant(
    client, conference, author, ml_reviewer, chair, n, django_assert_num_queries
):
    for i in range(n):
        paper = make_paper(conference, author, title=f"P{i}")
        external.request_external_reviewer(
            paper, actor=ml_reviewer, **{**EXPERT, "email": f"e{i}@x.example"}
        )
    factories.UserFactory(email="e0@x.example")
    login(client, chair)
    with django_assert_num_queries(17):
        response = client.get(requests_url(conference))
    assert len(response.context["pending"]) == n
