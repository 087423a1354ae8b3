"""The chairs' overview and CSV export: checklist states, filters, paging, constant query
counts, and a conflicted chair seeing their paper as a conflicted PC member would."""

import csv
import io

import pytest
from django.urls import reverse

from decisions.camera_ready import queries, services
from tests import factories
from tests.decisions.camera_ready.conftest import accepted_paper


def overview(conference, **params):
    base = reverse("decisions:camera_ready_overview", kwargs={"conference": conference.slug})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def export(conference, **params):
    base = reverse("decisions:camera_ready_export", kwargs={"conference": conference.slug})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def complete(paper, author, licence):
    factories.SubmissionFileFactory(submission=paper, kind="camera_ready")
    services.set_final_authors(
        submission=paper, actor=author, authors=queries.submitted_authors(paper), confirm=True
    )
    services.accept_licence(submission=paper, actor=author, version=licence.version)


@pytest.fixture
def papers(conference, author, licence, chair, shepherd):
    done = accepted_paper(conference, author, title="Done paper")
    complete(done, author, licence)
    bare = accepted_paper(conference, author, title="Bare paper")
    waiting = accepted_paper(conference, author, title="Waiting paper")
    complete(waiting, author, licence)
    services.assign_shepherd(submission=waiting, actor=chair, shepherd=shepherd)
    factories.SubmissionFactory(conference=conference, status="rejected", title="Rejected paper")
    return {"done": done, "bare": bare, "waiting": waiting}


def titles(response) -> list[str]:
    page = response.content.decode()
    return [t for t in ("Done paper", "Bare paper", "Waiting paper", "Rejected paper") if t in page]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", ["Done paper", "Bare paper", "Waiting paper"]),
        ("incomplete", ["Bare paper", "Waiting paper"]),
        ("complete", ["Done paper"]),
        ("missing_licence", ["Bare paper"]),
        ("awaiting_shepherd", ["Waiting paper"]),
    ],
)
def test_filters(client, conference, chair, papers, name, expected):
    client.force_login(chair)
    response = client.get(overview(conference, filter=name) if name else overview(conference))
    assert response.status_code == 200
    assert titles(response) == expected


def test_csv_export(client, conference, chair, papers, shepherd):
    client.force_login(chair)
    response = client.get(export(conference))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {r["title"]: r for r in rows}
    assert set(by_title) == {"Done paper", "Bare paper", "Waiting paper"}
    assert by_title["Done paper"]["complete"] == "yes"
    assert by_title["Bare paper"]["final_pdf"] == "no"
    assert by_title["Waiting paper"]["shepherd"] == shepherd.email
    assert by_title["Waiting paper"]["shepherd_status"] == "pending"
    filtered = client.get(export(conference, filter="complete")).content.decode()
    assert "Done paper" in filtered and "Bare paper" not in filtered


def test_a_title_cannot_run_as_a_spreadsheet_formula(client, conference, chair, author):
    accepted_paper(conference, author, title="=HYPERLINK(1)")
    client.force_login(chair)
    assert "'=HYPERLINK(1)" in client.get(export(conference)).content.decode()


def test_conflicted_chair_sees_the_paper_without_its_state(
    client, conference, conflicted_chair, papers, shepherd
):
    factories.ConflictFactory(
        submission=papers["waiting"], user=conflicted_chair, state="confirmed"
    )
    client.force_login(conflicted_chair)
    page = client.get(overview(conference)).content.decode()
    assert "Waiting paper" in page and "Conflicted" in page
    assert shepherd.name not in page
    assert titles(client.get(overview(conference, filter="awaiting_shepherd"))) == []
    assert "Awaiting shepherd: 0" in page
    rows = list(csv.DictReader(io.StringIO(client.get(export(conference)).content.decode())))
    waiting = next(r for r in rows if r["title"] == "Waiting paper")
    assert waiting["shepherd"] == "" and waiting["complete"] == "conflicted"
    url = reverse(
        "decisions:camera_ready",
        kwargs={"conference": conference.slug, "number": papers["waiting"].number},
    )
    assert client.get(url).status_code == 404


def test_paged_by_100(client, conference, chair, author):
    for _ in range(101):
        factories.SubmissionFactory(conference=conference, status="accepted")
    client.force_login(chair)
    first = client.get(overview(conference)).content.decode()
    assert "Page 1 of 2" in first
    assert first.count('badge warn">Incomplete') == 100


def _accepted(conference, n):
    for _ in range(n):
        paper = accepted_paper(conference)
        factories.SubmissionFileFactory(submission=paper, kind="camera_ready")


@pytest.mark.parametrize("n", [1, 10])
def test_overview_query_count_is_constant(
    client, conference, chair, shepherd, n, django_assert_num_queries
):
    _accepted(conference, n)
    for paper in conference.submissions.all()[:1]:
        services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    client.force_login(chair)
    client.get(overview(conference))  # warm up (session, content types)
    # 13: the 12 of the page and whether licence terms are published (one query).
    with django_assert_num_queries(13):
        assert client.get(overview(conference)).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_export_query_count_is_constant(client, conference, chair, n, django_assert_num_queries):
    _accepted(conference, n)
    client.force_login(chair)
    client.get(export(conference))
    with django_assert_num_queries(10):
        assert client.get(export(conference)).status_code == 200


def test_overview_tells_the_chair_where_to_open_the_phase(client, conference, chair):
    """Before the decision deadline the camera-ready phase opens only by the clock: the
    chairs' overview says so, links the phase switches, and (empty) points to the release."""
    from datetime import timedelta

    from django.utils import timezone

    from mlsys.conferences.enums import DeadlineKind
    from mlsys.conferences.models import Deadline

    Deadline.objects.filter(conference=conference, kind=DeadlineKind.DECISION).update(
        at=timezone.now() + timedelta(days=2)
    )
    client.force_login(chair)
    page = client.get(overview(conference)).content.decode()
    assert "Authors cannot upload yet" in page
    assert reverse("conferences:phases", kwargs={"conference": conference.slug}) in page
    assert reverse("decisions:release", kwargs={"conference": conference.slug}) in page


def test_overview_says_when_the_phase_is_open(client, conference, chair):
    client.force_login(chair)
    page = client.get(overview(conference)).content.decode()
    assert "The camera-ready phase is open" in page


def test_overview_warns_while_no_licence_terms_are_published(client, conference, chair):
    """Authors read "The chairs have not published the licence terms yet": the chair must
    learn it on the overview, with the way to the settings."""
    from decisions.models import LicenceText

    client.force_login(chair)
    page = client.get(overview(conference)).content.decode()
    assert "No licence terms yet" in page
    settings = reverse("decisions:camera_ready_settings", kwargs={"conference": conference.slug})
    assert settings in page.split("No licence terms yet")[1][:400]
    LicenceText.objects.create(conference=conference, version=1, text="Terms.")
    assert "No licence terms yet" not in client.get(overview(conference)).content.decode()
