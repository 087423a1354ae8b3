"""The task-oriented home page: a PC member's reviews to finish (due dates, lateness), papers
to lead and discussions waiting; an author's papers and what each needs; a chair's counts and
alerts. Every list is bounded and costs the same number of queries for 1 and for 10 items;
nothing about a paper the viewer is conflicted with is shown or counted."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Phase
from mlsys.conferences.homepage import LIMIT
from mlsys.conferences.models import Deadline
from reviews.models import Assignment, Comment, Review
from tests import factories
from tests.reviews.response_fixtures import assign, make_paper, review, set_phase

# Measured at 1 and at 10 items: session, user, then each section's fixed queries (the
# shepherding section of decisions.camera_ready included).
# +1: the Deciding section finds no chaired conference; +1: AE (artifacts).
PC_AUTHOR_QUERIES = 20
# +2: the Deciding section (conferences, counts); +1: AE (artifacts).
CHAIR_QUERIES = 20


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def review_due(conference, at):
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.REVIEW).update(at=at)


# --- PC member ---------------------------------------------------------------------------------


@pytest.fixture
def reviewing(conference, author, ml_reviewer, systems_reviewer):
    """Mia: #1 not started, #2 draft, #3 submitted, #4 conflicted, #5 declined, #6 unreleased;
    she leads #1 (not written) and #3 (submitted)."""
    p = {n: make_paper(conference, author, number=n, title=f"Paper {n}") for n in range(1, 7)}
    assign(p[1], ml_reviewer)
    review(p[2], ml_reviewer, state="draft")
    review(p[3], ml_reviewer)
    assign(p[4], ml_reviewer)
    factories.ConflictFactory(submission=p[4], user=ml_reviewer, state="confirmed")
    assign(p[5], ml_reviewer, declined_at=timezone.now())
    assign(p[6], ml_reviewer, released=False)
    assign(p[1], systems_reviewer)
    factories.MetaReviewFactory(submission=p[1], lead=ml_reviewer)
    factories.MetaReviewFactory(submission=p[3], lead=ml_reviewer, state="submitted")
    return p


def test_pc_home_lists_reviews_to_finish_with_due_dates(client, conference, ml_reviewer, reviewing):
    response = home(client, ml_reviewer)
    rows = response.context["to_finish"].rows
    assert [a.submission.number for a in rows] == [1, 2]
    assert [a.has_draft for a in rows] == [False, True]
    assert all(a.late_days == 0 for a in rows)
    html = response.content.decode()
    url1 = reverse("reviews:review", kwargs={"conference": conference.slug, "number": 1})
    assert f'href="{url1}">Write review' in html
    assert "Continue review" in html and "due " in html
    assert "Late by" not in html
    for hidden in ("Paper 3", "Paper 4", "Paper 5", "Paper 6"):
        assert f"{hidden}</a>" not in html.split('id="to-lead-heading"')[0]


def test_pc_home_marks_late_reviews(client, conference, ml_reviewer, reviewing):
    review_due(conference, timezone.now() - timedelta(days=3, hours=1))
    response = home(client, ml_reviewer)
    assert [a.late_days for a in response.context["to_finish"].rows] == [3, 3]
    assert "Late by 3 days" in response.content.decode()
    assert "Late by 4 days" not in response.content.decode()


def test_pc_home_says_less_than_a_day_in_the_first_day(client, conference, ml_reviewer, reviewing):
    review_due(conference, timezone.now() - timedelta(hours=20))
    response = home(client, ml_reviewer)
    assert [a.late_by for a in response.context["to_finish"].rows] == ["less than a day"] * 2
    assert "Late by less than a day" in response.content.decode()


def test_pc_home_lists_papers_to_lead(client, conference, ml_reviewer, reviewing):
    response = home(client, ml_reviewer)
    assert [m.submission.number for m in response.context["to_lead"].rows] == [1]
    html = response.content.decode()
    meta = reverse("reviews:meta_review", kwargs={"conference": conference.slug, "number": 1})
    assert f'href="{meta}">Meta-review' in html
    assert reverse("reviews:leading", kwargs={"conference": conference.slug}) in html


def test_pc_home_lists_discussions_with_comments_after_yours(
    client, conference, ml_reviewer, systems_reviewer, chair, reviewing
):
    p = reviewing
    now = timezone.now()

    def comment(paper, who, minutes, visibility="reviewers"):
        c = factories.CommentFactory(submission=paper, author=who, body="x", visibility=visibility)
        Comment.objects.filter(pk=c.pk).update(created_at=now - timedelta(minutes=minutes))

    comment(p[1], ml_reviewer, 30)
    comment(p[1], systems_reviewer, 10)  # after Mia's: waiting
    comment(p[2], ml_reviewer, 5)
    comment(p[2], systems_reviewer, 20)  # before Mia's last: not waiting
    comment(p[3], chair, 5, visibility="chairs")  # Mia cannot read it
    comment(p[4], systems_reviewer, 5)  # conflicted
    response = home(client, ml_reviewer)
    assert [a.submission.number for a in response.context["waiting"].rows] == [1]
    assert "Discussions waiting (1)" in response.content.decode()


def test_home_of_someone_without_tasks_has_no_reviewing_section(client, author, conference):
    response = home(client, factories.UserFactory())
    assert "to_finish" not in response.context
    assert "Reviewing" not in response.content.decode()


def test_pc_member_with_nothing_to_do_is_told_so(client, conference, systems_reviewer):
    html = home(client, systems_reviewer).content.decode()
    assert "No review to finish." in html


# --- Author -----------------------------------------------------------------------------------


def test_author_home_lists_papers_and_what_each_needs(client, conference, author):
    draft = factories.SubmissionFactory(
        conference=conference, number=1, title="Draft one", status="draft", authors=[author]
    )
    submitted = make_paper(conference, author, number=2, title="Submitted one")
    factories.SubmissionFileFactory(submission=submitted, check_status="failed")
    submitted.current_paper = submitted.files.get()
    submitted.save()
    third = make_paper(conference, author, number=3, title="Third one")
    factories.DecisionFactory(submission=third)  # pending: not released
    response = home(client, author)
    tasks = {t.submission.number: t for t in response.context["paper_tasks"]}
    assert tasks[1].status_label == "Draft"
    assert tasks[1].needs[0].startswith("Still missing: ")
    assert "a PDF of the paper that passed the checks" in tasks[1].needs[0]
    assert tasks[1].due is not None
    assert tasks[2].needs == ["The paper fails the format check: see the check report."]
    # A decision is not shown before the chairs release it.
    assert (tasks[3].status_label, tasks[3].needs) == ("Submitted", [])
    html = response.content.decode()
    assert "ccepted" not in html
    assert draft.title in html and "Finish and submit" in html
    assert "See the check report" in html


def test_author_home_sends_to_reviews_during_the_response_phase(client, conference, author):
    paper = make_paper(conference, author, number=1, title="Reviewed one")
    set_phase(conference, Phase.RESPONSE)
    response = home(client, author)
    [task] = response.context["paper_tasks"]
    assert task.needs == ["Reviews are available: read them and write your response."]
    url = reverse("reviews:response", kwargs={"conference": conference.slug, "number": 1})
    assert f'href="{url}">Reviews and response' in response.content.decode()
    assert paper.title in response.content.decode()


def test_author_home_puts_no_stray_full_stop_under_the_local_time(client, conference, author):
    make_paper(conference, author, number=1, title="Reviewed one")
    set_phase(conference, Phase.RESPONSE)
    html = home(client, author).content.decode()
    # On the home cards the local time is a block under the deadline: a "." after it stood
    # alone at the start of the next line, before the link.
    assert re.search(r'class="local-time"[^>]*></span>\s*\.', html) is None
    assert re.search(r'class="local-time"[^>]*></span>\s*<a href=', html)


def test_author_home_after_release_shows_the_decision_and_asks_for_camera_ready(
    client, conference, author
):
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])
    factories.DeadlineFactory(
        conference=conference,
        kind=DeadlineKind.CAMERA_READY,
        at=timezone.now() + timedelta(days=90),
    )
    set_phase(conference, Phase.CAMERA_READY)
    make_paper(conference, author, number=1, status="accepted")
    done = make_paper(conference, author, number=2, status="accepted")
    factories.SubmissionFileFactory(submission=done, kind="camera_ready")
    make_paper(conference, author, number=3, status="rejected")
    tasks = {t.submission.number: t for t in home(client, author).context["paper_tasks"]}
    assert (tasks[1].status_label, tasks[1].needs) == (
        "Accepted",
        ["Upload the camera-ready version."],
    )
    assert tasks[1].due is not None
    assert tasks[1].action == ("decisions:camera_ready", "Camera-ready")
    # An uploaded PDF is not the whole camera-ready: the way to its page stays until the deadline.
    assert tasks[2].needs == [
        "Camera-ready uploaded: its page shows whether the author list and the licence "
        "are still missing."
    ]
    assert tasks[2].action == ("decisions:camera_ready", "Camera-ready")
    assert (tasks[3].status_label, tasks[3].needs) == (
        "Rejected",
        ["The decision is out: read it with the reviews."],
    )
    assert tasks[3].action == ("reviews:response", "Decision and reviews")
    html = home(client, author).content.decode()
    assert reverse("reviews:response", kwargs={"conference": conference.slug, "number": 3}) in html


def test_author_home_before_the_camera_ready_phase_says_it_is_not_open_yet(
    client, conference, author
):
    """Decisions released early, before the decision deadline: the camera-ready phase opens
    only at that deadline, so the home page must not ask for an upload the page refuses."""
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])
    factories.DeadlineFactory(
        conference=conference,
        kind=DeadlineKind.CAMERA_READY,
        at=timezone.now() + timedelta(days=90),
    )
    assert not conference.timeline().is_open(Phase.CAMERA_READY)
    make_paper(conference, author, number=1, status="accepted")
    (task,) = home(client, author).context["paper_tasks"]
    assert task.needs == ["Camera-ready: the upload opens when decisions are final."]
    assert task.action == ("decisions:camera_ready", "Camera-ready")


# --- Chair ------------------------------------------------------------------------------------


@pytest.fixture
def chaired(conference, author, chair, ml_reviewer, systems_reviewer):
    """#1 one of two reviews in; #2 conflicted with the chair, two reviews missing; #3 draft
    with a failed check; #4 an unreleased assignment; #5 accepted, not released."""
    p1 = make_paper(conference, author, number=1)
    review(p1, ml_reviewer)
    assign(p1, systems_reviewer)
    p2 = make_paper(conference, author, number=2)
    assign(p2, ml_reviewer)
    assign(p2, systems_reviewer)
    factories.ConflictFactory(submission=p2, user=chair, state="confirmed")
    p3 = factories.SubmissionFactory(conference=conference, number=3, status="draft")
    factories.SubmissionFileFactory(submission=p3, check_status="failed")
    p3.current_paper = p3.files.get()
    p3.save()
    p4 = make_paper(conference, author, number=4)
    assign(p4, ml_reviewer, released=False)
    make_paper(conference, author, number=5, status="accepted")
    return p1, p2, p3, p4


def test_chair_home_counts_and_alerts_without_conflicted_papers(client, conference, chair, chaired):
    review_due(conference, timezone.now() - timedelta(hours=2))
    response = home(client, chair)
    [desk] = response.context["chair_desks"]
    assert desk.conference == conference
    assert (desk.active, desk.drafts, desk.failed_checks) == (4, 1, 1)
    # #2's reviews are the conflicted chair's blind spot: neither assigned nor missing.
    assert (desk.assigned, desk.submitted_reviews, desk.missing_reviews) == (2, 1, 1)
    assert desk.unreleased_assignments == 1
    assert (desk.late_days, desk.late_by) == (0, "less than a day")
    html = response.content.decode()
    assert "1 review missing, late by less than a day" in html
    assert "1 paper failing the format check" in html
    assert "1 assignment not released" in html
    assert "Deciding" in html and "Decisions dashboard" in html  # decisions/home.py
    assert "Sam Kernel" not in html and "Mia Learner" not in html


def test_home_is_404_free_for_anonymous_visitors(client, conference):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "to_finish" not in response.context and "chair_desks" not in response.context


# --- Bounded lists, constant queries ---------------------------------------------------------


@pytest.fixture
def busy_world(conference, author, chair, ml_reviewer, systems_reviewer):
    def build(count):
        for n in range(1, count + 1):
            paper = make_paper(conference, author, number=n, title=f"Paper {n}")
            assign(paper, ml_reviewer)
            review(paper, systems_reviewer)
            factories.MetaReviewFactory(submission=paper, lead=ml_reviewer)
            factories.CommentFactory(
                submission=paper, author=systems_reviewer, body="x", visibility="reviewers"
            )
            factories.SubmissionFactory(
                conference=conference, number=100 + n, status="draft", authors=[ml_reviewer]
            )

    return build


@pytest.mark.parametrize("count", [1, 10])
def test_pc_member_and_author_home_queries_are_constant(
    client, ml_reviewer, busy_world, count, django_assert_num_queries
):
    busy_world(count)
    client.force_login(ml_reviewer)
    with django_assert_num_queries(PC_AUTHOR_QUERIES):
        response = client.get(reverse("home"))
    assert len(response.context["to_finish"].rows) == count
    assert len(response.context["to_lead"].rows) == count
    assert len(response.context["waiting"].rows) == count
    assert len(response.context["paper_tasks"]) == count


@pytest.mark.parametrize("count", [1, 10])
def test_chair_home_queries_are_constant(
    client, chair, busy_world, count, django_assert_num_queries
):
    busy_world(count)
    client.force_login(chair)
    with django_assert_num_queries(CHAIR_QUERIES):
        response = client.get(reverse("home"))
    [desk] = response.context["chair_desks"]
    assert (desk.assigned, desk.submitted_reviews) == (2 * count, count)


def test_long_lists_are_cut_and_counted(client, conference, author, ml_reviewer):
    for n in range(1, LIMIT + 4):
        assign(make_paper(conference, author, number=n), ml_reviewer)
    response = home(client, ml_reviewer)
    to_finish = response.context["to_finish"]
    assert (len(to_finish.rows), to_finish.total, to_finish.more) == (LIMIT, LIMIT + 3, 3)
    assert "And 3 more" in response.content.decode()
    assert Assignment.objects.count() == LIMIT + 3 and not Review.objects.exists()


def test_chair_home_leaves_removed_reviewers_out_of_the_counts(
    client, conference, chair, author, ml_reviewer, systems_reviewer
):
    """A reviewer a chair removed (their review kept) is neither assigned nor missing."""
    paper = make_paper(conference, author, number=1)
    review(paper, systems_reviewer)
    assign(paper, ml_reviewer, removed_at=timezone.now())
    assign(make_paper(conference, author, number=2), ml_reviewer, released=False)
    assign(
        make_paper(conference, author, number=3),
        ml_reviewer,
        released=False,
        removed_at=timezone.now(),
    )
    [desk] = home(client, chair).context["chair_desks"]
    assert (desk.assigned, desk.submitted_reviews, desk.missing_reviews) == (1, 1, 0)
    assert desk.unreleased_assignments == 1


def test_author_home_shows_a_decision_released_for_one_track_only(client, conference, author):
    """A per-track release leaves ``decisions_released_at`` empty; the paper's own status says
    its decision is released."""
    from decisions.services import release_decisions

    paper = make_paper(conference, author, number=1, title="Early track")
    factories.DecisionFactory(submission=paper)
    chair = factories.UserFactory()
    factories.MembershipFactory(conference=conference, user=chair, role="program_chair")
    release_decisions(conference=conference, actor=chair, track=paper.track)
    [task] = home(client, author).context["paper_tasks"]
    assert task.status_label == "Accepted"
