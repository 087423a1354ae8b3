"""The camera-ready pages: who reaches the paper's page (authors, unconflicted chairs, its
shepherd; everyone else 404), the authors' forms (bad input kept with a message), read-only
after the deadline, the shepherd's section, the settings page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from decisions.camera_ready import services
from decisions.models import CameraReady, CameraReadyTrack, LicenceText
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Deadline
from mlsys.core import files
from tests import factories


def url(paper, name="decisions:camera_ready"):
    return reverse(name, kwargs={"conference": paper.conference.slug, "number": paper.number})


@pytest.fixture
def with_shepherd(paper, chair, shepherd):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    return shepherd


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("author", 200),
        ("chair", 200),
        ("with_shepherd", 200),
        ("systems_reviewer", 404),
        ("conflicted_chair", 404),
        ("outsider", 404),
    ],
)
def test_who_reaches_the_camera_ready_page(request, client, paper, who, status):
    user = request.getfixturevalue(who)
    if who == "conflicted_chair":
        factories.ConflictFactory(submission=paper, user=user, state="confirmed")
    client.force_login(user)
    assert client.get(url(paper)).status_code == status
    assert client.get(url(paper, "decisions:camera_ready_report")).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, paper):
    response = client.get(url(paper))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_paper_not_accepted_has_no_page(client, conference, author):
    submitted = factories.SubmissionFactory(conference=conference, authors=[author])
    client.force_login(author)
    assert client.get(url(submitted)).status_code == 404


def test_conflicted_chair_cannot_post_to_it(client, paper, conflicted_chair, shepherd):
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    client.force_login(conflicted_chair)
    response = client.post(url(paper), {"action": "assign", "shepherd": shepherd.pk})
    assert response.status_code == 404
    assert not CameraReady.objects.exists()


def test_author_page_shows_the_checklist_and_forms(client, paper, author, licence):
    client.force_login(author)
    page = client.get(url(paper)).content.decode()
    assert "Final PDF passed the check" in page
    assert "Incomplete" in page
    assert licence.text in page
    assert "Bob Coauthor; bob@lab.example.org; Lab" in page
    assert 'name="action" value="assign"' not in page  # the chairs' form


def test_author_uploads_through_the_page(client, paper, author):
    client.force_login(author)
    data = SimpleUploadedFile("final.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(url(paper), {"action": "upload", "file": data})
    assert response.status_code == 302
    assert paper.files.filter(kind="camera_ready").count() == 1


def test_a_bad_upload_is_a_message_not_an_error(client, paper, author):
    client.force_login(author)
    data = SimpleUploadedFile("final.pdf", b"hello", content_type="application/pdf")
    response = client.post(url(paper), {"action": "upload", "file": data})
    assert response.status_code == 400
    assert "not a PDF" in response.content.decode()
    assert not paper.files.exists()


def test_dropping_a_coauthor_keeps_the_input_and_asks_for_agreement(client, paper, author):
    client.force_login(author)
    text = "Ada Author; ada@uni.example.edu; Uni"
    response = client.post(url(paper), {"action": "authors", "authors": text, "confirm": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "You removed Bob Coauthor" in page
    assert text in page
    assert not CameraReady.objects.filter(authors_confirmed_at__isnull=False).exists()


def test_a_malformed_author_line_is_explained(client, paper, author):
    client.force_login(author)
    response = client.post(url(paper), {"action": "authors", "authors": "Just a name"})
    assert response.status_code == 400
    assert "Line 1" in response.content.decode()


def test_authors_confirm_and_accept_through_the_page(client, paper, author, licence):
    client.force_login(author)
    text = "Ada Author; ada@uni.example.edu\nBob Coauthor; bob@lab.example.org; Lab"
    client.post(url(paper), {"action": "authors", "authors": text, "confirm": "on"})
    client.post(url(paper), {"action": "licence", "version": 1, "accept": "on"})
    row = CameraReady.objects.get(submission=paper)
    assert row.authors_confirmed_by == author
    assert row.licence == licence and row.licence_accepted_by == author


def test_after_the_deadline_the_page_is_read_only_for_authors(client, conference, paper, author):
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.CAMERA_READY).update(
        at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(author)
    page = client.get(url(paper)).content.decode()
    assert "camera-ready phase is closed" in page
    assert 'name="action" value="upload"' not in page
    response = client.post(url(paper), {"action": "authors", "authors": "X; x@y.org"})
    assert response.status_code == 302
    assert not CameraReady.objects.exists()


def test_chair_assigns_a_shepherd_who_then_approves(client, paper, chair, shepherd):
    client.force_login(chair)
    client.post(url(paper), {"action": "assign", "shepherd": shepherd.pk})
    assert CameraReady.objects.get(submission=paper).shepherd == shepherd
    factories.SubmissionFileFactory(submission=paper, kind="camera_ready")
    client.force_login(shepherd)
    assert "Your review as shepherd" in client.get(url(paper)).content.decode()
    client.post(url(paper), {"action": "review", "verdict": "approve"})
    assert CameraReady.objects.get(submission=paper).status == "approved"
    listing = client.get(
        reverse("decisions:camera_ready_shepherding", kwargs={"conference": paper.conference.slug})
    )
    assert f"#{paper.number}" in listing.content.decode()


def test_authors_are_not_told_who_their_shepherd_is(client, paper, author, chair, with_shepherd):
    # A shepherd is often one of the paper's reviewers, whom authors never learn.
    client.force_login(author)
    page = client.get(url(paper)).content.decode()
    assert "a member of the program committee" in page
    assert with_shepherd.name not in page and with_shepherd.email not in page
    client.force_login(chair)
    assert with_shepherd.name in client.get(url(paper)).content.decode()


def test_a_conflicted_pc_member_is_not_offered_as_shepherd(client, paper, chair, shepherd):
    factories.ConflictFactory(submission=paper, user=shepherd, state="confirmed")
    client.force_login(chair)
    page = client.get(url(paper)).content.decode()
    assert shepherd.name not in page
    response = client.post(url(paper), {"action": "assign", "shepherd": shepherd.pk})
    assert response.status_code == 400
    assert not CameraReady.objects.filter(shepherd=shepherd).exists()


def settings_url(conference):
    return reverse("decisions:camera_ready_settings", kwargs={"conference": conference.slug})


def test_chair_saves_settings(client, conference, chair):
    client.force_login(chair)
    tracks = list(conference.tracks.order_by("order"))
    data = {"licence_text": "Terms v1"}
    for track in tracks:
        data[f"extra_pages_{track.pk}"] = 2
        data[f"same_format_{track.pk}"] = "on"
    assert client.post(settings_url(conference), data).status_code == 302
    assert LicenceText.objects.get(conference=conference).text == "Terms v1"
    assert CameraReadyTrack.objects.filter(extra_pages=2).count() == len(tracks)


def test_bad_settings_are_a_message(client, conference, chair):
    client.force_login(chair)
    track = conference.tracks.first()
    response = client.post(
        settings_url(conference), {"licence_text": "x", f"extra_pages_{track.pk}": "lots"}
    )
    assert response.status_code == 400
    assert not LicenceText.objects.exists()


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_only_chairs_reach_the_settings_and_overview(request, client, conference, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(settings_url(conference)).status_code == 404
    overview = reverse("decisions:camera_ready_overview", kwargs={"conference": conference.slug})
    assert client.get(overview).status_code == 404
    export = reverse("decisions:camera_ready_export", kwargs={"conference": conference.slug})
    assert client.get(export).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("author", 200),
        ("chair", 200),
        ("with_shepherd", 200),
        ("systems_reviewer", 404),
        ("conflicted_chair", 404),
        ("outsider", 404),
    ],
)
def test_who_downloads_a_camera_ready_version(request, client, paper, who, status):

    user = request.getfixturevalue(who)
    if who == "conflicted_chair":
        factories.ConflictFactory(submission=paper, user=user, state="confirmed")
    version = factories.SubmissionFileFactory(submission=paper, kind="camera_ready")
    client.force_login(user)
    response = client.get(files.url_for("camera-ready", version))
    assert response.status_code == status
    response.close()  # a served file stays open until the response is closed


def test_the_home_page_points_the_shepherd_to_their_papers(client, paper, chair, with_shepherd):
    client.force_login(with_shepherd)
    page = client.get(reverse("home")).content.decode()
    assert "You shepherd 1 accepted paper; 1 waits for your verdict." in page
    assert (
        reverse("decisions:camera_ready_shepherding", kwargs={"conference": paper.conference.slug})
        in page
    )


def test_a_shepherd_may_correct_their_verdict(paper, chair, with_shepherd):
    factories.SubmissionFileFactory(submission=paper, kind="camera_ready")
    services.review_as_shepherd(submission=paper, actor=with_shepherd, approve=False, comment="A")
    row = services.review_as_shepherd(
        submission=paper, actor=with_shepherd, approve=False, comment="A and B"
    )
    assert (row.status, row.shepherd_comment) == ("changes_requested", "A and B")


def test_before_the_phase_opens_the_page_says_not_open_yet(client, conference, paper, author):
    """Decisions released before the decision deadline: the phase has not opened, and the
    page must not say it "is closed (it was due <a future date>)"."""
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.DECISION).update(
        at=timezone.now() + timedelta(days=2)
    )
    client.force_login(author)
    page = client.get(url(paper)).content.decode()
    assert "camera-ready phase is not open yet" in page
    assert "it opens when decisions are final" in page
    assert "phase is closed" not in page and "it was due" not in page
    assert 'name="action" value="upload"' not in page


def test_a_phase_switched_closed_says_the_chairs_closed_it(client, conference, paper, author):
    from mlsys.conferences.enums import Phase, PhaseMode
    from tests.reviews.response_fixtures import set_phase

    set_phase(conference, Phase.CAMERA_READY, PhaseMode.CLOSED)
    client.force_login(author)
    page = client.get(url(paper)).content.decode()
    assert "The chairs have closed the camera-ready phase for now" in page
    assert "it was due" not in page
