"""A conference always keeps at least one active program chair, on pages and API alike
(issue 8: the only chair demoted themselves through the API and was locked out)."""

import pytest
from rest_framework.test import APIClient

from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.core.models import AuditEvent
from tests import factories

LAST = (
    "Chair Person is the only active program chair of MLSys 2027. Make someone else program "
    "chair first: a conference always keeps at least one."
)


def committee_api(pk=None):
    return (
        f"/api/v1/conferences/mlsys2027/committee/{pk}/"
        if pk
        else ("/api/v1/conferences/mlsys2027/committee/")
    )


@pytest.fixture
def api(chair):
    client = APIClient()
    client.force_login(chair)
    return client


@pytest.fixture
def root(db):
    return factories.UserFactory(name="Root", is_staff=True, is_superuser=True)


def _state(membership):
    membership.refresh_from_db()
    return membership.role, membership.status


@pytest.mark.parametrize("method", ["put", "patch"])
def test_only_chair_cannot_demote_themselves_through_the_api(api, conference, chair, method):
    membership = chair.memberships.get()
    body = {"role": "ae_chair"}
    if method == "put":
        body.update(side="", min_load=0, max_load=None, status="accepted")
    response = getattr(api, method)(committee_api(membership.pk), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["role"] == [LAST]
    assert _state(membership) == (Role.PROGRAM_CHAIR, InvitationStatus.ACCEPTED)
    assert not AuditEvent.objects.filter(action="membership.updated").exists()
    # Still a chair: the committee is still readable.
    assert api.get(committee_api()).status_code == 200


def test_only_chair_cannot_be_set_to_declined(api, conference, chair):
    membership = chair.memberships.get()
    response = api.patch(committee_api(membership.pk), {"status": "declined"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["status"] == [LAST]
    assert _state(membership) == (Role.PROGRAM_CHAIR, InvitationStatus.ACCEPTED)


def test_only_chair_cannot_be_removed_even_by_a_superuser(client, conference, chair, root, url):
    membership = chair.memberships.get()
    client.force_login(root)
    response = client.post(url("member_remove", pk=membership.pk), follow=True)
    assert CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert LAST in response.content.decode()
    api = APIClient()
    api.force_login(root)
    response = api.delete(committee_api(membership.pk))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == LAST
    assert not AuditEvent.objects.filter(action="membership.deleted").exists()


def test_only_chair_cannot_demote_themselves_on_the_page(client, conference, chair, url):
    membership = chair.memberships.get()
    client.force_login(chair)
    response = client.post(
        url("member_edit", pk=membership.pk),
        {"role": Role.AE_CHAIR, "side": "", "min_load": 0, "status": "accepted"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [LAST]
    assert _state(membership) == (Role.PROGRAM_CHAIR, InvitationStatus.ACCEPTED)
    # The heading names the stored role, not the refused one.
    html = response.content.decode()
    assert "<h1>Chair Person — Program chair</h1>" in html
    assert "— AE chair</h1>" not in html


def test_a_chair_may_step_down_once_another_chair_accepted(api, conference, chair):
    other = factories.UserFactory(name="Second Chair")
    factories.MembershipFactory(
        conference=conference, user=other, role=Role.PROGRAM_CHAIR, status=InvitationStatus.INVITED
    )
    membership = chair.memberships.get()
    # An invited (not yet accepted) chair does not count.
    response = api.patch(committee_api(membership.pk), {"role": "ae_chair"}, format="json")
    assert response.status_code == 400
    other.memberships.update(status=InvitationStatus.ACCEPTED)
    response = api.patch(committee_api(membership.pk), {"role": "ae_chair"}, format="json")
    assert response.status_code == 200
    assert _state(membership) == (Role.AE_CHAIR, InvitationStatus.ACCEPTED)
