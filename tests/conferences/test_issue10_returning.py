"""Invite from a previous conference (issue 10): the chair of the new conference ticks last
year's committee members, with role, side and loads pre-filled, and they are invited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mlsys.conferences import invitations
from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from tests import factories


@pytest.fixture
def next_year(db, chair):
    conference = factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    factories.MembershipFactory(conference=conference, user=chair, role=Role.PROGRAM_CHAIR)
    return conference


@pytest.fixture
def new_chair(next_year):
    """A chair of the new conference only."""
    user = factories.UserFactory(name="Nora New")
    factories.MembershipFactory(conference=next_year, user=user, role=Role.PROGRAM_CHAIR)
    return user


def pick_url(conference):
    return reverse("conferences:committee_returning", kwargs={"conference": conference.slug})


def list_url(conference, source):
    return reverse(
        "conferences:committee_returning_invite",
        kwargs={"conference": conference.slug, "source": source.slug},
    )


def _m(conference, user):
    return CommitteeMembership.objects.get(conference=conference, user=user)


def test_pick_page_offers_only_conferences_the_chair_chairs(
    client, chair, new_chair, conference, next_year
):
    factories.ConferenceFactory(slug="other2027", name="Other 2027")
    client.force_login(chair)
    assert [c.slug for c in client.get(pick_url(next_year)).context["sources"]] == ["mlsys2027"]

    client.force_login(new_chair)
    response = client.get(pick_url(next_year))
    assert response.context["sources"] == []
    assert "not a program chair of any other conference" in response.content.decode()


def test_site_staff_are_offered_every_other_conference(client, next_year, conference):
    staff = factories.UserFactory(is_staff=True)
    factories.MembershipFactory(conference=next_year, user=staff, role=Role.PROGRAM_CHAIR)
    factories.ConferenceFactory(slug="other2027")
    client.force_login(staff)

    sources = client.get(pick_url(next_year)).context["sources"]
    assert sorted(c.slug for c in sources) == ["mlsys2027", "other2027"]
    assert client.get(list_url(next_year, conference)).status_code == 200


def test_list_prefills_role_side_and_loads_and_marks_people_already_here(
    client, chair, conference, next_year, ml_reviewer, systems_reviewer
):
    CommitteeMembership.objects.filter(conference=conference, user=systems_reviewer).update(
        min_load=2, max_load=5
    )
    factories.MembershipFactory(
        conference=next_year, user=ml_reviewer, status=InvitationStatus.INVITED
    )
    declined = factories.UserFactory(name="Dee Clined")
    factories.MembershipFactory(
        conference=conference, user=declined, status=InvitationStatus.DECLINED
    )
    client.force_login(chair)

    response = client.get(list_url(next_year, conference))

    assert response.status_code == 200
    rows = {row.member.user: row for row in response.context["rows"]}
    assert declined not in rows  # only people who served
    assert rows[ml_reviewer].here == "is already invited as PC member"
    assert rows[ml_reviewer].fields == {}
    assert rows[chair].here == "is already on the committee as Program chair"
    sam = rows[systems_reviewer].fields
    assert rows[systems_reviewer].here == ""
    assert (sam["role"].value(), sam["side"].value()) == (Role.PC_MEMBER, Side.SYSTEMS)
    assert (sam["min_load"].value(), sam["max_load"].value()) == (2, 5)
    assert not sam["invite"].value()
    html = response.content.decode()
    assert "Here already" in html
    assert f'name="invite_{_m(conference, ml_reviewer).pk}"' not in html


def test_ticked_people_are_invited_with_the_chosen_values_and_emailed(
    client, chair, conference, next_year, ml_reviewer, systems_reviewer
):
    mia, sam = _m(conference, ml_reviewer), _m(conference, systems_reviewer)
    client.force_login(chair)

    response = client.post(
        list_url(next_year, conference),
        {
            f"invite_{mia.pk}": "on",
            f"role_{mia.pk}": Role.AREA_CHAIR,
            f"side_{mia.pk}": Side.BOTH,
            f"min_load_{mia.pk}": "1",
            f"max_load_{mia.pk}": "4",
            f"invite_{sam.pk}": "on",
            f"role_{sam.pk}": Role.PC_MEMBER,
            f"side_{sam.pk}": Side.SYSTEMS,
            f"max_load_{sam.pk}": "8",
        },
    )

    assert response.status_code == 302
    invited = {
        m.user: (m.role, m.side, m.min_load, m.max_load, m.status, m.invited_by)
        for m in CommitteeMembership.objects.filter(conference=next_year).exclude(user=chair)
    }
    assert invited == {
        ml_reviewer: (Role.AREA_CHAIR, Side.BOTH, 1, 4, InvitationStatus.INVITED, chair),
        systems_reviewer: (Role.PC_MEMBER, Side.SYSTEMS, 0, 8, InvitationStatus.INVITED, chair),
    }
    emails = OutboundEmail.objects.filter(conference=next_year)
    assert sorted(e.to[0] for e in emails) == sorted([ml_reviewer.email, systems_reviewer.email])
    assert all("MLSys 2028" in e.subject + e.body for e in emails)
    event = AuditEvent.objects.get(action="committee.invited_from_conference")
    assert (event.conference, event.note) == (next_year, "from MLSys 2027 (mlsys2027)")
    # Last year's memberships are untouched.
    assert _m(conference, ml_reviewer).role == Role.PC_MEMBER


def test_a_ticked_reviewer_without_side_is_refused_and_the_rows_keep_their_values(
    client, chair, conference, next_year, ml_reviewer, systems_reviewer
):
    mia, sam = _m(conference, ml_reviewer), _m(conference, systems_reviewer)
    client.force_login(chair)

    response = client.post(
        list_url(next_year, conference),
        {
            f"invite_{mia.pk}": "on",
            f"role_{mia.pk}": Role.PC_MEMBER,
            f"side_{mia.pk}": "",
            f"max_load_{mia.pk}": "3",
            # Unticked, with a typo: not invited, and not in the way.
            f"role_{sam.pk}": Role.PC_MEMBER,
            f"max_load_{sam.pk}": "lots",
        },
    )

    assert response.status_code == 400
    rows = {row.member.user: row for row in response.context["rows"]}
    assert rows[ml_reviewer].errors() == ["Reviewers need a side: ML, Systems or Both."]
    assert rows[ml_reviewer].fields["max_load"].value() == "3"
    assert rows[systems_reviewer].errors() == []
    assert rows[systems_reviewer].fields["max_load"].value() == "lots"
    assert not CommitteeMembership.objects.filter(conference=next_year).exclude(user=chair)
    assert not OutboundEmail.objects.exists()


def test_nothing_ticked_is_refused_with_a_message(client, chair, conference, next_year):
    client.force_login(chair)

    response = client.post(list_url(next_year, conference), {})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Tick at least one person to invite."]


def test_min_load_above_max_load_is_refused(client, chair, conference, next_year, ml_reviewer):
    mia = _m(conference, ml_reviewer)
    client.force_login(chair)

    response = client.post(
        list_url(next_year, conference),
        {
            f"invite_{mia.pk}": "on",
            f"role_{mia.pk}": Role.PC_MEMBER,
            f"side_{mia.pk}": Side.ML,
            f"min_load_{mia.pk}": "6",
            f"max_load_{mia.pk}": "2",
        },
    )

    assert response.status_code == 400
    assert not CommitteeMembership.objects.filter(conference=next_year, user=ml_reviewer)


def test_a_chair_of_only_the_new_conference_cannot_list_or_invite_from_the_old_one(
    client, new_chair, conference, next_year, ml_reviewer
):
    mia = _m(conference, ml_reviewer)
    client.force_login(new_chair)

    assert client.get(list_url(next_year, conference)).status_code == 404
    response = client.post(
        list_url(next_year, conference),
        {f"invite_{mia.pk}": "on", f"role_{mia.pk}": Role.PC_MEMBER, f"side_{mia.pk}": "ML"},
    )
    assert response.status_code == 404
    assert not CommitteeMembership.objects.filter(conference=next_year, user=ml_reviewer)


def test_a_non_chair_gets_404_everywhere(client, conference, next_year, ml_reviewer):
    # A PC member of both years is no chair of the new one.
    factories.MembershipFactory(conference=next_year, user=ml_reviewer)
    client.force_login(ml_reviewer)

    assert client.get(pick_url(next_year)).status_code == 404
    assert client.get(list_url(next_year, conference)).status_code == 404


def test_the_conference_itself_is_no_source(client, chair, next_year):
    client.force_login(chair)

    assert client.get(list_url(next_year, next_year)).status_code == 404


def test_service_refuses_everyone_already_here_and_writes_nothing(
    chair, conference, next_year, ml_reviewer, systems_reviewer
):
    factories.MembershipFactory(conference=next_year, user=ml_reviewer)
    people = [
        invitations.Returning(user=systems_reviewer, role=Role.PC_MEMBER, side=Side.SYSTEMS),
        invitations.Returning(user=ml_reviewer, role=Role.AREA_CHAIR, side=Side.ML),
    ]

    with pytest.raises(ValidationError) as exc:
        invitations.invite_returning(
            conference=next_year, source=conference, people=people, actor=chair
        )

    assert exc.value.messages == [f"{ml_reviewer.email} is already on the committee as PC member."]
    assert not CommitteeMembership.objects.filter(conference=next_year, user=systems_reviewer)
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("people", [1, 10])
def test_list_page_queries_do_not_grow(
    client, chair, conference, next_year, django_assert_num_queries, people
):
    for _ in range(people):
        member = factories.MembershipFactory(conference=conference, side=Side.SYSTEMS)
        factories.MembershipFactory(conference=next_year, user=member.user)
    client.force_login(chair)
    url = list_url(next_year, conference)
    client.get(url)  # warm the session

    with django_assert_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["rows"]) == people + 1  # and the chair
