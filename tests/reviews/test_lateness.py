"""Late reviews are marked, with the due date and "late by N days", on "My reviews" and on the
chairs' Progress page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Deadline
from reviews.lateness import days_late, late_by
from reviews.models import Review
from reviews.progress.queries import progress
from tests.reviews.response_fixtures import assign, make_paper, review


def url(name, conference):
    return reverse(name, kwargs={"conference": conference.slug})


def review_due(conference, at) -> None:
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.REVIEW).update(at=at)


@pytest.fixture
def papers(conference, author, ml_reviewer):
    """#1 unfinished, #2 submitted on time, #3 submitted late; all Mia's."""
    now = timezone.now()
    p1 = make_paper(conference, author, number=1, title="Unfinished paper")
    p2 = make_paper(conference, author, number=2, title="On time paper")
    p3 = make_paper(conference, author, number=3, title="Late paper")
    assign(p1, ml_reviewer)
    review(p2, ml_reviewer)
    review(p3, ml_reviewer)
    Review.objects.filter(submission=p2).update(submitted_at=now - timedelta(days=5))
    Review.objects.filter(submission=p3).update(submitted_at=now - timedelta(hours=1))
    return p1, p2, p3


@pytest.mark.parametrize(
    ("hours", "expected", "label"),
    [
        (-1, 0, ""),
        (0, 0, ""),
        (1, 0, "less than a day"),
        (23, 0, "less than a day"),
        (24, 1, "1 day"),
        (25, 1, "1 day"),
        (24 * 3 + 2, 3, "3 days"),
        (24 * 6 + 20, 6, "6 days"),
    ],
)
def test_days_late_counts_whole_days_elapsed(hours, expected, label):
    due = timezone.now()
    assert days_late(due, due + timedelta(hours=hours)) == expected
    assert late_by(due, due + timedelta(hours=hours)) == label
    assert days_late(None, due) == 0 and late_by(None, due) == ""


def test_my_reviews_marks_late_reviews_with_the_days(client, conference, ml_reviewer, papers):
    review_due(conference, timezone.now() - timedelta(days=2, hours=3))
    client.force_login(ml_reviewer)
    response = client.get(url("reviews:my_papers", conference))
    html = response.content.decode()
    late = {row.submission.number: row.late_days for row in response.context["rows"]}
    assert late == {1: 2, 2: 0, 3: 2}
    assert "Late by 2 days" in html
    assert "Submitted late by 2 days" in html
    assert html.count('class="badge err late"') == 2
    assert "1 review past due" in html


def test_my_reviews_marks_nothing_before_the_deadline(client, conference, ml_reviewer, papers):
    client.force_login(ml_reviewer)
    html = client.get(url("reviews:my_papers", conference)).content.decode()
    assert "Late by" not in html and "late by" not in html and "past due" not in html
    assert "Due " in html


def test_progress_counts_late_reviews(
    client, conference, chair, ml_reviewer, systems_reviewer, papers
):
    p1, p2, p3 = papers
    assign(p2, systems_reviewer)
    review_due(conference, timezone.now() - timedelta(hours=30))
    result = progress(conference)
    assert (result.late_days, result.late_by) == (1, "1 day")
    assert result.totals["late"] == 2
    rows = {r.user: (r.late, r.submitted_late) for r in result.reviewers}
    assert rows == {ml_reviewer: (1, 1), systems_reviewer: (1, 0)}
    assert {p.number: p.late for p in result.papers} == {1: 1, 2: 1, 3: 0}

    client.force_login(chair)
    html = client.get(url("reviews:progress", conference)).content.decode()
    assert "2 reviews late by 1 day (not submitted by the deadline)" in html
    assert "1 late by 1 day" in html
    assert "1 submitted late" in html


def test_progress_marks_nothing_before_the_deadline(client, conference, chair, papers):
    result = progress(conference)
    assert (result.late_days, result.totals["late"]) == (0, 0)
    assert all(r.late == 0 and r.submitted_late == 0 for r in result.reviewers)
    client.force_login(chair)
    assert "late by" not in client.get(url("reviews:progress", conference)).content.decode()


def test_six_days_twenty_hours_late_reads_six_days(client, conference, ml_reviewer, papers):
    review_due(conference, timezone.now() - timedelta(days=6, hours=20))
    client.force_login(ml_reviewer)
    html = client.get(url("reviews:my_papers", conference)).content.decode()
    assert "Late by 6 days" in html
    assert "7 days" not in html


def test_progress_in_the_first_day_late_says_less_than_a_day(
    client, conference, chair, ml_reviewer, papers
):
    review_due(conference, timezone.now() - timedelta(hours=3))
    result = progress(conference)
    assert (result.late_days, result.late_by, result.totals["late"]) == (0, "less than a day", 1)
    client.force_login(chair)
    html = client.get(url("reviews:progress", conference)).content.decode()
    assert "1 review late by less than a day (not submitted by the deadline)" in html
    assert "were due" in html
