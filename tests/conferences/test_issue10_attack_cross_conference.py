"""Attacks that held (issue 10): a chair of only one of two conferences, and an API token whose
user differs from the session's, reach nothing of the other conference's committee."""

import pytest

from mlsys.accounts.services import create_api_token
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership
from tests import factories


@pytest.fixture
def other(db):
    """MLSys 2026, chaired by someone else, with a PC member of its own."""
    other = factories.ConferenceFactory(slug="mlsys2026", name="MLSys 2026")
    chair = factories.UserFactory(name="Other Chair")
    factories.MembershipFactory(
        conference=other, user=chair, role=enums.Role.PROGRAM_CHAIR, status="accepted"
    )
    factories.MembershipFactory(
        conference=other,
        user=factories.UserFactory(name="Secret Member", email="secret@old.example"),
        role=enums.Role.PC_MEMBER,
        side=enums.Side.ML,
        status="accepted",
    )
    return other


def test_attack_chair_of_one_conference_reads_nothing_of_the_other(
    client, conference, chair, other
):
    client.force_login(chair)
    api = "/api/v1/conferences/mlsys2026/"
    for path in ("committee/", "invitations/", "bids/", "assignment/proposals/"):
        assert client.get(api + path).status_code == 404, path
    returning = client.get(f"/c/{conference.slug}/committee/from/mlsys2026/")
    assert returning.status_code == 404
    assert (
        "secret@old.example"
        not in client.get(f"/c/{conference.slug}/committee/from/").content.decode()
    )


def test_attack_token_of_the_other_chair_does_not_borrow_the_session(
    client, conference, chair, other
):
    """Session: the chair of 2027; token: the chair of 2026. The token's user is asked."""
    other_chair = CommitteeMembership.objects.get(conference=other, role="program_chair").user
    _, raw = create_api_token(user=other_chair, name="script")
    client.force_login(chair)
    response = client.post(
        f"/api/v1/conferences/{conference.slug}/invitations/",
        {"email": "new@x.example", "name": "New Person", "side": "ML"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 404
    assert not CommitteeMembership.objects.filter(user__email="new@x.example").exists()
