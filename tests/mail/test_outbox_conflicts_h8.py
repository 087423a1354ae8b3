"""Security tests of the chairs' outbox against a conflicted chair (h8, issue 13).

A chair conflicted with a paper must not learn its reviewers from the outbox: an email whose
subject or recipients name the paper has to carry the paper's number, or the outbox lists it."""

import pytest
from django.urls import reverse

from mlsys.mail.models import OutboundEmail
from reviews.assignment.removal import notify_removed_work_kept
from tests import factories

S = OutboundEmail.Status


@pytest.mark.django_db
def test_removed_reviewer_email_about_a_conflicted_paper_is_hidden_from_the_conflicted_chair(
    client, conference, conflicted_chair
):
    """'You were removed from paper #12 <title>' goes to the paper's (former) reviewer. Without
    the paper's number on the row, a chair conflicted with #12 sees the subject and the
    reviewer's address on the outbox once the email fails (and can resend it)."""
    paper = factories.SubmissionFactory(conference=conference, number=12, title="Secret Title")
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    reviewer = factories.UserFactory(email="hidden.reviewer@example.org")
    assignment = factories.AssignmentFactory(submission=paper, reviewer=reviewer)

    notify_removed_work_kept(assignment)
    email = OutboundEmail.objects.get(to=["hidden.reviewer@example.org"])
    # SMTP refused it: the outbox lists failed rows.
    OutboundEmail.objects.filter(pk=email.pk).update(status=S.FAILED, attempts=1)

    client.force_login(conflicted_chair)
    html = client.get(
        reverse("mail:outbox", kwargs={"conference": conference.slug})
    ).content.decode()
    assert "Secret Title" not in html
    assert "hidden.reviewer@example.org" not in html
    resend = reverse("mail:resend", kwargs={"conference": conference.slug, "pk": email.pk})
    assert client.get(resend).status_code == 404
    assert OutboundEmail.objects.get(pk=email.pk).paper_number == 12
