"""The invite form asks for a name only when the address has no account yet (issue 10)."""

import pytest
from django.core.exceptions import ValidationError

from mlsys.accounts.models import User
from mlsys.conferences import invitations
from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import CommitteeMembership
from mlsys.mail.models import OutboundEmail
from tests import factories


def _invite(chair_client, url, **data):
    return chair_client.post(
        url("committee_invite"),
        {"role": Role.PC_MEMBER, "side": Side.ML, "max_load": 6, **data},
    )


def test_existing_account_is_invited_without_a_name_and_keeps_its_own(
    chair_client, conference, url, author
):
    response = _invite(chair_client, url, name="", email=author.email.upper())

    assert response.status_code == 302
    membership = CommitteeMembership.objects.get(conference=conference, user=author)
    assert (membership.status, membership.role, membership.max_load) == (
        InvitationStatus.INVITED,
        Role.PC_MEMBER,
        6,
    )
    author.refresh_from_db()
    assert author.name == "Ada Author"
    assert OutboundEmail.objects.filter(to=[author.email]).count() == 1


def test_existing_account_found_by_secondary_address_needs_no_name(
    chair_client, conference, url, author
):
    factories.EmailAddressFactory(user=author, email="ada.old@past.example", verified=True)
    name_before = author.name

    response = _invite(chair_client, url, name="", email="ada.old@past.example")

    assert response.status_code == 302
    assert CommitteeMembership.objects.filter(conference=conference, user=author).exists()
    author.refresh_from_db()
    assert author.name == name_before


def test_new_address_without_a_name_is_refused_with_a_clear_message(chair_client, conference, url):
    response = _invite(chair_client, url, name="  ", email="New.Person@x.example", affiliation="X")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == [
        "new.person@x.example has no account yet: enter the person's name, the invitation "
        "creates their account with it."
    ]
    # Nothing lost: the other fields are shown again as typed.
    assert form["email"].value() == "New.Person@x.example"
    assert form["affiliation"].value() == "X"
    assert not User.objects.filter(email__iexact="new.person@x.example").exists()
    assert not CommitteeMembership.objects.filter(user__email__iexact="new.person@x.example")
    assert not OutboundEmail.objects.exists()


def test_service_refuses_to_create_a_nameless_account(conference, chair):
    invitee = Invitee(
        name="",
        email="nobody@x.example",
        affiliation="",
        side=Side.ML,
        max_load=None,
        role=Role.PC_MEMBER,
    )
    with pytest.raises(ValidationError) as exc:
        invitations.invite_member(conference=conference, invitee=invitee, actor=chair)
    assert "name" in exc.value.message_dict
    assert not User.objects.filter(email="nobody@x.example").exists()
