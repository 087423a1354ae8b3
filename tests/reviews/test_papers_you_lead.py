"""The lead's "Papers you lead" page: meta-review status and a link to write it, reached from
the navigation and from the lead email; conflicted papers and other people's leads left out."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Role
from mlsys.conferences.models import Deadline
from reviews.meta import services
from reviews.models import Assignment
from tests import factories
from tests.reviews.response_fixtures import assign, make_paper, review

QUERIES = 10  # measured: 10 at 1 and at 10 papers (session, user, conference, roles, page)


def leading_url(conference):
    return reverse("reviews:leading", kwargs={"conference": conference.slug})


def meta_url(conference, number):
    return reverse("reviews:meta_review", kwargs={"conference": conference.slug, "number": number})


def reviews_due_passed(conference):
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.REVIEW).update(
        at=timezone.now() - timedelta(days=1)
    )


@pytest.fixture
def led(conference, author, ml_reviewer, systems_reviewer):
    """Mia leads #1 (not started; one of two reviews in), #2 (draft) and #3 (submitted); she
    became conflicted with #4 after being made lead; Sam leads #5."""
    papers = [make_paper(conference, author, number=n, title=f"Paper {n}") for n in range(1, 6)]
    review(papers[0], systems_reviewer)
    assign(papers[0], ml_reviewer)
    factories.MetaReviewFactory(submission=papers[0], lead=ml_reviewer)
    factories.MetaReviewFactory(submission=papers[1], lead=ml_reviewer, summary="So far so good.")
    factories.MetaReviewFactory(
        submission=papers[2],
        lead=ml_reviewer,
        summary="Accept.",
        recommendation="accept",
        state="submitted",
        submitted_at=timezone.now(),
    )
    factories.MetaReviewFactory(submission=papers[3], lead=ml_reviewer)
    factories.ConflictFactory(submission=papers[3], user=ml_reviewer, state="confirmed")
    factories.MetaReviewFactory(submission=papers[4], lead=systems_reviewer)
    return papers


def test_lead_sees_their_papers_with_meta_review_status_and_links(
    client, conference, ml_reviewer, led
):
    reviews_due_passed(conference)
    client.force_login(ml_reviewer)
    response = client.get(leading_url(conference))
    html = response.content.decode()
    assert response.status_code == 200
    assert [m.submission.number for m in response.context["metas"]] == [1, 2, 3]
    first = response.context["metas"][0]
    assert (first.reviews_assigned, first.reviews_submitted) == (2, 1)
    assert "2 meta-reviews to write" in html
    assert "Paper 4" not in html and "Paper 5" not in html
    assert "Not started" in html and "Draft" in html and "Submitted" in html
    assert f'href="{meta_url(conference, 1)}">Write meta-review' in html
    assert f'href="{meta_url(conference, 2)}">Continue meta-review' in html
    assert f'href="{meta_url(conference, 3)}">View or update meta-review' in html
    # The link leads to the form.
    form = client.get(meta_url(conference, 1))
    assert form.status_code == 200 and "Submit meta-review" in form.content.decode()


def test_before_discussion_the_page_says_when_meta_reviews_open(
    client, conference, ml_reviewer, led
):
    client.force_login(ml_reviewer)
    html = client.get(leading_url(conference)).content.decode()
    assert "once discussion has started" in html
    assert "Write meta-review" not in html


def test_navigation_links_papers_you_lead_for_pc_members(client, conference, ml_reviewer):
    client.force_login(ml_reviewer)
    html = client.get(reverse("reviews:my_papers", kwargs={"conference": conference.slug}))
    assert f'href="{leading_url(conference)}">Papers you lead' in html.content.decode()


def test_someone_leading_nothing_gets_an_empty_list(client, conference, conflicted_reviewer):
    client.force_login(conflicted_reviewer)
    html = client.get(leading_url(conference)).content.decode()
    assert "You lead no paper" in html


@pytest.mark.parametrize("who", ["author", "outsider"])
def test_people_without_a_reviewing_role_get_404(client, conference, led, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(leading_url(conference)).status_code == 404


def test_chair_without_reviewing_role_gets_404(client, conference, chair):
    client.force_login(chair)
    assert client.get(leading_url(conference)).status_code == 404


def test_lead_email_points_to_papers_you_lead(
    conference, author, chair, ml_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    paper = make_paper(conference, author, number=7)
    assign(paper, ml_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_lead(paper, lead=ml_reviewer, actor=chair)
    [email] = mailoutbox
    assert email.to == [ml_reviewer.email]
    assert settings.SITE_URL + leading_url(conference) in email.body
    assert "/my-papers" not in email.body and "reviews/mine" not in email.body


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_is_constant(
    client, conference, author, ml_reviewer, systems_reviewer, count, django_assert_num_queries
):
    for n in range(1, count + 1):
        paper = make_paper(conference, author, number=n)
        review(paper, systems_reviewer)
        factories.MetaReviewFactory(submission=paper, lead=ml_reviewer)
    factories.MembershipFactory(conference=conference, user=ml_reviewer, role=Role.AREA_CHAIR)
    client.force_login(ml_reviewer)
    with django_assert_num_queries(QUERIES):
        response = client.get(leading_url(conference))
    assert len(response.context["metas"]) == count


def test_my_reviews_shows_lead_status_and_the_meta_review_link(
    client, conference, ml_reviewer, led
):
    client.force_login(ml_reviewer)
    response = client.get(reverse("reviews:my_papers", kwargs={"conference": conference.slug}))
    html = response.content.decode()
    assert [row.is_lead for row in response.context["rows"]] == [True]  # #1: Mia reviews it
    assert "You lead the discussion</span>" in html
    assert f'href="{meta_url(conference, 1)}">Meta-review' in html
    # #1-#3; #4 (conflicted) and Sam's #5 are not counted.
    assert "You lead the discussion of 3 papers: see" in html
    assert f'see <a href="{leading_url(conference)}">Papers you lead</a>' in html


def test_a_removed_reviewer_counts_neither_as_assigned_nor_as_submitted(
    client, conference, author, ml_reviewer, systems_reviewer
):
    paper = make_paper(conference, author, number=1, title="Paper 1")
    review(paper, systems_reviewer)
    Assignment.objects.filter(submission=paper, reviewer=systems_reviewer).update(
        removed_at=timezone.now()
    )
    assign(paper, ml_reviewer)
    factories.MetaReviewFactory(submission=paper, lead=ml_reviewer)
    client.force_login(ml_reviewer)
    [meta] = client.get(leading_url(conference)).context["metas"]
    assert (meta.reviews_assigned, meta.reviews_submitted) == (1, 0)
