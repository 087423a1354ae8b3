"""Declining an assignment before starting the review; the chairs are told."""

import pytest
from django.core.exceptions import ValidationError

from mlsys.mail.models import OutboundEmail
from reviews.models import Assignment
from reviews.reviewing import services
from tests import factories
from tests.reviews.reviewing_helpers import assign, login, make_paper, url


@pytest.fixture
def paper(conference, author):
    return make_paper(conference, author)


def test_decline_with_a_reason_emails_the_chairs_and_removes_the_paper(
    client, paper, ml_reviewer, chair, mailoutbox, django_capture_on_commit_callbacks
):
    assignment = assign(paper, ml_reviewer)
    login(client, ml_reviewer)
    assert client.get(url("decline", paper)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("decline", paper), {"reason": "I co-wrote a related grant"})
    assert response.status_code == 302 and response.url.endswith("/reviews/my-papers/")
    assignment.refresh_from_db()
    assert assignment.declined_at is not None
    assert assignment.decline_reason == "I co-wrote a related grant"
    email = OutboundEmail.objects.get(template_key="reviews.assignment_declined")
    assert email.to == [chair.email]
    assert [m.to for m in mailoutbox] == [[chair.email]]
    assert "Mia Learner declined paper #" in mailoutbox[0].subject
    assert "I co-wrote a related grant" in mailoutbox[0].body
    # The paper is gone from the reviewer's pages.
    assert client.get(url("review", paper)).status_code == 404


def test_decline_without_a_reason_shows_a_field_message(client, paper, ml_reviewer):
    assignment = assign(paper, ml_reviewer)
    login(client, ml_reviewer)
    response = client.post(url("decline", paper), {"reason": "  "})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.declined_at is None
    assert not OutboundEmail.objects.exists()


def test_decline_after_starting_the_review_is_refused(client, paper, ml_reviewer):
    assignment = assign(paper, ml_reviewer)
    services.save_draft(assignment, actor=ml_reviewer, answers={"summary": "S"}, expected_version=0)
    login(client, ml_reviewer)
    response = client.post(url("decline", paper), {"reason": "Too busy"})
    assert response.status_code == 400
    assert "You have started this review" in response.content.decode()
    assert Assignment.objects.get().declined_at is None


def test_conflicted_chair_is_not_emailed(paper, ml_reviewer, chair, conference):
    other_chair = factories.UserFactory(name="Second Chair")
    factories.MembershipFactory(
        conference=conference, user=other_chair, role="program_chair", side=""
    )
    factories.ConflictFactory(submission=paper, user=chair)
    services.decline_assignment(assign(paper, ml_reviewer), actor=ml_reviewer, reason="Busy")
    assert OutboundEmail.objects.get().to == [other_chair.email]


def test_declining_twice_is_refused(paper, ml_reviewer):
    assignment = assign(paper, ml_reviewer)
    services.decline_assignment(assignment, actor=ml_reviewer, reason="Busy")
    with pytest.raises(ValidationError):
        services.decline_assignment(assignment, actor=ml_reviewer, reason="Busy")


@pytest.mark.parametrize("role", ["author", "outsider", "systems_reviewer", "chair"])
def test_others_cannot_decline_someone_elses_paper(client, paper, ml_reviewer, role, request):
    assign(paper, ml_reviewer)
    login(client, request.getfixturevalue(role))
    assert client.post(url("decline", paper), {"reason": "x"}).status_code == 404
    assert Assignment.objects.get().declined_at is None
