"""The chairs' proceedings page: counts, missing final PDFs, downloads and builds; refused for
everyone but chairs; constant queries."""

import pytest
from django.urls import reverse

from decisions.models import ProceedingsBuild
from tests import factories
from tests.decisions.proceedings.conftest import many_accepted


def _url(conference, name="proceedings"):
    return reverse(f"decisions:{name}", kwargs={"conference": conference.slug})


def test_the_page_counts_per_track_and_outcome_and_lists_missing_pdfs(chair_client, program):
    response = chair_client.get(_url(program.conference))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["groups"] == [
        {"track": "Research", "outcome": "Accept (oral)", "papers": 1},
        {"track": "Research", "outcome": "Accept (poster)", "papers": 1},
        {"track": "Industry", "outcome": "Accept (poster)", "papers": 1},
    ]
    assert (summary["total"], summary["with_pdf"], summary["missing_count"]) == (3, 2, 1)
    assert summary["missing"] == [{"number": 2, "title": "Industry paper"}]
    html = response.content.decode()
    assert "#2 Industry paper" in html and "Pending paper" not in html
    assert "mlsys2027-012.pdf" in html  # the naming example
    assert "?format=json" in html and "?format=csv" in html
    assert html.count("Not built yet.") == 2


def test_building_from_the_page_shows_the_result(
    chair_client, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(_url(program.conference, "proceedings_build"), {"kind": "zip"})
    assert response.status_code == 302
    build = ProceedingsBuild.objects.get()
    assert build.status == "ready" and build.started_by.name == "Chair Person"
    html = chair_client.get(_url(program.conference)).content.decode()
    assert "from 3 papers" in html and "1 without a final PDF" in html
    assert f"/files/proceedings/{build.pk}/" in html and "Rebuild" in html


def test_a_queued_build_polls_and_a_second_click_is_refused(chair_client, program):
    chair_client.post(_url(program.conference, "proceedings_build"), {"kind": "booklet"})
    response = chair_client.post(
        _url(program.conference, "proceedings_build"), {"kind": "booklet"}, follow=True
    )
    assert "already being built" in response.content.decode()
    assert ProceedingsBuild.objects.count() == 1
    partial = chair_client.get(_url(program.conference, "proceedings_builds")).content.decode()
    assert "Queued…" in partial and 'hx-trigger="every 2s"' in partial


def test_an_unknown_kind_is_a_message_not_a_500(chair_client, program):
    response = chair_client.post(
        _url(program.conference, "proceedings_build"), {"kind": "zipzip"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose what to build" in response.content.decode()
    assert not ProceedingsBuild.objects.exists()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
@pytest.mark.parametrize(
    "name,method", [("proceedings", "get"), ("proceedings_builds", "get"),
                    ("proceedings_export", "get"), ("proceedings_build", "post")]
)  # fmt: skip
def test_everyone_but_chairs_gets_404(client, program, role, name, method, request):
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(_url(program.conference, name), {"kind": "zip"})
    assert response.status_code == 404
    assert not ProceedingsBuild.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, program):
    for name in ("proceedings", "proceedings_export"):
        response = client.get(_url(program.conference, name))
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(_url(program.conference, "proceedings_build"), {"kind": "zip"})
    assert response.status_code == 302 and not ProceedingsBuild.objects.exists()


def test_a_conflicted_chair_sees_the_whole_program(client, program, conflicted_chair):
    """The proceedings reveal no review data: a chair's conflict hides nothing here (documented
    in docs/proceedings.md), and still no pending decision shows."""
    factories.ConflictFactory(submission=program.oral, user=conflicted_chair, state="confirmed")
    factories.ConflictFactory(submission=program.pending, user=conflicted_chair, state="confirmed")
    client.force_login(conflicted_chair)
    response = client.get(_url(program.conference))
    assert response.context["summary"]["total"] == 3
    body = b"".join(client.get(_url(program.conference, "proceedings_export")).streaming_content)
    assert b"Oral paper" in body and b"Pending paper" not in body


def test_another_conferences_chair_gets_404(client, program):
    other = factories.conference_in_submission_phase(slug="other2027")
    stranger = factories.UserFactory()
    factories.MembershipFactory(conference=other, user=stranger, role="program_chair")
    client.force_login(stranger)
    assert client.get(_url(program.conference)).status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_page_queries_do_not_grow_with_papers(
    client, conference, chair, count, django_assert_num_queries
):
    many_accepted(conference, chair, count)
    ProceedingsBuild.objects.create(conference=conference, kind="zip", status="ready", papers=1)
    client.force_login(chair)
    # conference + schedule (3), session, user, roles; final PDFs, groups, accepted, builds
    with django_assert_num_queries(10):
        response = client.get(_url(conference))
    assert response.context["summary"]["total"] == count
