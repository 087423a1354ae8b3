"""Next year's chair may be new: the chairs of a conference started from another one's setup
(``Conference.copied_from``, set by "Start from a previous conference") may invite that
conference's committee; a chair of an unrelated conference still may not."""

import pytest
from django.urls import reverse

from mlsys.conferences.creation import NewConference, create_conference
from mlsys.conferences.enums import Role, Side
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.viewer import Viewer
from tests import factories


@pytest.fixture
def next_year(conference, staff):
    created = create_conference(
        new=NewConference(
            name="MLSys 2028",
            slug="mlsys2028",
            chair_email="nora@new.example.org",
            chair_name="Nora New",
            copy_from=conference,
            shift_days=365,
        ),
        actor=staff,
    ).conference
    CommitteeMembership.objects.filter(conference=created).update(status="accepted")
    return created


@pytest.fixture
def staff(db):
    return factories.UserFactory(email="ops@example.org", is_staff=True)


def _nora():
    return CommitteeMembership.objects.get(user__email="nora@new.example.org").user


def test_a_new_chair_invites_the_committee_of_the_conference_it_started_from(
    client, conference, next_year, ml_reviewer
):
    assert next_year.copied_from == conference
    nora = _nora()
    assert not conference.memberships.filter(user=nora).exists()  # never chaired 2027
    client.force_login(nora)
    pick = client.get(
        reverse("conferences:committee_returning", kwargs={"conference": next_year.slug})
    )
    assert [c.slug for c in pick.context["sources"]] == [conference.slug]
    # The page says why a conference Nora never chaired is offered.
    assert "MLSys 2028 was started from it" in pick.content.decode()
    page = client.get(
        reverse(
            "conferences:committee_returning_invite",
            kwargs={"conference": next_year.slug, "source": conference.slug},
        )
    )
    assert page.status_code == 200
    assert ml_reviewer.email in page.content.decode()
    assert Viewer(nora).has_perm("conferences.reuse_committee", conference)


def test_a_chair_of_an_unrelated_conference_may_not(client, conference, ml_reviewer):
    other = factories.conference_in_submission_phase(slug="other2028", name="Other 2028")
    outsider_chair = factories.UserFactory(name="Otto Other")
    factories.MembershipFactory(conference=other, user=outsider_chair, role=Role.PROGRAM_CHAIR)
    factories.MembershipFactory(
        conference=conference, user=factories.UserFactory(), role=Role.PC_MEMBER, side=Side.ML
    )
    client.force_login(outsider_chair)
    url = reverse(
        "conferences:committee_returning_invite",
        kwargs={"conference": other.slug, "source": conference.slug},
    )
    assert client.get(url).status_code == 404
    assert not Viewer(outsider_chair).has_perm("conferences.reuse_committee", conference)


def test_the_pick_page_without_a_source_says_why(client, conference):
    """A chair of a conference started empty, chairing nothing else: nothing is offered, and
    the page says both reasons."""
    chair = factories.UserFactory()
    factories.MembershipFactory(conference=conference, user=chair, role=Role.PROGRAM_CHAIR)
    client.force_login(chair)
    page = client.get(
        reverse("conferences:committee_returning", kwargs={"conference": conference.slug})
    )
    assert page.context["sources"] == []
    assert f"{conference.name} was not started from one" in page.content.decode()


def test_a_new_conference_is_hidden_until_its_chairs_make_it_public(client, next_year, author):
    """Found by a new organiser: a conference was public, open for submissions, the moment it
    was created. It now starts hidden: authors see nothing until a chair makes it public."""
    assert next_year.is_public is False
    client.force_login(author)
    assert client.get(f"/c/{next_year.slug}/").status_code == 404
    client.force_login(_nora())
    assert client.get(f"/c/{next_year.slug}/").status_code == 200
    next_year.is_public = True
    next_year.save(update_fields=["is_public"])
    client.force_login(author)
    assert client.get(f"/c/{next_year.slug}/").status_code == 200
