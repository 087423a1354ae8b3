"""Another conference's chair with ids from conference A in their own conference's URLs and API
bodies (letters, saved views, builds, release runs, archives, outcomes), and on A's own URLs:
404 or a refusal, never A's object, never a decision written with A's outcome."""

import pytest
from django.urls import reverse

from decisions.dashboard import services as dashboard_services
from decisions.letters import services as letters
from decisions.models import (
    Decision,
    LetterArchive,
    LetterEmail,
    ProceedingsBuild,
    ReleaseRun,
    SavedView,
)
from decisions.proceedings.services import start_build
from decisions.release.services import request_release
from mlsys.conferences import enums
from mlsys.core import files
from tests import factories
from tests.decisions import attack_world as W


@pytest.fixture
def world(
    conference, chair, conflicted_chair, author, outsider, django_capture_on_commit_callbacks
):
    world = W.build(conference, chair, conflicted_chair, author, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        request_release(conference=conference, actor=chair)
    world.x.refresh_from_db()
    letters.prepare_letters(conference=conference, actor=chair)
    with django_capture_on_commit_callbacks(execute=True):
        letters.request_archive(conference=conference, actor=chair)
        start_build(conference, kind="booklet", actor=chair)
    dashboard_services.save_view(conference=conference, actor=chair, name="Mine", query="gap=1")
    return world


@pytest.fixture
def other(db):
    """Conference B, its chair and a paper under review there."""
    b = factories.conference_in_submission_phase(slug="other2027", name="Other 2027")
    chair_b = factories.UserFactory(name="Bea Otherchair")
    factories.MembershipFactory(conference=b, user=chair_b, role=enums.Role.PROGRAM_CHAIR)
    paper = factories.SubmissionFactory(conference=b, number=1, title="Their paper")
    return b, chair_b, paper


def u(conference, name, **kwargs):
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


def test_ids_from_conference_a_in_conference_bs_urls(client, api, world, other):
    b, chair_b, paper_b = other
    a = world.conference
    letter = LetterEmail.objects.filter(decision__submission=world.x).first()
    archive = LetterArchive.objects.get()
    run = ReleaseRun.objects.get()
    build = ProceedingsBuild.objects.get(conference=a)
    view = SavedView.objects.get()
    pdf = letters.letter_of(world.x)
    assert build.file and archive.file and pdf.file
    client.force_login(chair_b)
    assert client.get(u(b, "decisions:letter_preview", pk=letter.pk)).status_code == 404
    client.post(u(b, "decisions:saved_views"), {"delete": view.pk})
    assert SavedView.objects.filter(pk=view.pk).exists()
    for name in (
        "decisions:dashboard",
        "decisions:letters",
        "decisions:release",
        "decisions:proceedings",
        "decisions:camera_ready_overview",
    ):
        assert client.get(u(a, name)).status_code == 404, name
    assert client.get(u(a, "decisions:letter_pdf", number=world.x.number)).status_code == 404
    for kind, obj in [
        ("decision-letter", pdf),
        ("decision-letter-archive", archive),
        ("proceedings", build),
    ]:
        assert client.get(files.url_for(kind, obj)).status_code == 404, kind
    api.force_authenticate(chair_b)
    assert api.get(u(b, "api-decisions-release-run", pk=run.pk)).status_code == 404
    assert api.get(u(b, "api-proceedings-build-detail", pk=build.pk)).status_code == 404
    assert api.get(u(b, "api-proceedings-build-download", pk=build.pk)).status_code == 404
    assert api.get(u(a, "api-decisions-dashboard")).status_code == 404
    assert api.get(u(a, "api-decision-letter-pdf", number=world.x.number)).status_code == 404


def test_outcomes_of_conference_a_never_decide_a_paper_of_b(client, api, world, other):
    b, chair_b, paper_b = other
    foreign = world.outcomes["oral"]
    client.force_login(chair_b)
    client.post(u(b, "decisions:decide", number=paper_b.number), {"outcome": foreign.pk})
    client.post(
        u(b, "decisions:decide_bulk"),
        {
            "action": "decide",
            "scope": "selected",
            "numbers": [paper_b.number],
            "outcome": foreign.pk,
            "confirm": "1",
        },
    )
    api.force_authenticate(chair_b)
    single = api.post(
        u(b, "api-decision-list"), {"number": paper_b.number, "outcome": foreign.pk}, format="json"
    )
    bulk = api.post(
        u(b, "api-decision-bulk"),
        {"numbers": [paper_b.number], "outcome": foreign.pk},
        format="json",
    )
    assert single.status_code == 400 and bulk.status_code == 400
    # Nor does A's chair decide B's paper through A's URLs (numbers are per conference).
    api.force_authenticate(world.chair)
    response = api.post(
        u(world.conference, "api-decision-list"),
        {"number": 999, "outcome": foreign.pk},
        format="json",
    )
    assert response.status_code in (400, 404)
    assert not Decision.objects.filter(submission=paper_b).exists()
