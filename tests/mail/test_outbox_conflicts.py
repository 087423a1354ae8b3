"""Security tests of the chairs' outbox against a conflicted chair (issue 13).

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


@pytest.mark.django_db
def test_a_subject_may_not_list_the_papers_of_an_email_about_several(
    client, conference, chair, conflicted_chair
):
    """A reviewer's reminder lists all their papers and so belongs to none (no paper number):
    the outbox shows it to every chair. A chair's wording that puts ``{papers}`` in the
    subject would show a conflicted chair the paper and its reviewer there; it is refused."""
    from django.core.exceptions import ValidationError

    from mlsys.mail.overrides import save_override
    from reviews.reminders.services import remind_reviewers
    from submissions import enums as sub_enums

    paper = factories.SubmissionFactory(
        conference=conference, number=12, title="Secret Title", status=sub_enums.Status.SUBMITTED
    )
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    reviewer = factories.UserFactory(email="hidden.reviewer@example.org")
    factories.MembershipFactory(conference=conference, user=reviewer, role="pc_member", side="ML")
    factories.AssignmentFactory(submission=paper, reviewer=reviewer)

    with pytest.raises(ValidationError) as refused:
        save_override(
            conference,
            "reviews.review_reminder",
            subject="[{conference}] Due {deadline}: {papers}",
            body="Dear {name}, {papers}",
            actor=chair,
        )
    assert "subject" in refused.value.message_dict
    with pytest.raises(ValidationError):
        save_override(
            conference,
            "artifacts.evaluator_assigned",
            subject="[{conference}] {artifacts}",
            body="{artifacts}",
            actor=chair,
        )

    # Had it been saved (as before the check), the outbox showed the paper to the conflicted
    # chair: the reminder's subject named it and its reviewer was the recipient.
    remind_reviewers(conference)
    OutboundEmail.objects.filter(to=["hidden.reviewer@example.org"]).update(
        status=S.FAILED, attempts=1
    )
    client.force_login(conflicted_chair)
    html = client.get(
        reverse("mail:outbox", kwargs={"conference": conference.slug})
    ).content.decode()
    assert "hidden.reviewer@example.org" in html  # listed (no paper): fine, the subject isn't
    assert "Secret Title" not in html
