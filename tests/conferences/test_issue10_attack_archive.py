"""Attacks on "archived conferences are read-only" (issue 10) through the routes that the
conference mixins do not cover: the invitation links (answered by token) and the invitation
reminders' beat task."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences import invitations
from mlsys.conferences.enums import InvitationStatus, Side
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.tasks import remind_invitations
from mlsys.mail.models import OutboundEmail

MESSAGE = "This conference is archived: read-only."


def _invite(conference, chair, email, name="Nadia Net"):
    return invitations.invite_member(
        conference=conference,
        invitee=Invitee(name=name, email=email, side=Side.ML, max_load=8),
        actor=chair,
    )


def _archive(conference):
    Conference.objects.filter(pk=conference.pk).update(archived_at=timezone.now())
    conference.refresh_from_db()


def _link(membership, action):
    return reverse(
        f"conferences:invitation_{action}",
        kwargs={"conference": membership.conference.slug, "token": membership.invitation_token},
    )


def test_attack_accepting_an_invitation_of_an_archived_conference_is_refused(
    client, conference, chair, author
):
    """The invitee would become a PC member of a read-only conference (and read its papers)."""
    membership = _invite(conference, chair, author.email, author.name)
    _archive(conference)
    client.force_login(author)
    response = client.post(_link(membership, "accept"))
    assert response.status_code == 403
    assert MESSAGE in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == InvitationStatus.INVITED


def test_attack_claiming_an_account_by_an_archived_invitation_is_refused(client, conference, chair):
    membership = _invite(conference, chair, "new@lab.example")
    _archive(conference)
    password = "a-long-fresh-passphrase"
    response = client.post(
        _link(membership, "accept"), {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == InvitationStatus.INVITED
    assert not membership.user.has_usable_password()


def test_attack_declining_an_invitation_of_an_archived_conference_is_refused(
    client, conference, chair
):
    membership = _invite(conference, chair, "new@lab.example")
    _archive(conference)
    response = client.post(_link(membership, "decline"), {"reason": "late"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert (membership.status, membership.decline_reason) == (InvitationStatus.INVITED, "")


def test_attack_invitation_page_still_reads_at_an_archived_conference(client, conference, chair):
    membership = _invite(conference, chair, "new@lab.example")
    _archive(conference)
    response = client.get(_link(membership, "accept"))
    assert response.status_code == 200
    body = response.content.decode()
    assert MESSAGE in body and "Set password and accept" not in body


def test_attack_accept_service_refuses_at_an_archived_conference(conference, chair, author):
    """The service is the rule: any caller (a page, a script) is refused."""
    membership = _invite(conference, chair, author.email, author.name)
    _archive(conference)
    with pytest.raises(Exception, match="archived"):
        invitations.accept_invitation(membership=membership, user=author)
    membership.refresh_from_db()
    assert membership.status == InvitationStatus.INVITED


def test_attack_invitation_reminders_skip_archived_conferences(conference, chair):
    membership = _invite(conference, chair, "old@lab.example")
    CommitteeMembership.objects.filter(pk=membership.pk).update(
        invited_at=timezone.now() - timedelta(days=10)
    )
    _archive(conference)
    assert remind_invitations() == 0
    assert not OutboundEmail.objects.filter(template_key="committee.invitation_reminder").exists()
    membership.refresh_from_db()
    assert membership.reminded_at is None
