"""Review reminders: who is late, the before/after windows, once a day, chair-edited wording."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from mlsys.core.models import AuditEvent
from reviews.models import Assignment
from reviews.reminders import services as reminders
from reviews.reminders.tasks import remind_reviewers as remind_task
from submissions.models import Submission
from tests import factories
from tests.reviews.response_fixtures import assign, make_paper, review


def review_due(conference):
    return conference.deadline_map()[DeadlineKind.REVIEW].at


@pytest.fixture
def papers(conference, author):
    return [make_paper(conference, author, number=n, title=f"Paper {n}") for n in (1, 2)]


@pytest.fixture
def late_setup(papers, ml_reviewer, systems_reviewer, conflicted_reviewer):
    """ml_reviewer: 2 unfinished; systems_reviewer: 1 done, 1 draft; conflicted: conflicted."""
    assign(papers[0], ml_reviewer)
    assign(papers[1], ml_reviewer)
    review(papers[0], systems_reviewer)
    review(papers[1], systems_reviewer, state="draft")
    factories.ConflictFactory(submission=papers[0], user=conflicted_reviewer, state="confirmed")
    assign(papers[0], conflicted_reviewer)
    assign(papers[1], factories.UserFactory(name="Not Released"), released=False)
    assign(papers[1], factories.UserFactory(name="Has Declined"), declined_at=timezone.now())


def test_unfinished_are_released_not_declined_not_conflicted_and_not_submitted(
    conference, late_setup, ml_reviewer, systems_reviewer
):
    rows = reminders.unfinished_assignments(conference)

    assert sorted((a.reviewer.name, a.submission.number) for a in rows) == sorted(
        [(ml_reviewer.name, 1), (ml_reviewer.name, 2), (systems_reviewer.name, 2)]
    )


def test_a_paper_whose_decision_is_released_is_not_reminded_about(
    conference, papers, late_setup, ml_reviewer, systems_reviewer
):
    # Its track was released alone: the paper is accepted, its reviews closed.
    Submission.objects.filter(pk=papers[1].pk).update(status="accepted")
    rows = reminders.unfinished_assignments(conference)
    assert [(a.reviewer.name, a.submission.number) for a in rows] == [(ml_reviewer.name, 1)]


def test_windows_before_after_and_outside(conference):
    due = review_due(conference)

    assert reminders.reminder_window(conference, due - timedelta(days=4)) is None
    assert reminders.reminder_window(conference, due - timedelta(days=2)) == "before"
    assert reminders.reminder_window(conference, due + timedelta(days=1)) == "after"
    decision = conference.deadline_map()[DeadlineKind.DECISION].at
    assert reminders.reminder_window(conference, decision + timedelta(hours=1)) is None
    conference.decisions_released_at = timezone.now()
    assert reminders.reminder_window(conference, due + timedelta(days=1)) is None


def test_before_the_deadline_one_email_per_reviewer_lists_all_unfinished_papers(
    conference,
    late_setup,
    ml_reviewer,
    systems_reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    now = review_due(conference) - timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.send_review_reminders(conference, now=now)

    assert sent == 2
    by_to = {m.to[0]: m for m in mailoutbox}
    assert set(by_to) == {ml_reviewer.email, systems_reviewer.email}
    ml_mail = by_to[ml_reviewer.email]
    assert ml_mail.subject.startswith(f"[{conference}] Reminder: 2 reviews due ")
    assert "#1 Paper 1" in ml_mail.body and "#2 Paper 2" in ml_mail.body
    assert "#1 Paper 1" not in by_to[systems_reviewer.email].body
    assert set(
        Assignment.objects.filter(last_reminded_at=now).values_list("reviewer", flat=True)
    ) == {ml_reviewer.pk, systems_reviewer.pk}


def test_not_more_than_once_a_day_per_person(
    conference, late_setup, mailoutbox, django_capture_on_commit_callbacks
):
    now = review_due(conference) - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_review_reminders(conference, now=now)
        again = reminders.send_review_reminders(conference, now=now + timedelta(hours=23))
        next_day = reminders.send_review_reminders(conference, now=now + timedelta(hours=25))

    assert again == 0
    assert next_day == 2
    assert len(mailoutbox) == 4


def test_after_the_deadline_the_overdue_wording_is_used(
    conference, late_setup, ml_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_review_reminders(conference, now=review_due(conference) + timedelta(days=1))

    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[ml_reviewer.email].startswith(f"[{conference}] Overdue: 2 reviews were due")


def test_nothing_is_sent_outside_the_window(conference, late_setup, mailoutbox):
    assert (
        reminders.send_review_reminders(conference, now=review_due(conference) - timedelta(days=10))
        == 0
    )
    assert not Assignment.objects.filter(last_reminded_at__isnull=False).exists()


def test_a_chairs_override_of_the_template_is_used(
    conference, late_setup, ml_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    factories.EmailTemplateFactory(
        conference=conference,
        key=reminders.BEFORE_KEY,
        subject="[{conference}] Friendly nudge for {name}",
        body="Still open ({count}):\n{papers}\nDue {deadline}.",
    )

    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_review_reminders(conference, now=review_due(conference) - timedelta(days=1))

    ml_mail = next(m for m in mailoutbox if m.to == [ml_reviewer.email])
    assert ml_mail.subject == f"[{conference}] Friendly nudge for {ml_reviewer.name}"
    assert ml_mail.body.startswith("Still open (2):\n  #1 Paper 1\n  #2 Paper 2\nDue ")


def test_beat_task_reminds_at_conferences_in_their_window(
    conference, late_setup, mailoutbox, django_capture_on_commit_callbacks
):
    from mlsys.conferences.models import Deadline

    Deadline.objects.filter(conference=conference, kind=DeadlineKind.REVIEW).update(
        at=timezone.now() + timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_task() == 2
        assert remind_task() == 0

    assert len(mailoutbox) == 2
    assert AuditEvent.objects.filter(action="reviews.reviewers_reminded").count() == 1


def test_beat_task_is_quiet_outside_the_window(conference, late_setup, mailoutbox):
    assert remind_task() == 0
    assert mailoutbox == []


def test_beat_task_skips_an_archived_conference(conference, late_setup, mailoutbox):
    """Issue 10: an archived conference is read-only; its late reviewers are not reminded."""
    from mlsys.conferences.models import Deadline

    Deadline.objects.filter(conference=conference, kind=DeadlineKind.REVIEW).update(
        at=timezone.now() + timedelta(days=1)
    )
    type(conference).objects.filter(pk=conference.pk).update(archived_at=timezone.now())
    assert remind_task() == 0
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="reviews.reviewers_reminded").exists()
