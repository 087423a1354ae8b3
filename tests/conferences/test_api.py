"""The conference API: same permissions as the pages, writes through the same services."""

import pytest
from rest_framework.test import APIClient

from mlsys.conferences.enums import Role, Side
from mlsys.conferences.models import CommitteeMembership, Topic, Track
from mlsys.core.models import AuditEvent
from tests import factories


def api(slug, resource="", pk=None):
    path = f"/api/v1/conferences/{slug}/"
    if resource:
        path += f"{resource}/"
    if pk is not None:
        path += f"{pk}/"
    return path


@pytest.fixture
def client():
    """DRF's client: bodies are sent as JSON (TEST_REQUEST_DEFAULT_FORMAT)."""
    return APIClient()


@pytest.fixture
def private(conference):
    conference.is_public = False
    conference.save(update_fields=["is_public"])
    return conference


def test_conference_list_shows_public_and_member_conferences(client, conference, outsider):
    hidden = factories.ConferenceFactory(slug="hidden", is_public=False)
    client.force_login(outsider)
    slugs = [c["slug"] for c in client.get("/api/v1/conferences/").json()["results"]]
    assert slugs == ["mlsys2027"]
    factories.MembershipFactory(conference=hidden, user=outsider, role=Role.AE_EVALUATOR)
    slugs = {c["slug"] for c in client.get("/api/v1/conferences/").json()["results"]}
    assert slugs == {"mlsys2027", "hidden"}


def test_conference_detail_has_tracks_topics_deadlines_and_phases(client, conference, outsider):
    client.force_login(outsider)
    data = client.get(api("mlsys2027")).json()
    assert data["current_phase"] == "submission"
    assert data["open_phases"] == ["submission"]
    assert [t["slug"] for t in data["tracks"]] == ["research", "industry"]
    assert len(data["topics"]) == 6
    assert [d["kind"] for d in data["deadlines"]][:2] == ["registration", "submission"]
    assert data["next_deadline"]["kind"] == "registration"


def test_private_conference_is_404_for_an_outsider(client, private, outsider):
    client.force_login(outsider)
    assert client.get(api("mlsys2027")).status_code == 404
    assert client.get(api("mlsys2027", "tracks")).status_code == 404
    assert client.get(api("mlsys2027", "topics")).status_code == 404
    body = client.get(api("mlsys2027", "tracks")).json()
    assert body["error"]["code"] == "not_found"


def test_anonymous_api_request_is_401(client, conference):
    response = client.get(api("mlsys2027", "tracks"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_pc_member_reads_tracks_of_a_private_conference(client, private, ml_reviewer):
    client.force_login(ml_reviewer)
    response = client.get(api("mlsys2027", "tracks"))
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["results"]] == ["Research", "Industry"]


def test_pc_member_cannot_write_tracks(client, conference, ml_reviewer):
    client.force_login(ml_reviewer)
    track = conference.tracks.get(slug="research")
    response = client.patch(api("mlsys2027", "tracks", track.pk), {"page_limit": 99})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    response = client.post(api("mlsys2027", "tracks"), {"name": "X", "slug": "x"})
    assert response.status_code == 403
    assert client.delete(api("mlsys2027", "tracks", track.pk)).status_code == 403
    track.refresh_from_db()
    assert track.page_limit == 10
    assert conference.tracks.count() == 2


def test_chair_creates_and_updates_a_track_through_the_service(client, conference, chair):
    client.force_login(chair)
    response = client.post(api("mlsys2027", "tracks"), {"name": "Tools", "slug": "tools"})
    assert response.status_code == 201, response.json()
    track = Track.objects.get(pk=response.json()["id"])
    assert track.conference == conference
    response = client.patch(api("mlsys2027", "tracks", track.pk), {"page_limit": 6})
    assert response.status_code == 200
    assert response.json()["page_limit"] == 6
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["track.created", "track.updated"]


def test_track_rules_are_validated_like_the_page(client, conference, chair):
    client.force_login(chair)
    track = conference.tracks.get(slug="research")
    response = client.patch(
        api("mlsys2027", "tracks", track.pk), {"min_topics": 6, "max_topics": 2}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "max_topics": ["Must be at least the minimum number of topics."]
    }
    track.refresh_from_db()
    assert track.max_topics == 5


def test_track_with_submissions_cannot_be_deleted_through_the_api(client, conference, chair):
    track = conference.tracks.get(slug="research")
    factories.SubmissionFactory(
        conference=conference, track=track, number=1, title="T", abstract="A", status="draft"
    )
    client.force_login(chair)
    response = client.delete(api("mlsys2027", "tracks", track.pk))
    assert response.status_code == 400
    assert "cannot be deleted" in response.json()["error"]["message"]
    assert Track.objects.filter(pk=track.pk).exists()


def test_topic_crud_for_chairs(client, conference, chair):
    client.force_login(chair)
    response = client.post(api("mlsys2027", "topics"), {"name": "Serving", "area": "SYSTEMS"})
    assert response.status_code == 201
    topic = Topic.objects.get(name="Serving")
    assert topic.order == 3
    response = client.post(api("mlsys2027", "topics"), {"name": "serving", "area": "ML"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["name"]
    assert client.delete(api("mlsys2027", "topics", topic.pk)).status_code == 204
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_pc_member_reads_topics_but_cannot_add(client, conference, ml_reviewer):
    client.force_login(ml_reviewer)
    assert client.get(api("mlsys2027", "topics")).json()["count"] == 6
    response = client.post(api("mlsys2027", "topics"), {"name": "New", "area": "ML"})
    assert response.status_code == 403
    assert conference.topics.count() == 6


def test_committee_is_404_for_a_pc_member(client, conference, ml_reviewer):
    client.force_login(ml_reviewer)
    assert client.get(api("mlsys2027", "committee")).status_code == 404


def test_committee_filters_by_role_side_and_status(
    client, conference, chair, ml_reviewer, systems_reviewer
):
    factories.MembershipFactory(
        conference=conference, role=Role.PC_MEMBER, side=Side.ML, status="invited"
    )
    client.force_login(chair)
    results = client.get(api("mlsys2027", "committee"), {"side": "ML"}).json()["results"]
    assert len(results) == 2
    results = client.get(
        api("mlsys2027", "committee"), {"side": "ML", "status": "accepted"}
    ).json()["results"]
    assert [r["user"]["name"] for r in results] == ["Mia Learner"]
    results = client.get(api("mlsys2027", "committee"), {"role": "program_chair"}).json()
    assert [r["user"]["email"] for r in results["results"]] == [chair.email]


def test_chair_adds_updates_and_removes_a_member(client, conference, chair):
    client.force_login(chair)
    response = client.post(
        api("mlsys2027", "committee"),
        {
            "email": "grace@lab.example",
            "name": "Grace Hopper",
            "role": "pc_member",
            "side": "SYSTEMS",
            "max_load": 6,
            "status": "invited",
        },
    )
    assert response.status_code == 201, response.json()
    membership = CommitteeMembership.objects.get(pk=response.json()["id"])
    assert membership.user.name == "Grace Hopper"
    assert not membership.user.has_usable_password()
    response = client.patch(api("mlsys2027", "committee", membership.pk), {"side": "BOTH"})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.side == "BOTH"
    response = client.patch(api("mlsys2027", "committee", membership.pk), {"side": ""})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["side"]
    assert client.delete(api("mlsys2027", "committee", membership.pk)).status_code == 204
    assert not CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "user.created_for_committee",
        "membership.created",
        "membership.updated",
        "membership.deleted",
    ]


def test_committee_create_requires_an_email(client, conference, chair):
    client.force_login(chair)
    response = client.post(api("mlsys2027", "committee"), {"role": "pc_member", "side": "ML"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"email": ["This field is required."]}
