"""Archived conferences (issue 10): a chair archives with confirmation, only site staff
unarchive; then every write (page POST or API unsafe method) answers 403 "This conference
is archived: read-only" for chairs, authors and PC members alike, reads still work, and site
staff can still write. Reminders skipping archived conferences: tests/reviews/test_reminders.py.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences import archive
from mlsys.conferences.models import Conference, Track
from mlsys.core.models import AuditEvent
from reviews.models import Bid, Comment
from submissions.models import Submission
from tests import factories

MESSAGE = "This conference is archived: read-only."


def page(name, **kwargs):
    return reverse(name, kwargs={"conference": "mlsys2027", **kwargs})


def api(path):
    return f"/api/v1/conferences/mlsys2027/{path}"


@pytest.fixture
def paper(conference, author):
    return factories.SubmissionFactory(
        conference=conference, number=1, status="submitted", authors=[author], title="Kept"
    )


@pytest.fixture
def archived(conference, paper):
    Conference.objects.filter(pk=conference.pk).update(archived_at=timezone.now())
    conference.refresh_from_db()
    return conference


# --- Archiving and unarchiving ----------------------------------------------------------------


def test_chair_archives_only_after_confirming(client, conference, chair):
    client.force_login(chair)
    response = client.get(page("conferences:archive"))
    assert response.status_code == 200 and "Archive conference" in response.content.decode()
    response = client.post(page("conferences:archive"), {})
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    conference.refresh_from_db()
    assert conference.archived_at is None
    response = client.post(page("conferences:archive"), {"confirm": "yes"})
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.archived_at is not None
    event = AuditEvent.objects.get(action="conferences.archived")
    assert (event.actor, event.conference) == (chair, conference)


def test_pc_member_cannot_archive(client, conference, ml_reviewer):
    client.force_login(ml_reviewer)
    assert client.post(page("conferences:archive"), {"confirm": "yes"}).status_code == 404
    conference.refresh_from_db()
    assert conference.archived_at is None


def test_only_site_staff_unarchive(client, archived, chair):
    client.force_login(chair)
    assert client.post(page("conferences:unarchive")).status_code == 404
    archived.refresh_from_db()
    assert archived.archived_at is not None
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.post(page("conferences:unarchive")).status_code == 302
    archived.refresh_from_db()
    assert archived.archived_at is None
    assert AuditEvent.objects.filter(action="conferences.unarchived", actor=staff).exists()


def test_archive_service_refuses_a_pc_member(conference, ml_reviewer):
    with pytest.raises(archive.PermissionDenied):
        archive.archive(conference=conference, actor=ml_reviewer)


# --- Writes refused, reads kept ----------------------------------------------------------------


def _refused_page(response):
    assert response.status_code == 403
    assert MESSAGE in response.content.decode()


def test_chair_page_writes_are_refused(client, archived, chair):
    client.force_login(chair)
    before = archived.name
    _refused_page(client.post(page("conferences:settings"), {"name": "Renamed"}))
    _refused_page(client.post(page("conferences:track_create"), {"name": "T", "slug": "t"}))
    _refused_page(client.post(page("submissions:chair_desk_reject", number=1), {"reason": "x"}))
    archived.refresh_from_db()
    assert archived.name == before and not archived.tracks.filter(slug="t").exists()
    assert Submission.objects.get(number=1).status == "submitted"


def test_author_page_writes_are_refused(client, archived, author):
    client.force_login(author)
    _refused_page(
        client.post(page("submissions:change_status", number=1), {"to": "withdrawn", "reason": "x"})
    )
    _refused_page(client.post(page("submissions:create"), {"title": "New"}))
    assert list(Submission.objects.values_list("status", flat=True)) == ["submitted"]


def test_pc_member_page_writes_are_refused(client, archived, ml_reviewer):
    client.force_login(ml_reviewer)
    _refused_page(client.post(page("reviews:bid", number=1), {"value": "eager"}))
    _refused_page(client.post(page("reviews:paper_comment", number=1), {"body": "Hi"}))
    assert not Bid.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize(
    ("who", "method", "path", "data"),
    [
        ("chair", "post", "tracks/", {"name": "Tools", "slug": "tools"}),
        ("chair", "patch", "tracks/{track}/", {"page_limit": 6}),
        ("author", "post", "submissions/", {"title": "New one"}),
        ("author", "post", "submissions/1/withdraw/", {"reason": "x"}),
        ("ml_reviewer", "post", "submissions/1/comments/", {"body": "Hi", "visibility": "pc"}),
    ],
)
def test_api_writes_are_refused(client, archived, request, who, method, path, data):
    client.force_login(request.getfixturevalue(who))
    track = archived.tracks.first()
    response = getattr(client, method)(
        api(path.format(track=track.pk)), data, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == MESSAGE
    assert Track.objects.get(pk=track.pk).page_limit == track.page_limit
    assert not Track.objects.filter(slug="tools").exists()
    assert Submission.objects.count() == 1 and not Comment.objects.exists()


def test_reads_still_work(client, archived, chair, author, ml_reviewer):
    client.force_login(chair)
    response = client.get(page("conferences:settings"))
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html and 'class="read-only"' in html
    assert client.get(page("submissions:chair_detail", number=1)).status_code == 200
    assert client.get(api("tracks/")).status_code == 200
    client.force_login(author)
    assert client.get(page("submissions:detail", number=1)).status_code == 200
    assert client.get(api("submissions/")).json()["results"][0]["title"] == "Kept"
    client.force_login(ml_reviewer)
    assert client.get(page("reviews:my_papers")).status_code == 200


def test_site_staff_can_still_write(client, archived):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.post(
        api("tracks/"), {"name": "Tools", "slug": "tools"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert archived.tracks.filter(slug="tools").exists()
    html = client.get(page("conferences:settings")).content.decode()
    assert 'class="read-only"' not in html and "As site staff you can still change it" in html


def test_archived_conference_is_marked_on_the_home_page(client, archived, author):
    client.force_login(author)
    html = client.get(reverse("home")).content.decode()
    assert "Archived: read-only" in html and "Kept" in html
