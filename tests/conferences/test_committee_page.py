"""The committee page: members by role, side balance, adding, editing and removing members."""

from mlsys.accounts.models import User
from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership
from mlsys.core.models import AuditEvent
from tests import factories


def test_committee_page_groups_members_and_shows_side_balance(
    chair_client, conference, ml_reviewer, systems_reviewer, conflicted_reviewer, url
):
    factories.MembershipFactory(
        conference=conference, role=Role.PC_MEMBER, side=Side.ML, max_load=None
    )
    factories.MembershipFactory(
        conference=conference,
        role=Role.PC_MEMBER,
        side=Side.SYSTEMS,
        status=InvitationStatus.INVITED,
    )
    response = chair_client.get(url("committee"))
    balance = {row["side"]: row for row in response.context["balance"]}
    assert (balance["ML"]["members"], balance["ML"]["capacity"], balance["ML"]["unlimited"]) == (
        2,
        8,
        1,
    )
    assert (balance["SYSTEMS"]["members"], balance["SYSTEMS"]["capacity"]) == (1, 8)
    assert (balance["BOTH"]["members"], balance["BOTH"]["capacity"]) == (1, 8)
    roles = [m.role for m in response.context["members"]]
    assert (roles.count(Role.PROGRAM_CHAIR), roles.count(Role.PC_MEMBER)) == (1, 5)
    body = response.content.decode()
    assert "Sam Kernel" in body and "Invited" in body


def test_adding_an_existing_user_creates_the_membership(chair_client, conference, author, url):
    response = chair_client.post(
        url("committee"),
        {
            "email": "ADA@uni.example.edu",
            "role": Role.PC_MEMBER,
            "side": Side.SYSTEMS,
            "min_load": 0,
            "max_load": 10,
            "status": InvitationStatus.INVITED,
        },
    )
    assert response.status_code == 302
    membership = CommitteeMembership.objects.get(conference=conference, user=author)
    assert (membership.role, membership.side, membership.max_load, membership.status) == (
        Role.PC_MEMBER,
        Side.SYSTEMS,
        10,
        InvitationStatus.INVITED,
    )
    assert membership.invited_at is not None
    assert AuditEvent.objects.get(action="membership.created").object_id == str(membership.pk)


def test_adding_a_new_person_creates_an_account_without_password(chair_client, conference, url):
    chair_client.post(
        url("committee"),
        {
            "email": "new.person@lab.example",
            "name": "New Person",
            "role": Role.AE_EVALUATOR,
            "side": "",
            "min_load": 0,
            "status": InvitationStatus.ACCEPTED,
        },
    )
    user = User.objects.get(email="new.person@lab.example")
    assert user.name == "New Person"
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.role, membership.status) == (Role.AE_EVALUATOR, "accepted")
    assert membership.responded_at is not None


def test_new_person_without_a_name_is_refused(chair_client, conference, url):
    response = chair_client.post(
        url("committee"),
        {
            "email": "nobody@lab.example",
            "role": Role.PC_MEMBER,
            "side": Side.ML,
            "min_load": 0,
            "status": "invited",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Enter the name of this new person."]
    assert not User.objects.filter(email="nobody@lab.example").exists()


def test_reviewer_without_a_side_is_refused(chair_client, conference, author, url):
    response = chair_client.post(
        url("committee"),
        {
            "email": author.email,
            "role": Role.PC_MEMBER,
            "side": "",
            "min_load": 0,
            "status": "invited",
        },
    )
    assert response.context["form"].errors["side"]
    assert not CommitteeMembership.objects.filter(user=author).exists()


def test_same_role_twice_is_refused(chair_client, conference, ml_reviewer, url):
    response = chair_client.post(
        url("committee"),
        {
            "email": ml_reviewer.email,
            "role": Role.PC_MEMBER,
            "side": Side.ML,
            "min_load": 0,
            "status": "accepted",
        },
    )
    assert response.context["form"].errors["role"] == [
        "This person already has this role at this conference."
    ]
    assert CommitteeMembership.objects.filter(user=ml_reviewer).count() == 1


def test_edit_membership_changes_side_and_load(chair_client, conference, ml_reviewer, url):
    membership = ml_reviewer.memberships.get()
    response = chair_client.post(
        url("member_edit", pk=membership.pk),
        {
            "role": Role.PC_MEMBER,
            "side": Side.BOTH,
            "min_load": 2,
            "max_load": 12,
            "status": "accepted",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.side, membership.min_load, membership.max_load) == ("BOTH", 2, 12)
    event = AuditEvent.objects.get(action="membership.updated")
    assert event.changes == {"side": ["ML", "BOTH"], "min_load": [0, 2], "max_load": [8, 12]}


def test_min_load_above_max_load_is_refused(chair_client, conference, ml_reviewer, url):
    membership = ml_reviewer.memberships.get()
    response = chair_client.post(
        url("member_edit", pk=membership.pk),
        {
            "role": Role.PC_MEMBER,
            "side": Side.ML,
            "min_load": 9,
            "max_load": 3,
            "status": "accepted",
        },
    )
    assert response.context["form"].errors["min_load"] == ["Must not exceed the maximum load."]
    membership.refresh_from_db()
    assert (membership.min_load, membership.max_load) == (0, 8)


def test_remove_member(chair_client, conference, ml_reviewer, url):
    membership = ml_reviewer.memberships.get()
    chair_client.post(url("member_remove", pk=membership.pk))
    assert not CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=ml_reviewer.pk).exists()
    assert AuditEvent.objects.filter(action="membership.deleted").count() == 1


def test_chair_cannot_remove_their_own_chair_role(chair_client, conference, chair, url):
    membership = chair.memberships.get()
    response = chair_client.post(url("member_remove", pk=membership.pk), follow=True)
    assert CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert "cannot remove your own program-chair role" in response.content.decode()


def test_pc_member_cannot_add_members(client, conference, ml_reviewer, author, url):
    client.force_login(ml_reviewer)
    response = client.post(
        url("committee"),
        {"email": author.email, "role": Role.PROGRAM_CHAIR, "min_load": 0, "status": "accepted"},
    )
    assert response.status_code == 404
    assert not CommitteeMembership.objects.filter(user=author).exists()


def test_pc_member_cannot_remove_members(client, conference, ml_reviewer, chair, url):
    client.force_login(ml_reviewer)
    membership = chair.memberships.get()
    assert client.post(url("member_remove", pk=membership.pk)).status_code == 404
    assert CommitteeMembership.objects.filter(pk=membership.pk).exists()
