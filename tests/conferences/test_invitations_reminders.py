"""Reminders for unanswered invitations: the chair's buttons and the beat task."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from mlsys.conferences import invitations
from mlsys.conferences.enums import InvitationStatus, Side
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.tasks import remind_invitations
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail


def _invite(conference, chair, email, days_ago):
    membership = invitations.invite_member(
        conference=conference,
        invitee=Invitee(name=email.split("@")[0], email=email, side=Side.SYSTEMS),
        actor=chair,
    )
    CommitteeMembership.objects.filter(pk=membership.pk).update(
        invited_at=timezone.now() - timedelta(days=days_ago)
    )
    return membership


def _reminders():
    return sorted(
        e.to[0] for e in OutboundEmail.objects.filter(template_key="committee.invitation_reminder")
    )


@pytest.fixture
def pending(conference, chair):
    return {
        "old": _invite(conference, chair, "old@x.example", days_ago=4),
        "new": _invite(conference, chair, "new@x.example", days_ago=1),
    }


def test_reminders_respect_the_interval(conference, pending):
    now = timezone.now()
    assert invitations.remind_pending(conference=conference, now=now) == 1
    assert _reminders() == ["old@x.example"]
    assert invitations.remind_pending(conference=conference, now=now + timedelta(days=2)) == 1
    assert _reminders() == ["new@x.example", "old@x.example"]  # new is 3 days old now
    assert (
        invitations.remind_pending(conference=conference, now=now + timedelta(days=2, hours=23))
        == 0
    )
    assert invitations.remind_pending(conference=conference, now=now + timedelta(days=3)) == 1
    assert _reminders() == ["new@x.example", "old@x.example", "old@x.example"]
    pending["old"].refresh_from_db()
    assert pending["old"].reminded_at == now + timedelta(days=3)
    assert AuditEvent.objects.filter(action="membership.reminded").count() == 3


def test_answered_invitations_are_not_reminded(client, conference, pending):
    client.post(
        f"/c/{conference.slug}/invitation/{pending['old'].invitation_token}/decline/",
        {"reason": ""},
    )
    assert (
        invitations.remind_pending(conference=conference, now=timezone.now() + timedelta(days=9))
        == 1
    )
    assert _reminders() == ["new@x.example"]


def test_beat_task_reminds_each_person_once_per_interval(
    conference, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_invitations.delay().get() == 1
        assert remind_invitations.delay().get() == 0
    reminder = [m for m in mail.outbox if m.subject.startswith("[MLSYS2027] Reminder")]
    assert [m.to for m in reminder] == [["old@x.example"]]
    assert pending["old"].invitation_token in reminder[0].body
    schedule = settings.CELERY_BEAT_SCHEDULE["remind-invitations"]
    assert schedule["task"] == "conferences.remind_invitations"


def test_chair_remind_all_button(client, chair, conference, pending, url):
    client.force_login(chair)
    response = client.post(url("committee_remind"), follow=True)
    assert "Reminded 1 pending invitee." in response.content.decode()
    response = client.post(url("committee_remind"), follow=True)
    assert "Nobody to remind" in response.content.decode()
    assert _reminders() == ["old@x.example"]


def test_chair_resend_sends_the_same_links_again(client, chair, conference, pending, url):
    client.force_login(chair)
    membership = pending["new"]
    client.post(url("member_resend", pk=membership.pk))
    emails = OutboundEmail.objects.filter(template_key="committee.invitation", to=["new@x.example"])
    assert emails.count() == 2
    assert membership.invitation_token in emails.first().body
    membership.refresh_from_db()
    assert membership.reminded_at is not None
    # The beat does not remind someone who was just sent the invitation again.
    assert (
        invitations.remind_pending(conference=conference, now=timezone.now() + timedelta(days=2))
        == 1
    )
    assert _reminders() == ["old@x.example"]


def test_invite_again_after_decline_reopens_the_invitation(client, chair, conference, pending, url):
    membership = pending["old"]
    invitations.decline_invitation(membership=membership, reason="busy")
    client.force_login(chair)
    client.post(url("member_resend", pk=membership.pk))
    membership.refresh_from_db()
    assert (membership.status, membership.decline_reason, membership.responded_at) == (
        InvitationStatus.INVITED,
        "",
        None,
    )


def test_resend_to_an_accepted_member_is_refused(client, chair, conference, ml_reviewer, url):
    client.force_login(chair)
    membership = ml_reviewer.memberships.get()
    response = client.post(url("member_resend", pk=membership.pk), follow=True)
    assert "has already accepted" in response.content.decode()
    assert not OutboundEmail.objects.exists()
