"""The site staff's "New conference" page: form → preview → create."""

from datetime import timedelta

import pytest
from django.urls import reverse

from mlsys.conferences.models import Conference
from mlsys.mail.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/conferences/new/"


def _data(**kwargs) -> dict:
    return {
        "name": "MLSys 2028",
        "slug": "mlsys2028",
        "timezone": "Etc/GMT+12",
        "chair_email": "next.chair@example.org",
        "chair_name": "Next Chair",
        "copy_from": "",
        "shift_days": "365",
        **kwargs,
    }


def test_url_name():
    assert reverse("conference_create") == URL


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(URL, _data(action="create")).status_code == 302
    assert not Conference.objects.filter(slug="mlsys2028").exists()


@pytest.mark.parametrize("who", ["chair", "ml_reviewer", "author", "outsider"])
def test_everyone_but_staff_gets_404(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, _data(action="create")).status_code == 404
    assert not Conference.objects.filter(slug="mlsys2028").exists()


def test_staff_sees_the_form_and_the_header_link(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="chair_email"' in html and 'name="copy_from"' in html
    assert f'href="{URL}"' in html


def test_header_link_is_for_staff_only(client, outsider):
    client.force_login(outsider)
    assert f'href="{URL}"' not in client.get("/").content.decode()


def test_preview_shows_shifted_deadlines_and_writes_nothing(client, staff, source):
    client.force_login(staff)
    submission = source.deadlines.get(kind="submission")
    response = client.post(URL, _data(copy_from="mlsys2027", action="preview"))
    html = response.content.decode()
    assert response.status_code == 200
    old = submission.at.astimezone(source.tz)
    assert old.strftime("%a %-d %b %Y, %H:%M") in html
    # 365 days later at the same time of day in the zone (both AoE here).
    assert (old + timedelta(days=365)).strftime("%a %-d %b %Y, %H:%M") in html
    assert "2 tracks" in html and "2 review forms" in html and "2 extra questions" in html
    assert "not kept" in html  # the forced submission switch
    assert 'name="action" value="create"' in html
    assert not Conference.objects.filter(slug="mlsys2028").exists()
    assert not OutboundEmail.objects.exists()


def test_create_from_preview_makes_the_conference_and_invites_the_chair(client, staff, source):
    client.force_login(staff)
    response = client.post(URL, _data(copy_from="mlsys2027", action="create"))
    new = Conference.objects.get(slug="mlsys2028")
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.tracks.count() == 2 and new.deadlines.count() == source.deadlines.count()
    member = new.memberships.get()
    assert member.user.email == "next.chair@example.org" and member.status == "invited"
    assert OutboundEmail.objects.filter(to=["next.chair@example.org"]).exists()


def test_bad_input_shows_messages_and_keeps_every_input(client, staff, conference):
    client.force_login(staff)
    data = _data(slug="mlsys2027", timezone="Mars/Olympus", chair_email="nope", action="preview")
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "A conference with the slug “mlsys2027” already exists." in html
    assert "“Mars/Olympus” is not a known time zone" in html
    assert "“nope” is not a valid email address." in html
    assert 'value="Mars/Olympus"' in html and 'value="MLSys 2028"' in html
    assert 'value="Next Chair"' in html
    assert Conference.objects.count() == 1


def test_create_refused_after_preview_keeps_inputs(client, staff, conference):
    client.force_login(staff)
    response = client.post(URL, _data(slug="mlsys2027", action="create"))
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Conference.objects.count() == 1


def test_change_goes_back_to_the_form_with_the_inputs(client, staff, source):
    client.force_login(staff)
    response = client.post(URL, _data(copy_from="mlsys2027", action="edit"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="mlsys2028"' in html and '<option value="mlsys2027" selected>' in html
    assert not Conference.objects.filter(slug="mlsys2028").exists()


@pytest.mark.parametrize("count", [1, 10])
def test_form_query_count_does_not_grow_with_conferences(
    client, staff, django_assert_num_queries, count
):
    for i in range(count):
        factories.ConferenceFactory(slug=f"old{i}")
    client.force_login(staff)
    # session, user, the conferences to start from
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("tracks", [0, 9])
def test_preview_query_count_does_not_grow_with_the_setup(
    client, staff, source, django_assert_num_queries, tracks
):
    for i in range(tracks):
        factories.TrackFactory(conference=source, name=f"Extra {i}", slug=f"extra-{i}")
    client.force_login(staff)
    # session, user, source by slug, slug taken?, deadlines, 8 counts of what is copied
    # one count per copied kind, outcomes and the AE settings with their badges included
    with django_assert_num_queries(15):
        response = client.post(URL, _data(copy_from="mlsys2027", action="preview"))
    assert response.status_code == 200
