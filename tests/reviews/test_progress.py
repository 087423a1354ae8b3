"""The chairs' progress page: counts per reviewer, paper and side; one-click reminders."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import Role, Side
from mlsys.core.models import AuditEvent
from reviews.models import Assignment
from reviews.progress.queries import progress
from tests import factories
from tests.reviews.response_fixtures import assign, make_paper, review

QUERY_BUDGET = 18  # measured: 18 at 1 and at 10 papers


def page(conference):
    return reverse("reviews:progress", kwargs={"conference": conference.slug})


def remind_url(conference):
    return reverse("reviews:progress_remind", kwargs={"conference": conference.slug})


@pytest.fixture
def setup(conference, author, ml_reviewer, systems_reviewer):
    both = factories.UserFactory(name="Bo Th")
    factories.MembershipFactory(
        conference=conference, user=both, role=Role.PC_MEMBER, side=Side.BOTH
    )
    p1 = make_paper(conference, author, number=1, title="First paper")
    p2 = make_paper(conference, author, number=2, title="Second paper")
    review(p1, ml_reviewer)
    review(p1, both)
    assign(p1, systems_reviewer)
    review(p2, systems_reviewer)
    assign(p2, ml_reviewer)
    return p1, p2, both


def test_counts_per_reviewer_paper_and_side(conference, setup, ml_reviewer, systems_reviewer):
    p1, p2, both = setup

    result = progress(conference)

    rows = {r.user.pk: (r.side, r.assigned, r.submitted, r.unfinished) for r in result.reviewers}
    assert rows == {
        ml_reviewer.pk: (Side.ML, 2, 1, 1),
        systems_reviewer.pk: (Side.SYSTEMS, 2, 1, 1),
        both.pk: (Side.BOTH, 1, 1, 0),
    }
    papers = {
        r.number: (r.assigned, r.submitted, r.ml_submitted, r.systems_submitted)
        for r in result.papers
    }
    assert papers == {1: (3, 2, 2, 1), 2: (2, 1, 0, 1)}
    sides = {s.side: (s.reviewers, s.assigned, s.submitted) for s in result.sides}
    assert sides == {Side.ML: (1, 2, 1), Side.SYSTEMS: (1, 2, 1), Side.BOTH: (1, 1, 1)}
    assert result.totals == {"assigned": 5, "submitted": 3, "late": 0}


def test_page_shows_counts_and_hides_papers_the_chair_is_conflicted_with(
    client, conference, setup, chair, ml_reviewer
):
    p1, p2, both = setup
    factories.ConflictFactory(submission=p2, user=chair, state="confirmed")
    client.force_login(chair)

    html = client.get(page(conference)).content.decode()

    assert "First paper" in html
    assert "Second paper" not in html
    assert "2 of 3 assigned reviews submitted" in html
    assert "Papers you are conflicted with are not counted here." in html


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_non_chairs_get_404(client, conference, setup, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(page(conference)).status_code == 404
    assert client.post(remind_url(conference), {"all": "1"}).status_code == 404
    assert not Assignment.objects.filter(last_reminded_at__isnull=False).exists()


def test_anonymous_is_sent_to_log_in(client, conference):
    assert client.get(page(conference)).status_code == 302


def test_remind_one_reviewer(
    client, conference, setup, chair, ml_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(conference), {"reviewer": ml_reviewer.pk}, follow=True)

    assert [m.to for m in mailoutbox] == [[ml_reviewer.email]]
    assert "#2 Second paper" in mailoutbox[0].body
    assert f"Reminded {ml_reviewer.name}." in response.content.decode()
    event = AuditEvent.objects.get(action="reviews.reviewers_reminded")
    assert event.actor == chair


def test_remind_all_late_in_one_click_respects_the_daily_limit(
    client,
    conference,
    setup,
    chair,
    ml_reviewer,
    systems_reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    Assignment.objects.filter(reviewer=ml_reviewer).update(
        last_reminded_at=timezone.now() - timedelta(hours=2)
    )
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(conference), {"all": "1"}, follow=True)

    assert [m.to for m in mailoutbox] == [[systems_reviewer.email]]
    html = response.content.decode()
    assert f"Reminded {systems_reviewer.name}." in html
    assert f"already reminded in the last 24 hours): {ml_reviewer.name}." in html


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_is_constant(
    client,
    conference,
    author,
    chair,
    ml_reviewer,
    systems_reviewer,
    count,
    django_assert_num_queries,
):
    for number in range(1, count + 1):
        p = make_paper(conference, author, number=number)
        review(p, ml_reviewer)
        assign(p, systems_reviewer, last_reminded_at=timezone.now())
    client.force_login(chair)

    with django_assert_num_queries(QUERY_BUDGET):
        response = client.get(page(conference))

    assert response.status_code == 200
    assert f"{count} of {2 * count} assigned reviews submitted" in response.content.decode()
