"""The badges section of the artifact page: outcomes once published (before, only to the
unconflicted AE chairs and the evaluators), the stamped camera-ready for those allowed."""

import pytest
from django.urls import reverse

from artifacts.badges import services
from artifacts.models import RequestedBadge
from tests.artifacts.badges.conftest import award, final_pdf
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def _page(client, world, person) -> str:
    client.force_login(person)
    url = reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    response = client.get(url)
    assert response.status_code == 200, person
    return response.content.decode().split('id="badges"', 1)[1]


@pytest.fixture
def deciding(db):
    """An artifact in discussion whose outcomes are set but not published."""
    w = af.artifact_world(status="decided", badges=("available", "functional"))
    award(w.artifact, "available", refuse=("functional",))
    return w


def test_before_publication_authors_see_requests_without_outcomes(deciding, client):
    section = _page(client, deciding, deciding.author)
    assert "Artifacts Available" in section and "Requested" in section
    assert "Awarded" not in section and "Not awarded" not in section
    assert "shown here when the badges are published" in section
    assert "Download the stamped PDF" not in section


@pytest.mark.parametrize("who", ["ae_chair", "evaluator_a", "program_chair"])
def test_before_publication_chairs_and_evaluators_see_the_outcomes(deciding, client, who):
    section = _page(client, deciding, getattr(deciding, who))
    assert "Awarded" in section and "Not awarded" in section
    assert "private to the AE chairs and the evaluators" in section


def test_after_publication_the_author_sees_outcomes_and_downloads_the_stamp(
    world, client, django_capture_on_commit_callbacks
):
    final_pdf(world.artifact.submission)
    with django_capture_on_commit_callbacks(execute=True):
        stamp = services.request_stamp(world.artifact, actor=world.ae_chair)
    section = _page(client, world, world.author)
    assert "Awarded" in section and "Not awarded" in section
    assert f"/files/stamped-paper/{stamp.pk}/?download=1" in section
    assert "Stamp again" not in section  # only the AE chairs
    assert "Public results page of this paper" in section
    chair = _page(client, world, world.ae_chair)
    assert "Stamp again" in chair and f"/files/stamped-paper/{stamp.pk}/" in chair


def test_evaluators_see_no_stamped_pdf(world, client, django_capture_on_commit_callbacks):
    final_pdf(world.artifact.submission)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_stamp(world.artifact, actor=world.ae_chair)
    section = _page(client, world, world.evaluator_a)
    assert "Camera-ready with the badges" not in section and "stamped-paper" not in section


def test_the_page_explains_why_there_is_no_stamp(world, client):
    section = _page(client, world, world.author)
    assert "no final PDF yet" in section
    RequestedBadge.objects.filter(artifact=world.artifact).update(outcome="not_awarded")
    section = _page(client, world, world.author)
    assert "No badge was awarded, so there is nothing to stamp" in section


def test_a_failed_stamp_shows_its_message(world, client, django_capture_on_commit_callbacks):
    from tests.submissions import pdfs

    final_pdf(world.artifact.submission, pdfs.encrypted_user_password())
    with django_capture_on_commit_callbacks(execute=True):
        services.request_stamp(world.artifact, actor=world.ae_chair)
    section = _page(client, world, world.ae_chair)
    assert "Failed" in section and "password" in section


def test_hostile_badge_labels_are_escaped_on_the_page(world, client):
    badge = RequestedBadge.objects.filter(artifact=world.artifact).first().badge
    badge.label = "<script>alert(1)</script>"
    badge.colour = '"><b x'  # the field holds 7 characters
    badge.save()
    section = _page(client, world, world.author)
    assert "<script>alert(1)</script>" not in section and "<b x" not in section
