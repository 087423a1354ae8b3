"""The Django admin pages an operator needs: conferences, tracks, committee, outbox, audit log."""

import pytest
from django.urls import reverse

from mlsys.conferences.models import CommitteeMembership, Track
from mlsys.core import audit
from mlsys.core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def rows(conference, chair):
    factories.OutboundEmailFactory(
        conference=conference, to=["a@example.org"], subject="Hi", body=""
    )
    audit.record("conference.updated", actor=chair, target=conference)


@pytest.mark.parametrize(
    "model",
    [
        "conferences_conference",
        "conferences_track",
        "conferences_committeemembership",
        "mail_outboundemail",
        "core_auditevent",
    ],
)
def test_changelist_and_detail_pages_load(client, root, rows, model):
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    obj = response.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("model", ["mail_outboundemail", "core_auditevent"])
def test_outbox_and_audit_log_are_read_only(client, root, rows, model):
    response = client.get(reverse(f"admin:{model}_changelist"))
    obj = response.context["cl"].result_list[0]
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    change = client.get(reverse(f"admin:{model}_change", args=[obj.pk]))
    assert b'name="_save"' not in change.content
    assert client.post(reverse(f"admin:{model}_change", args=[obj.pk]), {}).status_code == 403
    assert (
        client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_adding_a_conference_goes_to_the_new_conference_page(client, root):
    response = client.get(reverse("admin:conferences_conference_add"))
    assert response.status_code == 302 and response["Location"] == reverse("conference_create")


def test_conference_change_goes_through_the_service_and_is_audited(client, root, conference):
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "name": "MLSys 2027 (renamed)",
            "tracks-TOTAL_FORMS": "2",
            "tracks-INITIAL_FORMS": "2",
            "deadlines-TOTAL_FORMS": "7",
            "deadlines-INITIAL_FORMS": "7",
        }  # fmt: skip
    )
    for i, track in enumerate(conference.tracks.order_by("order", "name")):
        data[f"tracks-{i}-id"] = track.pk
        data[f"tracks-{i}-conference"] = conference.pk
    for i, deadline in enumerate(conference.deadlines.order_by("at")):
        data[f"deadlines-{i}-id"] = deadline.pk
        data[f"deadlines-{i}-conference"] = conference.pk
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    conference.refresh_from_db()
    assert conference.name == "MLSys 2027 (renamed)"
    event = AuditEvent.objects.get(action="conference.updated", conference=conference)
    assert event.changes["name"] == ["MLSys 2027", "MLSys 2027 (renamed)"]


def test_demoting_the_last_chair_is_refused_with_the_services_message(client, root, chair):
    membership = CommitteeMembership.objects.get(user=chair)
    url = reverse("admin:conferences_committeemembership_change", args=[membership.pk])
    data = {
        "role": "pc_member",
        "side": "ML",
        "min_load": "0",
        "max_load": "",
        "status": "accepted",
    }
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    assert "only active program chair" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "program_chair"


def test_no_deletes_of_conferences_tracks_or_memberships(client, root, conference, chair):
    track = Track.objects.filter(conference=conference).first()
    for model, pk in [
        ("conferences_conference", conference.pk),
        ("conferences_track", track.pk),
        ("conferences_committeemembership", CommitteeMembership.objects.get(user=chair).pk),
    ]:
        assert (
            client.post(reverse(f"admin:{model}_delete", args=[pk]), {"post": "yes"}).status_code
            == 403
        )


def test_admin_is_closed_to_chairs(client, chair):
    client.force_login(chair)
    response = client.get(reverse("admin:core_auditevent_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def _rows(model: str, conference, count: int) -> None:
    for i in range(count):
        if model == "mail_outboundemail":
            factories.OutboundEmailFactory(
                conference=conference, to=[f"p{i}@example.org"], subject="Hi", body=""
            )
        elif model == "core_auditevent":
            audit.record("conference.updated", actor=None, target=conference)
        elif model == "conferences_committeemembership":
            factories.MembershipFactory(conference=conference, role="pc_member", side="ML")
        elif model == "conferences_track":
            factories.TrackFactory(conference=conference, name=f"T{i}", slug=f"t{i}")
        else:
            factories.ConferenceFactory(slug=f"c{i}")


@pytest.mark.parametrize(
    ("model", "queries"),
    [
        # session, user, counts, rows (+ the date hierarchy's and the filters' own queries)
        ("conferences_conference", 5),
        ("conferences_track", 5),
        ("conferences_committeemembership", 5),
        ("mail_outboundemail", 9),  # + the conferences of the list filter
        ("core_auditevent", 7),
    ],
)
@pytest.mark.parametrize("count", [1, 10])
def test_changelist_query_count_does_not_grow(
    client, root, django_assert_num_queries, model, queries, count
):
    conference = factories.ConferenceFactory(slug="listed")
    _rows(model, conference, count)
    with django_assert_num_queries(queries):
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
