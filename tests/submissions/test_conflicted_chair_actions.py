"""A program chair conflicted with a paper acts on it nowhere: not its status (desk-reject,
withdraw; page, bulk and API), not its conflicts (least of all their own), not its tags.
The paper stays listed for them; another chair handles it."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mlsys.mail.models import OutboundEmail
from submissions.models import Conflict, Submission, Tag
from tests import factories
from tests.submissions.author_helpers import url


@pytest.fixture
def paper(conference, author, other_chair, ml_reviewer):
    """#7, submitted; Carl (a chair) and Mia (a PC member) are confirmed conflicts."""
    sub = factories.SubmissionFactory(
        conference=conference, number=7, status="submitted", authors=[author]
    )
    factories.ConflictFactory(submission=sub, user=other_chair, state="confirmed")
    factories.ConflictFactory(submission=sub, user=ml_reviewer, state="confirmed")
    factories.SubmissionFactory(conference=conference, number=8, status="submitted")
    return sub


@pytest.mark.parametrize("whose", ["own", "member"])
def test_conflicted_chair_cannot_decide_on_the_papers_conflicts(
    client, conference, paper, other_chair, ml_reviewer, whose
):
    conflict = Conflict.objects.get(
        submission=paper, user=other_chair if whose == "own" else ml_reviewer
    )
    client.force_login(other_chair)
    response = client.post(
        url("chair_conflict", conference, number=7, pk=conflict.pk), {"state": "dismissed"}
    )
    assert response.status_code == 403
    conflict.refresh_from_db()
    assert conflict.state == "confirmed"
    # Still conflicted: the paper's reviewing page stays closed to them.
    page = client.get(reverse("reviews:paper", kwargs={"conference": conference.slug, "number": 7}))
    assert page.status_code == 404


def test_a_chair_never_decides_on_their_own_suggested_conflict(client, conference, chair):
    sub = factories.SubmissionFactory(conference=conference, number=9, status="submitted")
    conflict = factories.ConflictFactory(submission=sub, user=chair, source="affiliation")
    client.force_login(chair)
    response = client.post(
        url("chair_conflict", conference, number=9, pk=conflict.pk), {"state": "dismissed"}
    )
    assert response.status_code == 403
    conflict.refresh_from_db()
    assert conflict.state == "suggested"


def test_another_chair_still_decides(client, conference, paper, chair, other_chair):
    conflict = Conflict.objects.get(submission=paper, user=other_chair)
    client.force_login(chair)
    response = client.post(
        url("chair_conflict", conference, number=7, pk=conflict.pk), {"state": "dismissed"}
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.state == "dismissed"


def test_conflicted_chair_cannot_desk_reject(client, conference, paper, other_chair, mailoutbox):
    client.force_login(other_chair)
    response = client.post(url("chair_desk_reject", conference, number=7), {"reason": "Off topic"})
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.status == "submitted"
    assert not OutboundEmail.objects.exists() and mailoutbox == []


@pytest.mark.parametrize("action", ["desk_reject", "add_tag"])
def test_conflicted_chairs_bulk_action_is_refused_whole(
    client, conference, paper, other_chair, action
):
    client.force_login(other_chair)
    response = client.post(
        url("chair_bulk", conference),
        {"action": action, "numbers": ["7", "8"], "reason": "Off topic", "tag": "hot"},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "#7" in text and "Nothing was changed" in text
    assert set(Submission.objects.values_list("status", flat=True)) == {"submitted"}
    assert not Submission.tags.through.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not Tag.objects.exclude(name="hot").exists()


def test_conflicted_chair_cannot_withdraw_through_the_api(conference, paper, other_chair):
    api = APIClient()
    api.force_authenticate(other_chair)
    response = api.post(
        reverse("api-submission-withdraw", kwargs={"conference": conference.slug, "number": 7}),
        {"reason": "Withdrawn by the chairs."},
        format="json",
    )
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.status == "submitted"


def test_conflicted_chairs_page_offers_no_action_on_the_paper(
    client, conference, paper, other_chair, chair
):
    client.force_login(other_chair)
    html = client.get(url("chair_detail", conference, number=7)).content.decode()
    assert "another chair decides on its conflicts and its status" in html
    assert ">Dismiss<" not in html and ">Pin<" not in html
    assert url("chair_desk_reject", conference, number=7) not in html
    client.force_login(chair)
    html = client.get(url("chair_detail", conference, number=7)).content.decode()
    assert ">Dismiss<" in html
    assert url("chair_desk_reject", conference, number=7) in html
