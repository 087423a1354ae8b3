"""The public accept / decline pages reached from the invitation email."""

import html

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from mlsys.conferences import invitations
from mlsys.conferences.enums import InvitationStatus, Side
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.signals import committee_changed
from mlsys.core.models import AuditEvent
from tests import factories


@pytest.fixture
def changes():
    seen = []

    def listener(sender, conference, **kwargs):
        seen.append(conference.slug)

    committee_changed.connect(listener, dispatch_uid="test-invitation-changes")
    yield seen
    committee_changed.disconnect(dispatch_uid="test-invitation-changes")


def _invite(conference, chair, email="nadia@lab.example", name="Nadia Net"):
    return invitations.invite_member(
        conference=conference,
        invitee=Invitee(name=name, email=email, side=Side.ML, max_load=8),
        actor=chair,
    )


@pytest.fixture
def invitation(conference, chair):
    """An invitation to a new person: the account was created for it and never used."""
    return _invite(conference, chair)


@pytest.fixture
def existing_invitation(conference, chair, author):
    """An invitation to someone who already has an account with a password."""
    return _invite(conference, chair, email=author.email, name=author.name)


def page(membership, action=""):
    name = f"conferences:invitation_{action}" if action else "conferences:invitation"
    return reverse(
        name,
        kwargs={"conference": membership.conference.slug, "token": membership.invitation_token},
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_decline_needs_no_account_and_chairs_see_the_reason(
    client, invitation, chair, url, changes
):
    assert client.get(page(invitation, "decline")).status_code == 200
    response = client.post(page(invitation, "decline"), {"reason": "On sabbatical."})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("declined", "On sabbatical.")
    assert invitation.responded_at is not None
    event = AuditEvent.objects.get(action="membership.declined")
    assert (event.actor, event.note) == (None, "via the invitation link")
    assert changes == ["mlsys2027"]
    client.force_login(chair)
    committee = client.get(url("committee") + "?status=declined")
    assert [m.user.email for m in committee.context["members"]] == ["nadia@lab.example"]
    assert "On sabbatical." in text(committee)


def test_declining_twice_gets_a_clear_message(client, invitation):
    client.post(page(invitation, "decline"), {"reason": ""})
    response = client.post(page(invitation, "decline"), {"reason": "again"})
    assert response.status_code == 409
    assert "You declined this invitation on" in text(response)
    invitation.refresh_from_db()
    assert invitation.decline_reason == ""


def test_logged_in_invited_user_accepts_at_once(client, existing_invitation, author, changes):
    client.force_login(author)
    assert "Accept as PC member" in text(client.get(page(existing_invitation, "accept")))
    response = client.post(page(existing_invitation, "accept"))
    assert response.status_code == 302
    assert response.url == existing_invitation.conference.get_absolute_url()
    existing_invitation.refresh_from_db()
    assert existing_invitation.status == InvitationStatus.ACCEPTED
    assert existing_invitation.responded_at is not None
    event = AuditEvent.objects.get(action="membership.accepted")
    assert (event.actor, event.changes["status"]) == (author, ["invited", "accepted"])
    assert changes[-1] == "mlsys2027"


def test_anonymous_with_an_account_logs_in_then_accepts(client, existing_invitation, author):
    accept = page(existing_invitation, "accept")
    response = client.post(accept)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login")) and "next=" in response.url
    existing_invitation.refresh_from_db()
    assert existing_invitation.status == InvitationStatus.INVITED
    login = client.post(
        reverse("account_login"),
        {"login": author.email, "password": factories.PASSWORD, "next": accept},
    )
    assert login.status_code == 302 and login.url == accept
    client.post(accept)
    existing_invitation.refresh_from_db()
    assert existing_invitation.status == InvitationStatus.ACCEPTED


def test_new_person_sets_a_password_and_accepts_in_one_step(client, invitation):
    accept = page(invitation, "accept")
    assert "Set password and accept" in text(client.get(accept))
    response = client.post(
        accept,
        {"new_password1": "a-long-fresh-passphrase", "new_password2": "a-long-fresh-passphrase"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    user = invitation.user
    assert invitation.status == InvitationStatus.ACCEPTED
    assert user.check_password("a-long-fresh-passphrase")
    assert EmailAddress.objects.get(user=user, email=user.email).verified
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEvent.objects.filter(action="user.claimed_by_invitation").count() == 1


def test_new_person_with_mismatched_passwords_stays_invited(client, invitation):
    response = client.post(
        page(invitation, "accept"),
        {"new_password1": "a-long-fresh-passphrase", "new_password2": "something-else-1"},
    )
    assert response.status_code == 400
    assert response.context["claim_form"].errors["new_password2"]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED
    assert not invitation.user.has_usable_password()


def test_claiming_is_refused_once_the_account_has_a_password(client, invitation):
    invitation.user.set_password(factories.PASSWORD)
    invitation.user.save()
    response = client.post(
        page(invitation, "accept"),
        {"new_password1": "a-long-fresh-passphrase", "new_password2": "a-long-fresh-passphrase"},
    )
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(factories.PASSWORD)


def test_wrong_user_logged_in_is_refused(client, existing_invitation, outsider):
    client.force_login(outsider)
    assert "You are logged in as olly@elsewhere.example.com" in text(
        client.get(page(existing_invitation, "accept"))
    )
    response = client.post(page(existing_invitation, "accept"))
    assert response.status_code == 403
    assert "sent to another address" in text(response)
    existing_invitation.refresh_from_db()
    assert (existing_invitation.status, existing_invitation.user.email) == (
        "invited",
        "ada@uni.example.edu",
    )


def test_user_who_verified_the_invited_address_accepts_with_their_account(
    client, invitation, outsider
):
    factories.EmailAddressFactory(user=outsider, email="nadia@lab.example", verified=False)
    client.force_login(outsider)
    assert client.post(page(invitation, "accept")).status_code == 403
    EmailAddress.objects.filter(user=outsider).update(verified=True)
    assert client.post(page(invitation, "accept")).status_code == 302
    invitation.refresh_from_db()
    assert (invitation.user, invitation.status) == (outsider, InvitationStatus.ACCEPTED)


def test_accepting_twice_or_after_declining_gets_a_clear_message(
    client, existing_invitation, author, conference, chair
):
    client.force_login(author)
    client.post(page(existing_invitation, "accept"))
    again = client.post(page(existing_invitation, "accept"))
    assert again.status_code == 409
    assert "You already accepted this invitation on" in text(again)

    other = _invite(conference, chair, email="omar@sys.example", name="Omar")
    client.post(page(other, "decline"))
    other.user.set_password(factories.PASSWORD)
    other.user.save()
    client.force_login(other.user)
    response = client.post(page(other, "accept"))
    assert response.status_code == 409
    assert "You declined this invitation" in text(response)
    other.refresh_from_db()
    assert other.status == InvitationStatus.DECLINED


def test_unknown_token_is_404(client, conference):
    response = client.get(
        reverse("conferences:invitation", kwargs={"conference": conference.slug, "token": "x" * 43})
    )
    assert response.status_code == 404


def test_token_does_not_work_under_another_conference(client, invitation):
    other = factories.ConferenceFactory(slug="other2027")
    for name in ("invitation", "invitation_accept", "invitation_decline"):
        path = reverse(
            f"conferences:{name}",
            kwargs={"conference": other.slug, "token": invitation.invitation_token},
        )
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED


def test_invitation_page_shows_role_and_both_choices(client, invitation):
    body = text(client.get(page(invitation)))
    assert "<strong>PC member</strong>, ML side, reviewing at most 8 papers" in body
    assert "Decline the invitation" in body and "Set password and accept" in body
