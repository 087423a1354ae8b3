"""Committee invitations through the API: the invite page's rules and services, chairs only."""

import pytest
from django.urls import reverse

from mlsys.conferences import emails, invitations
from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import CommitteeMembership
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from tests import factories
from tests.api.clients import anonymous, token_client

pytestmark = pytest.mark.django_db


def url(conference, suffix: str = "") -> str:
    return f"/api/v1/conferences/{conference.slug}/invitations/{suffix}"


def invite(conference, chair, email, name="Invited Person", **kwargs) -> CommitteeMembership:
    return invitations.invite_member(
        conference=conference,
        invitee=Invitee(name=name, email=email, side=Side.ML, **kwargs),
        actor=chair,
    )


def invitation_emails(address: str) -> int:
    return sum(
        address in row.to for row in OutboundEmail.objects.filter(template_key=emails.INVITATION)
    )


# --- Who may -------------------------------------------------------------------------------------


def test_anonymous_gets_401(conference):
    assert anonymous().get(url(conference)).status_code == 401
    assert anonymous().post(url(conference), {"email": "a@b.org"}).status_code == 401


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_everyone_but_chairs_gets_404(request, conference, chair, role):
    membership = invite(conference, chair, "pending@example.org")
    client = token_client(request.getfixturevalue(role))
    assert client.get(url(conference)).status_code == 404
    assert client.get(url(conference, f"{membership.pk}/")).status_code == 404
    created = client.post(url(conference), {"email": "x@example.org", "name": "X", "side": "ML"})
    assert created.status_code == 404
    assert client.post(url(conference, f"{membership.pk}/revoke/")).status_code == 404
    assert CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert not CommitteeMembership.objects.filter(user__email="x@example.org").exists()


def test_another_conferences_invitation_is_404(conference, chair):
    other = factories.conference_in_submission_phase(slug="other2027")
    their_chair = factories.UserFactory()
    factories.MembershipFactory(conference=other, user=their_chair, role=Role.PROGRAM_CHAIR)
    theirs = invite(other, their_chair, "theirs@example.org")
    client = token_client(chair)
    assert client.get(url(conference, f"{theirs.pk}/")).status_code == 404
    assert client.post(url(conference, f"{theirs.pk}/resend/")).status_code == 404
    assert client.post(url(conference, f"{theirs.pk}/revoke/")).status_code == 404
    assert CommitteeMembership.objects.filter(pk=theirs.pk).exists()


# --- List ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_list_has_a_constant_number_of_queries(conference, chair, count, django_assert_num_queries):
    for i in range(count):
        invite(conference, chair, f"person{i}@example.org")
    client = token_client(chair)
    with django_assert_num_queries(6):
        response = client.get(url(conference))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == count
    assert {r["status"] for r in rows} == {"invited"}
    assert rows[0]["invited_by"] == "Chair Person"


def test_list_filters_by_status_and_leaves_out_members_never_invited(
    conference, chair, ml_reviewer
):
    pending = invite(conference, chair, "pending@example.org")
    declined = invite(conference, chair, "declined@example.org")
    invitations.decline_invitation(membership=declined, reason="Too busy")
    client = token_client(chair)
    everyone = client.get(url(conference)).json()["results"]
    assert {r["id"] for r in everyone} == {pending.pk, declined.pk}  # not the fixtures
    only = client.get(url(conference), {"status": "declined"}).json()["results"]
    assert [(r["id"], r["decline_reason"]) for r in only] == [(declined.pk, "Too busy")]
    bad = client.get(url(conference), {"status": "maybe"})
    assert bad.status_code == 400
    assert "status" in bad.json()["error"]["fields"]


# --- Invite one ----------------------------------------------------------------------------------


def test_chair_invites_a_new_person(conference, chair):
    response = token_client(chair).post(
        url(conference),
        {"email": "New@Example.org", "name": "New Person", "side": "SYSTEMS", "max_load": 5},
    )
    assert response.status_code == 201, response.content
    membership = CommitteeMembership.objects.get(pk=response.json()["id"])
    assert (membership.user.email, membership.user.name) == ("new@example.org", "New Person")
    assert (membership.role, membership.side, membership.max_load, membership.status) == (
        Role.PC_MEMBER,
        Side.SYSTEMS,
        5,
        InvitationStatus.INVITED,
    )
    assert membership.invited_by == chair and membership.invitation_token
    assert invitation_emails("new@example.org") == 1
    assert AuditEvent.objects.filter(action="membership.invited").count() == 1


def test_an_existing_account_needs_no_name(conference, chair, outsider):
    response = token_client(chair).post(url(conference), {"email": outsider.email, "side": "ML"})
    assert response.status_code == 201, response.content
    assert response.json()["user"]["name"] == "Olly Outsider"
    assert CommitteeMembership.objects.get(pk=response.json()["id"]).user == outsider


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"email": "nobody@example.org", "side": "ML"}, "name", "has no account yet"),
        ({"email": "x@example.org", "name": "X"}, "side", "Reviewers need a side"),
        ({"email": "x@example.org", "name": "X", "role": "ae_chair", "side": "ML"}, "side", "Only"),
        ({"email": "not-an-address", "name": "X", "side": "ML"}, "email", "valid email"),
        ({"email": "x@example.org", "name": "X", "side": "ML", "max_load": 500}, "max_load", ""),
        ({"email": "x@example.org", "name": "X", "side": "ML", "role": "king"}, "role", "valid"),
    ],
)
def test_bad_input_is_400_with_a_message_and_nothing_written(
    conference, chair, body, field, message
):
    before = CommitteeMembership.objects.count()
    response = token_client(chair).post(url(conference), body)
    assert response.status_code == 400
    messages = response.json()["error"]["fields"][field]
    assert message in " ".join(messages)
    assert CommitteeMembership.objects.count() == before
    assert not OutboundEmail.objects.exists()


def test_inviting_someone_already_on_the_committee_is_refused(conference, chair, ml_reviewer):
    response = token_client(chair).post(url(conference), {"email": ml_reviewer.email, "side": "ML"})
    assert response.status_code == 400
    assert "already on the committee" in response.json()["error"]["fields"]["email"][0]


# --- Invite many ---------------------------------------------------------------------------------


def test_bulk_csv_invites_everyone(conference, chair):
    text = "name,email,side,max_load\nAna,ana@example.org,ML,4\nBo,bo@example.org,SYSTEMS,\n"
    response = token_client(chair).post(url(conference, "bulk/"), {"csv": text})
    assert response.status_code == 201, response.content
    assert sorted(r["user"]["email"] for r in response.json()) == [
        "ana@example.org",
        "bo@example.org",
    ]
    assert invitation_emails("ana@example.org") == invitation_emails("bo@example.org") == 1


def test_bulk_list_is_all_or_nothing_with_every_bad_row(conference, chair):
    people = [
        {"name": "Ana", "email": "ana@example.org", "side": "ML"},
        {"name": "", "email": "bad", "side": "ML"},
        {"name": "Cy", "email": "cy@example.org", "side": "PURPLE"},
    ]
    response = token_client(chair).post(url(conference, "bulk/"), {"invitees": people})
    assert response.status_code == 400
    rows = response.json()["error"]["fields"]["rows"]
    assert any("row 3: name is empty" in r for r in rows)
    assert any("row 3: email must be an email address" in r for r in rows)
    assert any("row 4: side must be ML, SYSTEMS or BOTH" in r for r in rows)
    assert not CommitteeMembership.objects.filter(status=InvitationStatus.INVITED).exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"csv": "name,email\nA,a@example.org\n", "invitees": [{"email": "b@example.org"}]}],
)
def test_bulk_needs_exactly_one_of_csv_or_invitees(conference, chair, body):
    response = token_client(chair).post(url(conference, "bulk/"), body)
    assert response.status_code == 400
    assert "either `csv`" in response.json()["error"]["message"]


def test_bulk_names_an_unknown_key(conference, chair):
    response = token_client(chair).post(
        url(conference, "bulk/"), {"invitees": [{"email": "a@example.org", "nickname": "A"}]}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["invitees"] == ["Person 1: unknown key “nickname”."]


# --- Resend and revoke ---------------------------------------------------------------------------


def test_resend_turns_a_declined_invitation_back_into_a_pending_one(conference, chair):
    membership = invite(conference, chair, "maybe@example.org")
    invitations.decline_invitation(membership=membership, reason="No")
    response = token_client(chair).post(url(conference, f"{membership.pk}/resend/"))
    assert response.status_code == 200
    assert response.json()["status"] == "invited"
    membership.refresh_from_db()
    assert (membership.status, membership.decline_reason) == (InvitationStatus.INVITED, "")
    assert invitation_emails("maybe@example.org") == 2


def test_resend_to_an_accepted_member_is_refused(conference, chair, ml_reviewer):
    membership = CommitteeMembership.objects.get(user=ml_reviewer)
    response = token_client(chair).post(url(conference, f"{membership.pk}/resend/"))
    # Never invited (added directly): not in the invitations.
    assert response.status_code == 404
    invited = invite(conference, chair, "yes@example.org")
    invitations.accept_invitation(membership=invited, user=invited.user)
    response = token_client(chair).post(url(conference, f"{invited.pk}/resend/"))
    assert response.status_code == 400
    assert "has already accepted" in response.json()["error"]["message"]
    assert invitation_emails("yes@example.org") == 1


def test_revoke_deletes_a_pending_invitation_and_its_link(client, conference, chair):
    membership = invite(conference, chair, "gone@example.org")
    link = reverse(
        "conferences:invitation",
        kwargs={"conference": conference.slug, "token": membership.invitation_token},
    )
    assert client.get(link).status_code == 200
    response = token_client(chair).post(url(conference, f"{membership.pk}/revoke/"))
    assert response.status_code == 204
    assert not CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert membership.user.__class__.objects.filter(email="gone@example.org").exists()
    event = AuditEvent.objects.get(action="membership.invitation_revoked")
    assert event.actor == chair and event.changes["email"] == ["gone@example.org", None]
    assert client.get(link).status_code == 404


def test_revoking_an_accepted_invitation_is_refused(conference, chair):
    membership = invite(conference, chair, "stays@example.org")
    invitations.accept_invitation(membership=membership, user=membership.user)
    response = token_client(chair).post(url(conference, f"{membership.pk}/revoke/"))
    assert response.status_code == 400
    assert "remove them from the committee instead" in response.json()["error"]["message"]
    membership.refresh_from_db()
    assert membership.status == InvitationStatus.ACCEPTED


def test_bulk_list_takes_numbers_and_nulls_as_json_gives_them(conference, chair):
    people = [
        {"name": "Ana", "email": "ana@example.org", "side": "ML", "max_load": 4},
        {"name": "Bo", "email": "bo@example.org", "side": "BOTH", "max_load": None},
    ]
    response = token_client(chair).post(url(conference, "bulk/"), {"invitees": people})
    assert response.status_code == 201, response.content
    loads = dict(CommitteeMembership.objects.values_list("user__email", "max_load"))
    assert (loads["ana@example.org"], loads["bo@example.org"]) == (4, None)
