"""The chairs' "Deciding" home section: counts without conflicted papers, constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from decisions import services
from decisions.home import decision_desks
from decisions.outcomes import outcomes_of
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Deadline
from tests import factories


def reviews_due(conference):
    Deadline.objects.update_or_create(
        conference=conference,
        kind=DeadlineKind.REVIEW,
        defaults={"at": timezone.now() - timedelta(days=1)},
    )


def test_nothing_before_reviews_are_due(conference, chair):
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.REVIEW).delete()
    factories.SubmissionFactory(conference=conference)
    assert decision_desks(chair) == []


def test_counts_leave_out_conflicted_papers(conference, chair, conflicted_chair, client):
    reviews_due(conference)
    accept = outcomes_of(conference)[0]
    decided, mine, _undecided = (factories.SubmissionFactory(conference=conference) for _ in "abc")
    services.record_decision(submission=decided, outcome=accept, actor=chair)
    services.record_decision(submission=mine, outcome=accept, actor=chair)
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    [desk] = decision_desks(conflicted_chair)
    assert (desk.undecided, desk.pending, desk.released, desk.conflicted) == (1, 1, 0, 1)
    [desk] = decision_desks(chair)
    assert (desk.undecided, desk.pending, desk.conflicted) == (1, 2, 0)
    client.force_login(conflicted_chair)
    html = client.get("/").content.decode()
    assert "1 undecided · 1 pending (not released) · 0 released" in html
    assert "1 paper you are conflicted with, decided by another chair" in html


def test_pc_members_and_authors_get_no_deciding_section(conference, ml_reviewer, client):
    reviews_due(conference)
    factories.SubmissionFactory(conference=conference)
    assert decision_desks(ml_reviewer) == []
    client.force_login(ml_reviewer)
    assert "Deciding" not in client.get("/").content.decode()


@pytest.mark.parametrize("papers", [1, 10])
def test_constant_queries(conference, chair, django_assert_num_queries, papers):
    reviews_due(conference)
    accept = outcomes_of(conference)[0]
    for _ in range(papers):
        paper = factories.SubmissionFactory(conference=conference)
        services.record_decision(submission=paper, outcome=accept, actor=chair)
    with django_assert_num_queries(2):
        [desk] = decision_desks(chair)
    assert desk.pending == papers


def test_the_section_points_to_the_next_step(conference, chair, client):
    """Pending decisions: a link to the release. Released ones: letters, camera-ready and
    proceedings (the chair otherwise had only the dashboard link from the home page)."""
    from django.urls import reverse

    def href(name):
        return f'href="{reverse(name, kwargs={"conference": conference.slug})}"'

    reviews_due(conference)
    accept = outcomes_of(conference)[0]
    paper = factories.SubmissionFactory(conference=conference)
    services.record_decision(submission=paper, outcome=accept, actor=chair)
    client.force_login(chair)
    section = client.get("/").content.decode().split('class="decision-steps"')[1].split("</p>")[0]
    assert href("decisions:release") in section and "Release 1 pending" in section
    assert href("decisions:letters") not in section
    services.release_decisions(conference=conference, actor=chair)
    section = client.get("/").content.decode().split('class="decision-steps"')[1].split("</p>")[0]
    for name in ("decisions:letters", "decisions:camera_ready_overview", "decisions:proceedings"):
        assert href(name) in section
    assert href("decisions:release") not in section
