"""Who may open which conference page: chair 200, PC member 404, outsider 404, anonymous login."""

import pytest
from django.urls import reverse

from mlsys.conferences.enums import Role

# (url name, which object supplies the pk: None | "track" | "topic" | "member")
CHAIR_PAGES = [
    ("settings", None),
    ("tracks", None),
    ("track_create", None),
    ("track_edit", "track"),
    ("track_delete", "track"),
    ("topics", None),
    ("topic_edit", "topic"),
    ("deadlines", None),
    ("phases", None),
    ("committee", None),
    ("member_edit", "member"),
]


@pytest.fixture
def page_url(conference, chair, url):
    def build(name, obj):
        kwargs = {}
        if obj == "track":
            kwargs["pk"] = conference.tracks.first().pk
        elif obj == "topic":
            kwargs["pk"] = conference.topics.first().pk
        elif obj == "member":
            kwargs["pk"] = conference.memberships.get(role=Role.PROGRAM_CHAIR).pk
        return url(name, **kwargs)

    return build


@pytest.mark.parametrize(("name", "obj"), CHAIR_PAGES)
def test_chair_pages_open_for_the_chair(client, chair, page_url, name, obj):
    client.force_login(chair)
    response = client.get(page_url(name, obj))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "obj"), CHAIR_PAGES)
def test_chair_pages_are_404_for_a_pc_member(client, ml_reviewer, page_url, name, obj):
    client.force_login(ml_reviewer)
    assert client.get(page_url(name, obj)).status_code == 404


@pytest.mark.parametrize(("name", "obj"), CHAIR_PAGES)
def test_chair_pages_are_404_for_an_outsider(client, outsider, page_url, name, obj):
    client.force_login(outsider)
    assert client.get(page_url(name, obj)).status_code == 404


@pytest.mark.parametrize(("name", "obj"), CHAIR_PAGES)
def test_chair_pages_send_anonymous_visitors_to_log_in(client, page_url, name, obj):
    target = page_url(name, obj)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert target in response["Location"]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("topic_create", {}), ("topic_bulk_create", {}), ("topic_delete", "topic")],
)
def test_chair_post_endpoints_are_404_for_a_pc_member(
    client, conference, ml_reviewer, url, name, kwargs
):
    client.force_login(ml_reviewer)
    topic = conference.topics.first()
    kw = {"pk": topic.pk} if kwargs == "topic" else {}
    response = client.post(url(name, **kw), {"name": "X", "area": "ML", "bulk-names": "Y"})
    assert response.status_code == 404
    assert conference.topics.count() == 6


def test_track_of_another_conference_is_404_for_this_chair(client, chair, url, db):
    from tests import factories

    other = factories.TrackFactory()
    client.force_login(chair)
    assert client.get(url("track_edit", pk=other.pk)).status_code == 404


def test_landing_page_of_a_public_conference_is_open_to_everyone(client, conference, url):
    response = client.get(url("detail"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "MLSys 2027" in body
    assert "Research" in body and "Industry" in body
    assert "Deep learning" in body and "Compilers" in body
    # chairs' links are not shown to visitors
    assert url("settings") not in body


def test_landing_page_of_a_private_conference(client, conference, url, outsider, ml_reviewer):
    conference.is_public = False
    conference.save(update_fields=["is_public"])
    response = client.get(url("detail"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(outsider)
    assert client.get(url("detail")).status_code == 404
    client.force_login(ml_reviewer)
    assert client.get(url("detail")).status_code == 200


def test_landing_page_shows_deadlines_in_aoe_with_local_and_utc(client, conference, url):
    response = client.get(url("detail"))
    body = response.content.decode()
    submission = conference.deadlines.get(kind="submission").at
    aoe = submission.astimezone(conference.tz)
    assert f"{aoe:%H:%M} AoE" in body
    assert f'data-local="{submission.isoformat()}"' in body
    assert f'title="{submission:%Y-%m-%d %H:%M} UTC"' in body
    assert "Paper submission" in body


def test_landing_page_shows_track_rules_and_chair_links(client, conference, chair, url):
    client.force_login(chair)
    body = client.get(url("detail")).content.decode()
    assert "Double-blind" in body
    assert "10 pages" in body
    for name in ("settings", "tracks", "topics", "deadlines", "phases", "committee"):
        assert url(name) in body
