"""PC-meeting mode: starting and moving (shared by chairs, audited), the current paper with who
must leave, deciding from the meeting, the conflicted chair, refused roles, constant queries."""

import pytest
from django.core.cache import cache
from django.test import Client

from decisions.dashboard import meeting
from decisions.models import Decision, DecisionMeeting
from mlsys.core.models import AuditEvent
from tests import factories


@pytest.fixture
def papers(make_scored_paper):
    """Three papers near 4 (merits 4, 5 and 3) and one far away (1)."""
    return [
        make_scored_paper(ml=[merit], systems=[merit], title=f"Paper at {merit}")
        for merit in (4, 5, 3, 1)
    ]


@pytest.fixture
def second(db):
    """A second browser: ``chair_client`` is pytest-django's ``client`` logged in as the chair."""
    return Client()


def start(client, url, cutoff="4", window="1.5"):
    return client.post(url("meeting_start"), {"cutoff": cutoff, "window": window})


def test_start_stores_the_order_of_papers_in_the_window(chair_client, papers, url):
    assert start(chair_client, url).status_code == 302
    stored = DecisionMeeting.objects.get()
    assert stored.order == [papers[0].pk, papers[1].pk, papers[2].pk]  # 1 is out of the window
    assert stored.position == 0 and stored.cutoff == 4 and stored.window == 1.5
    assert AuditEvent.objects.filter(action="decisions.meeting_started").count() == 1


def test_empty_window_says_so(chair_client, papers, url):
    response = chair_client.post(
        url("meeting_start"), {"cutoff": "9", "window": "0.1"}, follow=True
    )
    assert "widen the window" in response.content.decode()
    assert not DecisionMeeting.objects.exists()


@pytest.mark.parametrize("data", [{"cutoff": "x", "window": "1"}, {"cutoff": "4", "window": "-1"}])
def test_bad_start_input_is_refused_with_a_message(chair_client, papers, url, data):
    response = chair_client.post(url("meeting_start"), data, follow=True)
    assert "Give a cut-off and a window" in response.content.decode()
    assert not DecisionMeeting.objects.exists()


def test_current_paper_with_who_must_leave_and_the_next(
    chair_client, conference, papers, ml_reviewer, url
):
    factories.ConflictFactory(submission=papers[0], user=ml_reviewer, state="confirmed")
    factories.MetaReviewFactory(
        submission=papers[0], lead=factories.UserFactory(), recommendation="weak_accept",
        state="submitted",
    )  # fmt: skip
    start(chair_client, url)
    body = chair_client.get(url("meeting")).content.decode()
    assert "Paper <strong>1 of 3</strong>" in body
    assert f"#{papers[0].number} Paper at 4" in body
    assert "Must leave the room" in body and "Mia Learner" in body
    assert "Weak accept" in body and "Discussion page" in body
    assert f"#{papers[1].number} Paper at 5" in body  # up next


def test_next_is_shared_by_every_chair(
    chair_client, second, conference, conflicted_chair, papers, url
):
    start(chair_client, url)
    chair_client.post(url("meeting_move"), {"position": 1})
    second.force_login(conflicted_chair)
    body = second.get(url("meeting")).content.decode()
    assert "Paper <strong>2 of 3</strong>" in body and f"#{papers[1].number} Paper at 5" in body
    # Two chairs pressing "Next" at once send the same position: the meeting moves once.
    chair_client.post(url("meeting_move"), {"position": 2})
    second.post(url("meeting_move"), {"position": 2})
    assert DecisionMeeting.objects.get().position == 2
    assert AuditEvent.objects.filter(action="decisions.meeting_moved").count() == 2


def test_move_is_clamped_and_bad_input_refused(chair_client, papers, url):
    start(chair_client, url)
    chair_client.post(url("meeting_move"), {"position": 99})
    assert DecisionMeeting.objects.get().position == 2
    response = chair_client.post(url("meeting_move"), {"position": "next"}, follow=True)
    assert "not a place in the discussion order" in response.content.decode()
    assert DecisionMeeting.objects.get().position == 2


def test_decide_from_the_meeting(chair_client, papers, outcomes, url):
    start(chair_client, url)
    response = chair_client.post(
        url("meeting_decide", number=papers[0].number),
        {"outcome": outcomes["Accept (poster)"].pk, "reason": "Champion convinced the room"},
        follow=True,
    )
    assert "Accept (poster) (pending)" in response.content.decode()
    decision = Decision.objects.get(submission=papers[0])
    assert (decision.outcome.label, decision.status, decision.reason) == (
        "Accept (poster)",
        "pending",
        "Champion convinced the room",
    )


def test_decide_refuses_bad_outcome_and_papers_outside_the_order(
    chair_client, conference, papers, url
):
    start(chair_client, url)
    other = factories.OutcomeFactory(conference=factories.conference_in_submission_phase())
    response = chair_client.post(
        url("meeting_decide", number=papers[0].number), {"outcome": other.pk}, follow=True
    )
    assert "Choose one of the conference" in response.content.decode()
    far = url("meeting_decide", number=papers[3].number)
    assert chair_client.post(far, {"outcome": other.pk}).status_code == 404
    assert not Decision.objects.exists()


def test_conflicted_chair_must_leave_and_cannot_decide(
    second, chair_client, conflicted_chair, ml_reviewer, papers, outcomes, url
):
    factories.ConflictFactory(submission=papers[0], user=conflicted_chair, state="confirmed")
    start(chair_client, url)
    factories.ConflictFactory(submission=papers[0], user=ml_reviewer, state="confirmed")
    second.force_login(conflicted_chair)
    body = second.get(url("meeting")).content.decode()
    assert f"You must leave the room for #{papers[0].number}" in body
    assert "Mia Learner" not in body  # nor who else is conflicted with it
    assert "Paper at 4" not in body and "Calibrated score" not in body
    assert "Record decision" not in body
    response = second.post(
        url("meeting_decide", number=papers[0].number), {"outcome": outcomes["Reject"].pk}
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
    # The unconflicted chair sees who must leave: the conflicted chair.
    body = chair_client.get(url("meeting")).content.decode()
    assert "Carl Conflicted-Chair" in body and "Mia Learner" in body


def test_order_does_not_depend_on_which_chair_starts(
    second, chair_client, conflicted_chair, papers, url
):
    factories.ConflictFactory(submission=papers[0], user=conflicted_chair, state="confirmed")
    start(chair_client, url)
    by_chair = DecisionMeeting.objects.get().order
    second.force_login(conflicted_chair)
    start(second, url)
    assert DecisionMeeting.objects.get().order == by_chair


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_refused_roles_get_404(client, request, chair, conference, papers, outcomes, role, url):
    meeting.start_meeting(conference=conference, actor=chair, cutoff=4, window=1.5)
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("meeting")).status_code == 404
    assert start(client, url, cutoff="1").status_code == 404
    assert client.post(url("meeting_move"), {"position": 1}).status_code == 404
    decide = url("meeting_decide", number=papers[0].number)
    assert client.post(decide, {"outcome": outcomes["Reject"].pk}).status_code == 404
    stored = DecisionMeeting.objects.get()
    assert (stored.position, stored.cutoff) == (0, 4)
    assert not Decision.objects.exists()


def test_anonymous_is_sent_to_log_in(client, conference, url):
    assert client.get(url("meeting")).status_code == 302
    assert client.post(url("meeting_move"), {"position": 1}).status_code == 302


@pytest.mark.parametrize("count", [1, 10])
def test_queries_do_not_grow_with_papers(
    chair_client, conference, make_scored_paper, ml_reviewer, url, django_assert_num_queries,
    count,
):  # fmt: skip
    for _ in range(count):
        paper = make_scored_paper(ml=[4], systems=[4])
        factories.ConflictFactory(submission=paper, user=ml_reviewer, state="confirmed")
    start(chair_client, url)
    assert len(DecisionMeeting.objects.get().order) == count
    cache.clear()
    with django_assert_num_queries(28):
        chair_client.get(url("meeting"))
    with django_assert_num_queries(24):  # the dashboard's scores and fit cached
        chair_client.get(url("meeting"))
    with django_assert_num_queries(7):  # the poll
        chair_client.get(url("meeting_where") + "?position=0")


@pytest.mark.parametrize("count", [1, 10])
def test_start_page_queries_do_not_grow(
    chair_client, make_scored_paper, url, django_assert_num_queries, count
):
    for _ in range(count):
        make_scored_paper(ml=[4], systems=[4])
    cache.clear()
    with django_assert_num_queries(22):
        response = chair_client.get(url("meeting"))
    assert "Start the meeting" in response.content.decode()


def test_the_page_learns_when_another_chair_moved(
    chair_client, second, conflicted_chair, papers, url
):
    start(chair_client, url)
    where = url("meeting_where") + "?position=0"
    assert "Another chair moved" not in chair_client.get(where).content.decode()
    second.force_login(conflicted_chair)
    second.post(url("meeting_move"), {"position": 1})
    body = chair_client.get(where).content.decode()
    assert "Another chair moved the meeting to paper 2." in body
    assert chair_client.get(url("meeting_where") + "?position=x").status_code == 200


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_refused_roles_cannot_poll_the_meeting(client, request, conference, role, url):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("meeting_where")).status_code == 404


def test_a_paper_withdrawn_since_the_start_is_said_so(chair_client, papers, outcomes, url):
    start(chair_client, url)
    papers[0].status = "withdrawn"
    papers[0].save(update_fields=["status"])
    body = chair_client.get(url("meeting")).content.decode()
    assert "This paper is withdrawn now" in body and "Record decision" not in body
    response = chair_client.post(
        url("meeting_decide", number=papers[0].number),
        {"outcome": outcomes["Reject"].pk},
        follow=True,
    )
    assert "not under review" in response.content.decode()
    assert not Decision.objects.exists()


def test_up_next_names_nobody_for_a_paper_of_the_conflicted_chair(
    chair_client, second, conflicted_chair, ml_reviewer, papers, url
):
    for user in (conflicted_chair, ml_reviewer):
        factories.ConflictFactory(submission=papers[1], user=user, state="confirmed")
    start(chair_client, url)
    second.force_login(conflicted_chair)
    body = second.get(url("meeting")).content.decode()
    assert f"#{papers[1].number}: you leave the room" in body
    assert "Mia Learner" not in body and "Paper at 5" not in body
    assert (
        "leaving: Carl Conflicted-Chair, Mia Learner"
        in chair_client.get(url("meeting")).content.decode()
    )


@pytest.mark.parametrize("page", ["meeting", "threshold"])
def test_the_prefilled_cutoff_can_be_submitted_by_a_browser(chair_client, papers, url, page):
    """The default cut-off is the median calibrated score (e.g. 3.74). With step="0.05" and
    min="-10" a browser refuses to submit that very value ("Please enter a valid value"), so
    "Start the meeting" did nothing: a cut-off field must accept any value."""
    import re

    html = chair_client.get(url(page) + "?cutoff=3.74").content.decode()
    inputs = re.findall(r'<input type="number" name="cutoff"[^>]*>', html)
    assert inputs
    for tag in inputs:
        assert 'step="any"' in tag, tag
