"""The *Remove* confirmation page as a chair meets it: it can be reloaded, it sends back to
the paper when there is nothing to confirm, and it tells the truth about a reviewer who also
leads the paper's discussion."""

import pytest
from django.core import mail
from django.urls import reverse

from mlsys.core.models import AuditEvent
from reviews.models import Assignment
from tests import factories
from tests.reviews.assignment_fixtures import page, released_assignment, write_review

pytestmark = pytest.mark.django_db


def test_reloading_the_remove_confirmation_shows_it_again_and_changes_nothing(small, chair, client):
    assignment = released_assignment(small, chair)
    write_review(assignment)
    paper = small.papers[0]
    client.force_login(chair)
    remove = page("assignment_remove", small, number=paper.number, pk=assignment.pk)
    events = AuditEvent.objects.count()

    response = client.get(remove)

    assert response.status_code == 200
    body = response.content.decode()
    assert "This reviewer has already worked on the paper" in body
    assert "a submitted review" in body
    assert 'name="confirm" value="yes"' in body
    assignment.refresh_from_db()
    assert assignment.removed_at is None and mail.outbox == []
    assert AuditEvent.objects.count() == events


def test_remove_link_without_work_or_already_removed_goes_back_to_the_paper(small, chair, client):
    assignment = released_assignment(small, chair)
    paper = small.papers[0]
    client.force_login(chair)
    remove = page("assignment_remove", small, number=paper.number, pk=assignment.pk)
    manual = page("assignment_paper", small, number=paper.number)

    response = client.get(remove)

    assert response.status_code == 302 and response.url == manual
    assert Assignment.objects.filter(pk=assignment.pk, removed_at__isnull=True).exists()
    assert mail.outbox == []
    # A stranger to the paper's reviewers: 404 as before.
    other = page("assignment_remove", small, number=paper.number, pk=assignment.pk + 999)
    assert client.get(other).status_code == 404


def test_removing_the_papers_discussion_lead_says_they_stay_lead(small, chair, client):
    """The confirmation does not promise a lead loses access: leading is separate from
    reviewing, so it says they stay lead and links the Leads page."""
    assignment = released_assignment(small, chair)
    write_review(assignment)
    paper = small.papers[0]
    client.force_login(chair)
    remove = page("assignment_remove", small, number=paper.number, pk=assignment.pk)
    assert "they lose access to the paper" in client.get(remove).content.decode()

    factories.MetaReviewFactory(submission=paper, lead=assignment.reviewer)
    body = client.get(remove).content.decode()

    assert "they lose access to the paper" not in body
    assert "they stay this paper's discussion lead" in body
    assert reverse("reviews:leads", kwargs={"conference": small.conference.slug}) in body
